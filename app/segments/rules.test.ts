import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_THRESHOLDS,
  discountShareAtLeast,
  SEGMENT_TREATMENT,
  segmentFor,
  SEGMENTS,
  SegmentThresholds,
  type Segment,
  type SegmentInput,
} from "./rules";

const input = (over: Partial<SegmentInput>): SegmentInput => ({
  frequency: 1,
  recencyDays: 60,
  f: 1,
  m: 1,
  discountedOrders: 0,
  ...over,
});

describe("SegmentThresholds", () => {
  it("defaults to the issue's numbers", () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      lapsedAfterDays: 180,
      vipMinF: 4,
      vipMinM: 4,
      vipMinOrders: 2,
      priceSensitiveShare: 0.5,
      recentWithinDays: 30,
    });
  });
  it("refuses bad values with a message naming the setting", () => {
    const messages = (v: unknown) => SegmentThresholds.safeParse(v).error?.issues.map((i) => i.message) ?? [];
    expect(messages({ vipMinF: 6 })).toEqual(["VIP minimum F score must be from 1 to 5"]);
    expect(messages({ lapsedAfterDays: 1.5 })).toEqual([
      "Lapsed after (days) must be a whole number of days",
    ]);
    expect(messages({ priceSensitiveShare: 1.01 })[0]).toMatch(/from 0 to 1/);
    expect(messages({ recentWithinDays: 180 })).toEqual([
      "Recent within (days) (180) must be less than Lapsed after (days) (180)",
    ]);
    expect(messages({ recentWithinDays: 10, lapsedAfterDays: 20 })).toEqual([]);
  });
});

describe("discountShareAtLeast", () => {
  it("is exact at the boundary", () => {
    expect(discountShareAtLeast(1, 2, 0.5)).toBe(true);
    expect(discountShareAtLeast(2, 4, 0.5)).toBe(true);
    expect(discountShareAtLeast(1, 3, 0.5)).toBe(false);
    expect(discountShareAtLeast(4999, 10000, 0.4999)).toBe(true);
    expect(discountShareAtLeast(4998, 10000, 0.4999)).toBe(false);
    expect(discountShareAtLeast(5000, 10000, 0.5001)).toBe(false);
    // 0.1 + 0.2 prints as 0.30000000000000004: 3 of 10 is below it
    expect(discountShareAtLeast(3, 10, 0.1 + 0.2)).toBe(false);
    expect(discountShareAtLeast(3, 10, 0.3)).toBe(true);
    expect(discountShareAtLeast(1, 10_000_000, 1e-7)).toBe(true);
    expect(discountShareAtLeast(0, 1, 0)).toBe(true);
    expect(discountShareAtLeast(1, 1, 1)).toBe(true);
    expect(discountShareAtLeast(0, 0, 0)).toBe(false);
  });
  it("agrees with integer cross-multiplication for shares of up to 4 decimals", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.nat(10_000), fc.nat(10_000), (frequency, d, s) => {
        const discounted = d % (frequency + 1);
        expect(discountShareAtLeast(discounted, frequency, s / 10_000)).toBe(
          discounted * 10_000 >= s * frequency,
        );
      }),
    );
  });
});

describe("segmentFor", () => {
  it("reads the rules in order", () => {
    const t = DEFAULT_THRESHOLDS;
    expect(segmentFor(input({ frequency: 0, recencyDays: null, f: null, m: null }), t)).toBe("prospect");
    expect(segmentFor(input({ recencyDays: 181, f: 5, m: 5, frequency: 9 }), t)).toBe("lapsed");
    expect(segmentFor(input({ recencyDays: 180, f: 5, m: 5, frequency: 9 }), t)).toBe("vip");
    expect(segmentFor(input({ f: 4, m: 4, frequency: 1 }), t)).toBe("regular"); // vip needs 2 orders
    expect(segmentFor(input({ f: 4, m: 3, frequency: 2, discountedOrders: 1 }), t)).toBe("price_sensitive");
    expect(segmentFor(input({ frequency: 3, discountedOrders: 1, recencyDays: 30 }), t)).toBe("recent");
    expect(segmentFor(input({ frequency: 3, discountedOrders: 1, recencyDays: 31 }), t)).toBe("regular");
  });

  it("is total and exclusive: exactly the first rule of the list that holds", () => {
    const arbThresholds = fc
      .record({
        lapsedAfterDays: fc.integer({ min: 1, max: 400 }),
        vipMinF: fc.integer({ min: 1, max: 5 }),
        vipMinM: fc.integer({ min: 1, max: 5 }),
        vipMinOrders: fc.integer({ min: 1, max: 5 }),
        priceSensitiveShare: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
        recentWithinDays: fc.integer({ min: 0, max: 399 }),
      })
      .filter((t) => t.recentWithinDays < t.lapsedAfterDays);
    const arbInput = fc.oneof(
      fc.constant<SegmentInput>({ frequency: 0, recencyDays: null, f: null, m: null, discountedOrders: 0 }),
      fc
        .record({
          frequency: fc.integer({ min: 1, max: 20 }),
          recencyDays: fc.nat(500),
          f: fc.integer({ min: 1, max: 5 }),
          m: fc.integer({ min: 1, max: 5 }),
          d: fc.nat(20),
        })
        .map(({ d, ...c }) => ({ ...c, discountedOrders: d % (c.frequency + 1) })),
    );
    fc.assert(
      fc.property(arbInput, arbThresholds, (c, t) => {
        const days = c.recencyDays ?? -1;
        const holds: Record<Segment, boolean> = {
          prospect: c.frequency === 0,
          lapsed: c.frequency > 0 && days > t.lapsedAfterDays,
          vip:
            c.frequency > 0 &&
            (c.f ?? 0) >= t.vipMinF &&
            (c.m ?? 0) >= t.vipMinM &&
            c.frequency >= t.vipMinOrders,
          price_sensitive:
            c.frequency > 0 &&
            c.discountedOrders * 100 >= Math.round(t.priceSensitiveShare * 100) * c.frequency,
          recent: c.frequency > 0 && days <= t.recentWithinDays,
          regular: true,
        };
        const first = SEGMENTS.find((s) => holds[s]);
        expect(segmentFor(c, t)).toBe(first);
        expect(SEGMENTS).toContain(segmentFor(c, t));
      }),
    );
  });

  it("has merchant words for every segment", () => {
    for (const s of SEGMENTS) expect(SEGMENT_TREATMENT[s].label.length).toBeGreaterThan(0);
  });
});
