import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortedIds } from "./rows";

describe("sortedIds", () => {
  it("is the distinct ids in ascending order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), { maxLength: 40 }),
        fc.nat(5),
        (ids, repeats) => {
          const input = [...ids, ...ids.slice(0, repeats)];
          expect(sortedIds(input)).toEqual([...new Set(input)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        },
      ),
    );
  });
});
