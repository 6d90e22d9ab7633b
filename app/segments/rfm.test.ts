import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quintileScore, recencyDays, scoreColumns, scoreCustomers, type RfmCustomer } from "./rfm";
import { DEFAULT_THRESHOLDS } from "./rules";

const T = new Date("2026-11-20T00:00:00Z");
const DAY = 86_400_000;
const customer = (
  id: string,
  frequency: number,
  monetaryMinor: bigint,
  daysAgo: number | null,
  discountedOrders = 0,
): RfmCustomer => ({
  id,
  frequency,
  monetaryMinor,
  lastOrderAt: daysAgo === null ? null : new Date(T.getTime() - daysAgo * DAY),
  discountedOrders,
});

describe("recencyDays", () => {
  it("floors whole days", () => {
    expect(recencyDays(T, T)).toBe(0);
    expect(recencyDays(T, new Date(T.getTime() - DAY + 1))).toBe(0);
    expect(recencyDays(T, new Date(T.getTime() - DAY))).toBe(1);
    expect(recencyDays(T, new Date(T.getTime() - 181 * DAY - 1))).toBe(181);
    expect(recencyDays(T, new Date(T.getTime() + 1))).toBe(-1);
  });
});

describe("quintileScore", () => {
  it("follows min(5, 1 + floor(5·less/(n−1)))", () => {
    expect(quintileScore(0, 1)).toBe(1);
    expect([0, 1, 2, 3, 4].map((less) => quintileScore(less, 5))).toEqual([1, 2, 3, 4, 5]);
    expect([0, 1, 2, 3, 4, 5].map((less) => quintileScore(less, 6))).toEqual([1, 2, 3, 4, 5, 5]);
    expect(quintileScore(1, 2)).toBe(5);
  });
  it("equals the exact rational reading, in 1..5, monotone in less", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 2 ** 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, x) => {
          const less = Math.min(n - 1, Math.floor(x * n));
          const s = quintileScore(less, n);
          expect(BigInt(s)).toBe(
            [5n, 1n + (5n * BigInt(less)) / BigInt(n - 1)].reduce((a, b) => (a < b ? a : b)),
          );
          expect(s).toBeGreaterThanOrEqual(1);
          expect(s).toBeLessThanOrEqual(5);
          if (less > 0) expect(quintileScore(less - 1, n)).toBeLessThanOrEqual(s);
        },
      ),
    );
  });
});

