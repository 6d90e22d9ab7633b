import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MoneyError, toMinorUnits } from "../money";
import { pick, rng } from "../../testing/jsonl-lines";
import { amount, isoTime, time } from "../../testing/jsonl-values";
import { idWithPrefix, isoTimeMs, minorUnits } from "./byte-values";

// Oracles: new Date(text).getTime() for isoTimeMs, toMinorUnits for minorUnits, a regex for
// idWithPrefix. NaN or -1 ("not my form") is allowed for any text, any other result must be the
// oracle's, and the forms each function documents must never give NaN or -1. Each text sits between
// bytes that would change the result if read, so reading outside [from, to) shows.

const AROUND = ["", "Z", "0", "5", "+05:30", ".123", '"', "}", "\xff", "-"];

function embed(text: string, random: () => number): { buf: Buffer; from: number; to: number } {
  const before = Buffer.from(pick(random, AROUND), "latin1");
  const bytes = Buffer.from(text);
  const buf = Buffer.concat([before, bytes, Buffer.from(pick(random, AROUND), "latin1")]);
  return { buf, from: before.length, to: before.length + bytes.length };
}

function expectTime(text: string, documented: boolean, random: () => number): void {
  const { buf, from, to } = embed(text, random);
  const got = isoTimeMs(buf, from, to);
  const want = new Date(text).getTime();
  if (documented) expect(Number.isNaN(got), `${text} not read`).toBe(false);
  if (!Number.isNaN(got)) expect(got, text).toBe(want);
}

/** The form isoTimeMs documents, its fields in range (a day past the month's end included). */
function documented(text: string): boolean {
  const m = /^\d{4}-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{1,9})?(?:Z|[+-](\d\d):(\d\d))$/.exec(text);
  if (!m) return false;
  const [month = 0, day = 0, hour = 0, minute = 0, second = 0, oh = 0, om = 0] = m
    .slice(1)
    .map((f) => Number(f ?? 0));
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    oh <= 23 &&
    om <= 59
  );
}

// One character of an ISO time replaced, dropped or doubled, with those the form is made of.
const ISO_CHARS = "0123456789-:.TZ+ tz";
const nearIso = fc
  .tuple(isoTime, fc.nat(), fc.constantFrom(...ISO_CHARS), fc.nat(2))
  .map(([t, at, ch, op]) => {
    const i = at % t.length;
    if (op === 0) return t.slice(0, i) + ch + t.slice(i + 1);
    if (op === 1) return t.slice(0, i) + t.slice(i + 1);
    return t.slice(0, i) + ch + t.slice(i);
  });

describe("isoTimeMs against new Date(text).getTime()", () => {
  it("reads Shopify's times with offsets and 0–9 decimals, and refuses or agrees on times near them", () => {
    fc.assert(
      fc.property(time, fc.integer(), (t, seed) => expectTime(t.text, t.fast, rng(seed))),
      { numRuns: 20_000 },
    );
  });

  it("agrees on times one character away from the form", () => {
    fc.assert(
      fc.property(nearIso, fc.integer(), (text, seed) => expectTime(text, false, rng(seed))),
      { numRuns: 20_000 },
    );
  });

  it("agrees on times put together from valid and invalid parts", () => {
    const part = (...options: string[]) => fc.constantFrom(...options);
    const parts = fc.tuple(
      part("2024", "0000", "9999", "1969", "202", "20245"),
      part("-", "/"),
      part("01", "12", "00", "13", "1", "09"),
      part("-"),
      part("01", "28", "29", "30", "31", "00", "32"),
      part("T", "t", " "),
      part("00", "23", "24", "7"),
      part(":"),
      part("00", "59", "60"),
      part(":00", ":59", ":60", ""),
      part("", ".", ".5", ".12", ".123", ".1234", ".123456789", ".1234567890"),
      part("Z", "z", "", "+00:00", "-08:00", "+05:30", "+23:59", "+24:00", "-00:60", "+0530", "+05", " UTC"),
    );
    fc.assert(
      fc.property(parts, fc.integer(), (p, seed) =>
        expectTime(p.join(""), documented(p.join("")), rng(seed)),
      ),
      { numRuns: 10_000 },
    );
  });

  it.each([
    ["2024-02-30T10:00:00Z", true],
    ["2023-04-31T00:00:00-08:00", true],
    ["0000-01-01T00:00:00Z", true],
    ["9999-12-31T23:59:59.999999999-23:59", true],
    ["2024-11-29T10:00:00.5+05:30", true],
    ["2024-02-32T00:00:00Z", false],
    ["2024-01-01T23:59:60Z", false],
    ["2024-01-01T00:00:00+24:00", false],
    ["2024-01-01T00:00:00+05:60", false],
    ["2024-01-01T00:00:00.Z", false],
    ["2024-01-01T24:00:00Z", false],
    ["2024-01-01T00:00:00.1234567890Z", false],
    ["2024-01-01t00:00:00z", false],
    ["2024-01-01T00:00Z", false],
  ])("%s", (text, documented) => {
    for (let seed = 0; seed < 20; seed++) expectTime(text, documented, rng(seed));
  });

  it("never reads past `to`: a time cut short is not completed by the bytes after it", () => {
    const text = "2024-11-29T10:00:00.123+05:30";
    for (let cut = 0; cut < text.length; cut++) {
      const buf = Buffer.from(text);
      const got = isoTimeMs(buf, 0, cut);
      if (!Number.isNaN(got)) expect(got, text.slice(0, cut)).toBe(new Date(text.slice(0, cut)).getTime());
    }
  });
});

