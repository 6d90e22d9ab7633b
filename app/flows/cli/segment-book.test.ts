import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoreCustomers, type RfmCustomer } from "../../segments/rfm";
import { DEFAULT_THRESHOLDS, SegmentThresholds } from "../../segments/rules";
import { SegmentBook } from "./segment-book";

// The book scores one customer against everyone in O(log n); the oracle is the segments command's
// scoring of the whole table at once (rfm.ts scoreCustomers), as of the same moment.

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-24T00:00:00Z");

const order = fc.record({
  customer: fc.integer({ min: 0, max: 11 }),
  totalMinor: fc.oneof(fc.constantFrom(0, 500, 1250), fc.integer({ min: 0, max: 50_000 })),
  discounted: fc.boolean(),
  // whole days and odd milliseconds: recency's floor at the day boundary matters
  placedMs: fc.oneof(
    fc.integer({ min: -400, max: 0 }).map((d) => T0 + d * DAY),
    fc.integer({ min: -400 * DAY, max: 0 }).map((ms) => T0 + ms),
  ),
});
const thresholds = fc.oneof(
  fc.constant(DEFAULT_THRESHOLDS),
  fc
    .record({
      lapsedAfterDays: fc.integer({ min: 31, max: 200 }),
      vipMinF: fc.integer({ min: 1, max: 5 }),
      vipMinM: fc.integer({ min: 1, max: 5 }),
      vipMinOrders: fc.integer({ min: 1, max: 3 }),
      priceSensitiveShare: fc.constantFrom(0, 0.25, 0.5, 1),
      recentWithinDays: fc.integer({ min: 0, max: 30 }),
    })
    .map((t) => SegmentThresholds.parse(t)),
);

describe("SegmentBook", () => {
  it("gives every customer the segment the whole table's scoring gives (property)", () => {
    fc.assert(
      fc.property(
        fc.array(order, { maxLength: 40 }),
        thresholds,
        fc.integer({ min: 0, max: 3 * DAY }),
        (orders, t, later) => {
          const book = new SegmentBook(t);
          const customers: RfmCustomer[] = Array.from({ length: 12 }, (_, i) => ({
            id: String(i),
            frequency: 0,
            monetaryMinor: 0n,
            lastOrderAt: null,
            discountedOrders: 0,
          }));
          for (const c of customers) expect(book.addCustomer(c.id)).toBe(true);
          for (const o of orders) {
            book.addOrder(String(o.customer), o.totalMinor, o.discounted, o.placedMs);
            const c = customers[o.customer];
            if (!c) continue;
            c.frequency++;
            c.monetaryMinor += BigInt(o.totalMinor);
            if (o.discounted) c.discountedOrders++;
            if (c.lastOrderAt === null || c.lastOrderAt.getTime() < o.placedMs)
              c.lastOrderAt = new Date(o.placedMs);
          }
          const asOf = new Date(T0 + later);
          const oracle = scoreCustomers(customers, asOf, t);
          expect(customers.map((c) => book.segmentAt(c.id, asOf))).toEqual(oracle.map((s) => s.segment));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("knows its customers once", () => {
    const book = new SegmentBook(DEFAULT_THRESHOLDS);
    expect(book.addCustomer("7")).toBe(true);
    expect(book.addCustomer("7")).toBe(false);
    expect(book.has("7")).toBe(true);
    expect(book.segmentAt("7", new Date(T0))).toBe("prospect");
    expect(() => book.addOrder("8", 100, false, T0)).toThrow(RangeError);
  });
});