describe("scoreCustomers", () => {
  it("gives ties equal scores and counts only strictly smaller values", () => {
    const scores = scoreCustomers(
      [
        customer("a", 1, 100n, 10),
        customer("b", 1, 100n, 10),
        customer("c", 2, 300n, 5),
        customer("d", 3, 300n, 400),
      ],
      T,
      DEFAULT_THRESHOLDS,
    );
    // n = 4: F less = 0,0,2,3 → 1,1,4,5; M less 0,0,2,2 → 1,1,4,4; R values −10,−10,−5,−400: less 1,1,3,0 → 2,2,5,1
    expect(scores.map((s) => [s.id, s.r, s.f, s.m, s.recencyDays, s.segment])).toEqual([
      ["a", 2, 1, 1, 10, "recent"],
      ["b", 2, 1, 1, 10, "recent"],
      ["c", 5, 4, 4, 5, "vip"],
      ["d", 1, 5, 4, 400, "lapsed"],
    ]);
  });

  it("scores a single buyer 1 and leaves prospects without scores", () => {
    const scores = scoreCustomers(
      [customer("p", 0, 0n, null), customer("x", 2, 500n, 3, 1)],
      T,
      DEFAULT_THRESHOLDS,
    );
    expect(scores[0]).toEqual({
      id: "p",
      recencyDays: null,
      frequency: 0,
      monetaryMinor: 0n,
      r: null,
      f: null,
      m: null,
      discountShare: null,
      segment: "prospect",
    });
    expect(scores[1]).toMatchObject({ r: 1, f: 1, m: 1, discountShare: 0.5, segment: "price_sensitive" });
  });

  it("handles only prospects and no customers", () => {
    expect(scoreCustomers([], T, DEFAULT_THRESHOLDS)).toEqual([]);
    expect(
      scoreCustomers([customer("p", 0, 0n, null), customer("q", 0, 0n, null)], T, DEFAULT_THRESHOLDS).map(
        (s) => s.segment,
      ),
    ).toEqual(["prospect", "prospect"]);
  });

  it("compares sums beyond 2^53 minor units exactly", () => {
    const big = 2n ** 60n;
    const scores = scoreCustomers(
      [customer("a", 1, big, 1), customer("b", 1, big + 1n, 1), customer("c", 1, big, 1)],
      T,
      DEFAULT_THRESHOLDS,
    );
    expect(scores.map((s) => s.m)).toEqual([1, 5, 1]);
  });

  const arbCustomers = fc
    .array(
      fc.record({ frequency: fc.nat(6), money: fc.nat(2000), daysAgo: fc.nat(400), discounted: fc.nat(6) }),
      { maxLength: 60 },
    )
    .map((list) =>
      list.map((c, i) =>
        customer(
          `c${i}`,
          c.frequency,
          BigInt(c.money),
          c.frequency === 0 ? null : c.daysAgo,
          Math.min(c.discounted, c.frequency),
        ),
      ),
    );

  it("scores in 1..5, null exactly for prospects, ties equal, monotone in each metric", () => {
    fc.assert(
      fc.property(arbCustomers, (cs) => {
        const s = scoreCustomers(cs, T, DEFAULT_THRESHOLDS);
        const buyers = s.filter((x) => x.frequency > 0);
        for (const x of s) {
          if (x.frequency === 0) {
            expect([x.r, x.f, x.m, x.recencyDays, x.segment]).toEqual([null, null, null, null, "prospect"]);
            continue;
          }
          for (const v of [x.r, x.f, x.m]) expect(v !== null && v >= 1 && v <= 5).toBe(true);
        }
        const metric = {
          r: (x: (typeof s)[number]) => -(x.recencyDays ?? 0),
          f: (x: (typeof s)[number]) => x.frequency,
          m: (x: (typeof s)[number]) => Number(x.monetaryMinor),
        } as const;
        for (const a of buyers) {
          for (const b of buyers) {
            for (const k of ["r", "f", "m"] as const) {
              if (metric[k](a) === metric[k](b)) expect(a[k]).toBe(b[k]);
              if (metric[k](a) < metric[k](b)) expect(a[k] ?? 0).toBeLessThanOrEqual(b[k] ?? 0);
            }
          }
        }
      }),
    );
  });

  it("equals the definition read directly (count of strictly smaller values)", () => {
    fc.assert(
      fc.property(arbCustomers, (cs) => {
        const s = scoreCustomers(cs, T, DEFAULT_THRESHOLDS);
        const buyers = s.filter((x) => x.frequency > 0);
        const n = buyers.length;
        for (const x of buyers) {
          const less = (v: (y: (typeof s)[number]) => number) => buyers.filter((y) => v(y) < v(x)).length;
          expect(x.f).toBe(
            quintileScore(
              less((y) => y.frequency),
              n,
            ),
          );
          expect(x.m).toBe(
            quintileScore(
              less((y) => Number(y.monetaryMinor)),
              n,
            ),
          );
          expect(x.r).toBe(
            quintileScore(
              less((y) => -(y.recencyDays ?? 0)),
              n,
            ),
          );
        }
      }),
    );
  });
});

describe("scoreColumns", () => {
  it("scores each column by the count of strictly smaller values, whatever their range (property)", () => {
    const value = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.maxSafeInteger(),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), value, value), { maxLength: 80 }),
        fc.boolean(),
        (rows, narrow) => {
          const frequency = rows.map(([freq]) => freq);
          const recency = rows.map(([, v]) => (narrow ? Math.abs(Math.trunc(v)) % 50 : v));
          const monetary = rows.map(([, , v]) => (narrow ? Math.abs(Math.trunc(v)) % 7 : v));
          const out = scoreColumns({
            count: rows.length,
            frequency,
            recencyDays: recency,
            monetaryMinor: monetary,
          });
          const scored = rows.flatMap((_, i) => (frequency[i]! >= 1 ? [i] : []));
          const less = (values: number[], i: number, sign: number) =>
            scored.filter((j) => sign * values[j]! < sign * values[i]!).length;
          rows.forEach((_, i) => {
            const expected =
              frequency[i]! >= 1
                ? [
                    quintileScore(less(recency, i, -1), scored.length),
                    quintileScore(less(frequency, i, 1), scored.length),
                    quintileScore(less(monetary, i, 1), scored.length),
                  ]
                : [0, 0, 0];
            expect([out.r[i], out.f[i], out.m[i]]).toEqual(expected);
          });
          expect(out.scored).toBe(scored.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("leaves 0 for prospects", () => {
    const out = scoreColumns({
      count: 3,
      frequency: [0, 1, 2],
      recencyDays: [0, 5, 1],
      monetaryMinor: [0, 10, 20],
    });
    expect([...out.r]).toEqual([0, 1, 5]);
    expect([...out.f]).toEqual([0, 1, 5]);
    expect(out.scored).toBe(2);
  });
});
