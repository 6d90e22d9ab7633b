import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cutoffDate,
  cutoffDaysBeforeChristmas,
  DEFAULT_SHIPPING_CUTOFFS,
  deliveryPromiseOn,
  ShippingCutoffs,
} from "./shipping";

const messages = (value: unknown) =>
  ShippingCutoffs.safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];

describe("ShippingCutoffs", () => {
  it("defaults to Dec 15 standard and Dec 20 express", () => {
    const defaults = ShippingCutoffs.parse({});
    expect(defaults).toEqual({ standard: { date: "12-15" }, express: { date: "12-20" } });
    expect(defaults).toEqual(DEFAULT_SHIPPING_CUTOFFS);
    expect(cutoffDate(2026, defaults.standard)).toBe("2026-12-15");
    expect(cutoffDate(2026, defaults.express)).toBe("2026-12-20");
  });

  it("takes a date or a number of days before Christmas", () => {
    const cutoffs = ShippingCutoffs.parse({
      standard: { daysBeforeChristmas: 12 },
      express: { date: "12-21" },
    });
    expect(cutoffDate(2026, cutoffs.standard)).toBe("2026-12-13");
    expect(cutoffDate(2026, cutoffs.express)).toBe("2026-12-21");
    expect(cutoffDate(2028, { date: "11-01" })).toBe("2028-11-01");
    expect(cutoffDaysBeforeChristmas({ date: "11-01" })).toBe(54);
  });

  it("names the field and the fix for each mistake", () => {
    expect(messages({ standard: { date: "12-25" } })).toEqual([
      'standard.date: Standard shipping cut-off date must be a month-day from 11-01 to 12-24, like "12-15"',
    ]);
    expect(messages({ standard: { date: "2026-12-15" } })).toHaveLength(1);
    expect(messages({ express: { daysBeforeChristmas: 0 } })).toEqual([
      "express.daysBeforeChristmas: Express shipping cut-off must be at least 1 day before Christmas",
    ]);
    expect(messages({ express: { daysBeforeChristmas: 2.5 } })).toEqual([
      "express.daysBeforeChristmas: Express shipping cut-off days before Christmas must be a whole number of days",
    ]);
    expect(messages({ standard: { date: "12-15", daysBeforeChristmas: 10 } })).toEqual([
      'standard: Standard shipping cut-off needs exactly one of "date" (like "12-15") or "daysBeforeChristmas" (like 10)',
    ]);
    expect(messages({ standard: {} })).toHaveLength(1);
    expect(messages({ standard: { day: "12-15" } })[0]).toBe(
      'standard: Standard shipping cut-off takes only "date" or "daysBeforeChristmas"',
    );
    expect(messages({ overnight: { date: "12-23" } })[0]).toMatch(/take only "standard" and "express"/);
    expect(messages("12-15")).toEqual([
      ': Shipping cut-offs must be an object like { "standard": { "date": "12-15" } }',
    ]);
  });

  it("refuses an express cut-off earlier than the standard one, once", () => {
    expect(messages({ standard: { date: "12-18" }, express: { daysBeforeChristmas: 10 } })).toEqual([
      "express: Express shipping cut-off (10 days before Christmas) must not be earlier than the standard cut-off (7 days before Christmas): express delivery is the faster one",
    ]);
    expect(messages({ standard: { date: "12-18" }, express: { date: "12-18" } })).toEqual([]);
    expect(messages({ standard: { date: "12-32" }, express: { date: "12-01" } })).toHaveLength(1);
  });

  it("resolves every valid cut-off to a date from Nov 1 to Dec 24 of the year", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 54 }), (year, days) => {
        const date = cutoffDate(year, { daysBeforeChristmas: days });
        expect(date >= `${year}-11-01` && date <= `${year}-12-24`).toBe(true);
        expect(cutoffDaysBeforeChristmas({ date: date.slice(5) })).toBe(days);
      }),
    );
  });
});

describe("deliveryPromiseOn", () => {
  const cutoffs = { standard: { date: "12-15" }, express: { date: "12-20" } };
  it("promises the standard cut-off until it passes, then express, then nothing (hand-worked)", () => {
    expect(deliveryPromiseOn(cutoffs, "2026-12-01")).toEqual({
      orderBy: "2026-12-15T23:59",
      shipping: "standard",
      occasion: "Christmas",
      date: "2026-12-25",
    });
    expect(deliveryPromiseOn(cutoffs, "2026-12-15")?.shipping).toBe("standard");
    expect(deliveryPromiseOn(cutoffs, "2026-12-16")).toEqual({
      orderBy: "2026-12-20T23:59",
      shipping: "express",
      occasion: "Christmas",
      date: "2026-12-25",
    });
    expect(deliveryPromiseOn(cutoffs, "2026-12-21")).toBeNull();
    expect(deliveryPromiseOn(cutoffs, "2026-12-28")).toBeNull();
  });
  it("makes no Christmas promise months ahead", () => {
    expect(deliveryPromiseOn(cutoffs, "2026-03-01")).toBeNull();
    expect(deliveryPromiseOn(cutoffs, "2026-10-30")).toBeNull();
    expect(deliveryPromiseOn(cutoffs, "2026-11-01")?.orderBy).toBe("2026-12-15T23:59");
  });
});
