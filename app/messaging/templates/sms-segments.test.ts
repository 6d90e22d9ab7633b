import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GSM7_BASIC, GSM7_EXTENSION, gsm7Septets, isGsm7, smsSegments } from "./sms-segments";

const a = (n: number) => "a".repeat(n);
const l = (n: number) => "ł".repeat(n); // U+0142: not in GSM-7, one UTF-16 unit

// Printable ASCII the GSM-7 tables carry: everything but the backtick (0x60 is ¿ in GSM-7).
const gsmAscii = [..." !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_abcdefghijklmnopqrstuvwxyz{|}~\n\r"];
const gsmChars = [...new Set([...GSM7_BASIC, ...GSM7_EXTENSION])].filter((c) => c !== "\u001b");
const outsideChar = fc
  .string({ unit: "binary", minLength: 1, maxLength: 1 })
  .filter((c) => gsm7Septets(c) === null);

describe("the GSM-7 tables (3GPP TS 23.038)", () => {
  it("hold 128 basic codes in order and the 10 extension characters", () => {
    const table = [...GSM7_BASIC];
    expect(table).toHaveLength(128);
    expect(table[0x00]).toBe("@");
    expect(table[0x09]).toBe("Ç");
    expect(table[0x1b]).toBe("\u001b");
    expect(table[0x20]).toBe(" ");
    expect(table[0x24]).toBe("¤");
    expect(table[0x40]).toBe("¡");
    expect(table[0x41]).toBe("A");
    expect(table[0x5f]).toBe("§");
    expect(table[0x60]).toBe("¿");
    expect(table[0x7f]).toBe("à");
    expect([...GSM7_EXTENSION]).toEqual(["\f", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]);
  });
  it("cost 1 septet for basic, 2 for extension characters, and refuse others", () => {
    expect(gsm7Septets("e")).toBe(1);
    expect(gsm7Septets("€")).toBe(2);
    expect(gsm7Septets("`")).toBeNull();
    expect(gsm7Septets("ç")).toBeNull();
    expect(gsm7Septets("\u001b")).toBeNull();
  });
});

describe("smsSegments", () => {
  it("counts the boundaries of GSM-7", () => {
    expect(smsSegments("")).toEqual({ encoding: "GSM-7", characters: 0, segments: 0 });
    expect(smsSegments(a(160))).toEqual({ encoding: "GSM-7", characters: 160, segments: 1 });
    expect(smsSegments(a(161))).toEqual({ encoding: "GSM-7", characters: 161, segments: 2 });
    expect(smsSegments(a(306)).segments).toBe(2);
    expect(smsSegments(a(307)).segments).toBe(3);
  });
  it("counts an extension character as two septets and never splits it between parts", () => {
    expect(smsSegments(a(158) + "€")).toEqual({ encoding: "GSM-7", characters: 160, segments: 1 });
    expect(smsSegments(a(159) + "€")).toEqual({ encoding: "GSM-7", characters: 161, segments: 2 });
    // 306 septets would fit 2 × 153, but the € cannot straddle the first boundary
    expect(smsSegments(a(152) + "€" + a(152))).toEqual({ encoding: "GSM-7", characters: 306, segments: 3 });
    expect(smsSegments(a(151) + "€" + a(153))).toEqual({ encoding: "GSM-7", characters: 306, segments: 2 });
  });
  it("counts the boundaries of UCS-2", () => {
    expect(smsSegments(l(70))).toEqual({ encoding: "UCS-2", characters: 70, segments: 1 });
    expect(smsSegments(l(71))).toEqual({ encoding: "UCS-2", characters: 71, segments: 2 });
    expect(smsSegments(l(134)).segments).toBe(2);
    expect(smsSegments(l(135)).segments).toBe(3);
  });
  it("counts an emoji as two UTF-16 units and never splits the pair", () => {
    expect(smsSegments("😀")).toEqual({ encoding: "UCS-2", characters: 2, segments: 1 });
    expect(smsSegments("😀".repeat(35))).toEqual({ encoding: "UCS-2", characters: 70, segments: 1 });
    expect(smsSegments("😀".repeat(36))).toEqual({ encoding: "UCS-2", characters: 72, segments: 2 });
    expect(smsSegments(l(66) + "😀" + l(66))).toEqual({ encoding: "UCS-2", characters: 134, segments: 3 });
    // one character outside GSM-7 turns the whole text into UCS-2
    expect(smsSegments(a(100) + "`")).toEqual({ encoding: "UCS-2", characters: 101, segments: 2 });
  });

  it("keeps texts of GSM-carried ASCII in GSM-7, extension characters counting twice", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...gsmAscii), { maxLength: 400 }), (chars) => {
        const text = chars.join("");
        const extra = chars.filter((c) => GSM7_EXTENSION.includes(c)).length;
        expect(isGsm7(text)).toBe(true);
        expect(smsSegments(text)).toMatchObject({ encoding: "GSM-7", characters: text.length + extra });
      }),
    );
  });
  it("matches the closed form for texts without extension characters", () => {
    fc.assert(
      fc.property(fc.nat(1000), (n) => {
        const expected = n === 0 ? 0 : n <= 160 ? 1 : Math.ceil(n / 153);
        expect(smsSegments(a(n)).segments).toBe(expected);
        const ucs = n === 0 ? 0 : n <= 70 ? 1 : Math.ceil(n / 67);
        expect(smsSegments(l(n)).segments).toBe(ucs);
      }),
    );
  });
  it("switches to UCS-2, counted in UTF-16 units, for any character outside the tables", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...gsmChars), { maxLength: 200 }), outsideChar, fc.nat(), (chars, odd, at) => {
        const i = chars.length === 0 ? 0 : at % (chars.length + 1);
        const text = [...chars.slice(0, i), odd, ...chars.slice(i)].join("");
        expect(smsSegments(text)).toMatchObject({ encoding: "UCS-2", characters: text.length });
      }),
    );
  });
  it("never needs fewer parts for a longer text", () => {
    expect(smsSegments("€".repeat(80))).toEqual({ encoding: "GSM-7", characters: 160, segments: 1 });
    expect(smsSegments("€".repeat(80) + "`")).toEqual({ encoding: "UCS-2", characters: 81, segments: 2 });
    const anyChar = fc.oneof(fc.constantFrom(...gsmChars), fc.string({ unit: "binary", minLength: 1, maxLength: 1 }));
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 400 }), fc.array(anyChar, { minLength: 1, maxLength: 50 }), (head, tail) => {
        const before = smsSegments(head.join(""));
        const after = smsSegments(head.join("") + tail.join(""));
        // (characters may drop: "€" is 2 septets in GSM-7 but 1 unit in UCS-2; parts never do)
        expect(after.segments).toBeGreaterThanOrEqual(before.segments);
      }),
    );
  });
});
