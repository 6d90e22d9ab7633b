import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holdoutCutoff, holdoutPosition, isHoldout } from "./holdout";

const N = 20_000;
// Shopify-like customer ids: sequential (the worst case for a weak hash) and scattered 13-digit ones.
const sequential = Array.from({ length: N }, (_, i) => String(7_400_000_000_000 + i));
const scattered = (() => {
  // mulberry32: a seeded generator, so the ids (unlike fc.sample's, which repeat) are distinct and fixed
  let a = 42;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ids = new Set<string>();
  while (ids.size < N) ids.add(String(1_000_000_000_000 + Math.floor(next() * 9_000_000_000_000)));
  return [...ids];
})();

const share = (campaign: string, ids: readonly string[], s: number) =>
  ids.filter((id) => isHoldout(campaign, id, s)).length / ids.length;

describe("isHoldout", () => {
  it.each([0, 0.1, 0.25])("holds out %s of 20k customers, within 1 point", (s) => {
    for (const campaign of ["bfcm-2026", "cyber-monday-2026-vip", "1"]) {
      expect(Math.abs(share(campaign, sequential, s) - s)).toBeLessThan(0.01);
      expect(Math.abs(share(campaign, scattered, s) - s)).toBeLessThan(0.01);
    }
  });

  it("property: within 1 point for any campaign key (fixed seed, so the run is reproducible)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constantFrom(0, 0.1, 0.25, 0.5),
        (campaign, s) => {
          expect(Math.abs(share(campaign, sequential, s) - s)).toBeLessThan(0.01);
        },
      ),
      { numRuns: 20, seed: 2026 },
    );
  });

  it("is stable, never holds out at 0, and reads a GID as the same customer", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (campaign, id) => {
        expect(isHoldout(campaign, id, 0)).toBe(false);
        expect(holdoutPosition(campaign, id)).toBe(holdoutPosition(campaign, id));
        const p = holdoutPosition(campaign, id);
        expect(p >= 0 && p < 1).toBe(true);
      }),
    );
    expect(holdoutPosition("bfcm", "gid://shopify/Customer/123")).toBe(holdoutPosition("bfcm", "123"));
    // A pinned value: changing the hash reshuffles every control group, which must be deliberate.
    expect(holdoutPosition("bfcm-2026", "7400000000000")).toMatchInlineSnapshot(`0.6797774028757101`);
  });

  it("a larger share keeps everyone a smaller one held out", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (campaign, id, a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          if (isHoldout(campaign, id, lo)) expect(isHoldout(campaign, id, hi)).toBe(true);
        },
      ),
    );
  });

  it("is independent between campaigns: the overlap of two 10% groups is about 1%", () => {
    const both =
      sequential.filter((id) => isHoldout("bfcm-2026", id, 0.1) && isHoldout("christmas-2026", id, 0.1))
        .length / N;
    expect(Math.abs(both - 0.01)).toBeLessThan(0.003);
    // and campaign keys that differ by a suffix or split differently do not collide
    expect(holdoutPosition("ab", "c1")).not.toBe(holdoutPosition("a", "bc1"));
  });
});

describe("holdoutCutoff", () => {
  it("property: holds out exactly round(share × n) of any set of customers, the first ones in hash order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 13n }), { minLength: 0, maxLength: 400 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.string({ maxLength: 12 }),
        (ids, share, key) => {
          const customers = ids.map(String);
          const cutoff = holdoutCutoff(key, customers, share);
          const held = customers.filter((id) => isHoldout(key, id, cutoff));
          expect(held).toHaveLength(Math.round(share * customers.length));
          const last = Math.max(-1, ...held.map((id) => holdoutPosition(key, id)));
          for (const id of customers)
            if (!held.includes(id)) expect(holdoutPosition(key, id)).toBeGreaterThan(last);
        },
      ),
    );
  });

  it("keeps a small segment at the share: 6 of 60, where the hash alone may give 12", () => {
    const customers = Array.from({ length: 60 }, (_, i) => String(9_000 + i));
    const cutoff = holdoutCutoff("cyber-week-2026:recent", customers, 0.1);
    expect(customers.filter((id) => isHoldout("cyber-week-2026:recent", id, cutoff))).toHaveLength(6);
  });
});
