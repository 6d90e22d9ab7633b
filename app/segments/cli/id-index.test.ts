import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdIndex } from "./id-index";

describe("IdIndex", () => {
  it("answers like a Map for any ids, Shopify-sized and beyond 2^32 (property)", () => {
    const id = fc.oneof(
      fc.integer({ min: 0, max: 100 }),
      fc.integer({ min: 7_100_000_000_000, max: 7_100_000_000_200 }),
      fc.maxSafeInteger().filter((n) => n >= 0),
    );
    // ascending runs (an export's order) with, sometimes, ids out of order after them
    const ids = fc.oneof(
      fc.array(id, { maxLength: 300 }),
      fc
        .tuple(fc.array(id, { maxLength: 300 }), fc.array(id, { maxLength: 5 }))
        .map(([run, late]) => [...[...run].sort((a, b) => a - b), ...late]),
    );
    fc.assert(
      fc.property(ids, fc.array(id, { maxLength: 50 }), (added, probes) => {
        const index = new IdIndex(4);
        const map = new Map<number, number>();
        added.forEach((value, slot) => {
          expect(index.add(value, slot)).toBe(!map.has(value));
          if (!map.has(value)) map.set(value, slot);
        });
        expect(index.size).toBe(map.size);
        for (const value of [...added, ...probes]) expect(index.get(value)).toBe(map.get(value));
      }),
    );
  });

  it("refuses ids it cannot hold exactly", () => {
    const index = new IdIndex();
    expect(() => index.add(2 ** 53, 0)).toThrow(RangeError);
    expect(() => index.add(-1, 0)).toThrow(RangeError);
    expect(() => index.add(1.5, 0)).toThrow(RangeError);
  });
});