describe("minorUnits against toMinorUnits", () => {
  function reference(text: string, currency: string): bigint | undefined {
    try {
      return toMinorUnits(text, currency);
    } catch (error) {
      if (error instanceof MoneyError) return undefined;
      throw error;
    }
  }

  function expectAmount(
    text: string,
    currency: string,
    exponent: number,
    documented: boolean,
    seed: number,
  ): void {
    const { buf, from, to } = embed(text, rng(seed));
    const got = minorUnits(buf, from, to, exponent);
    const want = reference(text, currency);
    if (documented) expect(got, `${text} not read`).not.toBe(-1);
    if (got === -1) return;
    expect(Number.isSafeInteger(got), text).toBe(true);
    expect(BigInt(got), `${text} in ${currency}`).toBe(want);
  }

  it.each([
    ["USD", 2],
    ["JPY", 0],
    ["BHD", 3],
  ])(
    "agrees in %s (%i decimals) on amounts with any decimals, trailing zeros, signs and lengths",
    (currency, exponent) => {
      fc.assert(
        fc.property(amount(exponent), fc.integer(), (a, seed) =>
          expectAmount(a.text, currency, exponent, a.fast, seed),
        ),
        { numRuns: 8000 },
      );
      const soup = fc.string({
        unit: fc.constantFrom("0", "1", "9", ".", "-", "+", "e", " ", "٣"),
        maxLength: 20,
      });
      fc.assert(
        fc.property(soup, fc.integer(), (text, seed) => expectAmount(text, currency, exponent, false, seed)),
        { numRuns: 4000 },
      );
    },
  );

  it.each([
    ["12.50", "USD", 2, 1250],
    ["0.0", "USD", 2, 0],
    ["007.1", "USD", 2, 710],
    ["1.005", "USD", 2, -1],
    ["5.000", "JPY", 0, 5],
    ["5.5", "JPY", 0, -1],
    ["999999999999999", "JPY", 0, 999999999999999],
    ["1000000000000000", "JPY", 0, -1],
    ["9999999999999.99", "USD", 2, 999999999999999],
    ["0.125", "BHD", 3, 125],
    ["-0", "USD", 2, -1],
    ["1.", "USD", 2, -1],
    [".5", "USD", 2, -1],
  ])("%s %s (%i decimals) is %i", (text, currency, exponent, want) => {
    const buf = Buffer.from(text);
    expect(minorUnits(buf, 0, buf.length, exponent)).toBe(want);
    if (want >= 0) expect(toMinorUnits(text, currency)).toBe(BigInt(want));
  });
});

describe("idWithPrefix", () => {
  const PREFIX = "gid://shopify/Order/";
  const reference = (text: string, prefix: string): number => {
    const rest = text.startsWith(prefix) ? text.slice(prefix.length) : "";
    return /^\d{1,15}$/.test(rest) ? Number(rest) : -1;
  };

  it("reads 1–15 digits after the exact prefix, and nothing else", () => {
    const head = fc.constantFrom(
      "",
      PREFIX,
      "gid://shopify/Orders/",
      "gid://shopify/order/",
      PREFIX.slice(0, -1),
    );
    const tail = fc.string({ unit: fc.constantFrom("0", "1", "7", "9", "a", "/", " ", "-"), maxLength: 20 });
    fc.assert(
      fc.property(head, tail, fc.constantFrom("", PREFIX), fc.integer(), (h, t, prefix, seed) => {
        const text = h + t;
        const { buf, from, to } = embed(text, rng(seed));
        expect(idWithPrefix(buf, from, to, Buffer.from(prefix)), `${text} after "${prefix}"`).toBe(
          reference(text, prefix),
        );
      }),
      { numRuns: 10_000 },
    );
  });

  it.each(["1", "007", "999999999999999", "1000000000000000", "", "12a"])("%s", (digits) => {
    const buf = Buffer.from(PREFIX + digits + "9");
    expect(idWithPrefix(buf, 0, buf.length - 1, Buffer.from(PREFIX))).toBe(
      reference(PREFIX + digits, PREFIX),
    );
  });
});
