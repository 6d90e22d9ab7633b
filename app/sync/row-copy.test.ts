import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoUtc } from "./row-copy";

// The COPY lines themselves are checked through PostgreSQL (test/integration/store-staged.test.ts);
// here the one piece of arithmetic, against the runtime's own formatter.
describe("isoUtc", () => {
  it("is Date#toISOString for any time, leap days, century and era boundaries included", () => {
    const edges = [-30_610_224_000_000, -1, 0, 951_782_400_000, 4_107_542_399_999, 253_402_300_799_999];
    for (const ms of edges) expect(isoUtc(new Date(ms))).toBe(new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(isoUtc(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it("refuses an invalid date as toISOString does", () => {
    expect(() => isoUtc(new Date(Number.NaN))).toThrow(RangeError);
  });
});
