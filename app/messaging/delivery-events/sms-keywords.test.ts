import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HELP_KEYWORDS,
  optOutTypeKeyword,
  smsKeyword,
  START_KEYWORDS,
  STOP_KEYWORDS,
  type SmsKeywordKind,
} from "./sms-keywords";

const ALL: ReadonlyArray<readonly [string, SmsKeywordKind]> = [
  ...STOP_KEYWORDS.map((k) => [k, "stop"] as const),
  ...HELP_KEYWORDS.map((k) => [k, "help"] as const),
  ...START_KEYWORDS.map((k) => [k, "start"] as const),
];

/** A keyword with each letter's case chosen by `upper`. */
const cased = (word: string, upper: readonly boolean[]) =>
  [...word].map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch.toLowerCase())).join("");

describe("smsKeyword", () => {
  it("knows CTIA's and the FCC's words, and Twilio's opt-in words", () => {
    for (const word of ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"])
      expect(smsKeyword(word)).toBe("stop");
    for (const word of ["HELP", "INFO"]) expect(smsKeyword(word)).toBe("help");
    for (const word of ["START", "YES", "UNSTOP"]) expect(smsKeyword(word)).toBe("start");
  });

  it("reads the whole message without case, surrounding spaces, end punctuation or inner separators", () => {
    expect(smsKeyword("stop ")).toBe("stop");
    expect(smsKeyword("Stop.")).toBe("stop");
    expect(smsKeyword("  STOP!!\n")).toBe("stop");
    expect(smsKeyword("Opt out")).toBe("stop");
    expect(smsKeyword("opt-out")).toBe("stop");
    expect(smsKeyword("OPT_OUT")).toBe("stop");
    expect(smsKeyword("Stop all")).toBe("stop");
    expect(smsKeyword('"unsubscribe"')).toBe("stop");
    expect(smsKeyword("help?")).toBe("help");
    expect(smsKeyword("Yes")).toBe("start");
  });

  it("is not a keyword inside a longer message, or in other letters", () => {
    expect(smsKeyword("please stop")).toBeNull();
    expect(smsKeyword("stop it")).toBeNull();
    expect(smsKeyword("don't stop")).toBeNull();
    expect(smsKeyword("STOPP")).toBeNull();
    expect(smsKeyword("stop1")).toBeNull();
    expect(smsKeyword("ſtop")).toBeNull(); // long s: toUpperCase would make it STOP
    expect(smsKeyword("ＳＴＯＰ")).toBeNull();
    expect(smsKeyword("")).toBeNull();
    expect(smsKeyword("...")).toBeNull();
    expect(smsKeyword("Is the sale still on?")).toBeNull();
  });

  it("gives every keyword the same answer whatever its case, spaces and end punctuation", () => {
    const padding = fc.constantFrom("", " ", "  ", "\n", "\t", " \r\n");
    const punctuation = fc.constantFrom("", ".", "!", "?", "!!", "...", "…", ",");
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        padding,
        padding,
        punctuation,
        ([word, kind], upper, before, after, end) =>
          smsKeyword(`${before}${cased(word, upper)}${end}${after}`) === kind,
      ),
    );
  });

  it("never calls a message a keyword unless its letters are exactly one, and never throws", () => {
    const letters = (text: string) => text.replace(/[^A-Za-z]/g, "").toUpperCase();
    const known = new Map(ALL.map(([word, kind]) => [word, kind]));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.stringMatching(/^[a-zA-Z .!-]{0,14}$/)),
        (text) => {
          const kind = smsKeyword(text);
          return kind === null || known.get(letters(text)) === kind;
        },
      ),
    );
  });

  it("a keyword next to another word is not one (unless the two make a keyword)", () => {
    const word = fc.stringMatching(/^[A-Za-z]{1,10}$/);
    fc.assert(
      fc.property(fc.constantFrom(...ALL), word, fc.boolean(), ([keyword], other, first) => {
        const text = first ? `${other} ${keyword}` : `${keyword} ${other}`;
        const joined = (first ? other + keyword : keyword + other).toUpperCase();
        const expected = ALL.find(([k]) => k === joined)?.[1] ?? null;
        return smsKeyword(text) === expected;
      }),
    );
  });
});

describe("optOutTypeKeyword", () => {
  it("reads Twilio's STOP, START and HELP, nothing else", () => {
    expect(optOutTypeKeyword("STOP")).toBe("stop");
    expect(optOutTypeKeyword("start")).toBe("start");
    expect(optOutTypeKeyword("HELP")).toBe("help");
    expect(optOutTypeKeyword(undefined)).toBeNull();
    expect(optOutTypeKeyword("")).toBeNull();
    expect(optOutTypeKeyword("STOPALL")).toBeNull();
  });
});
