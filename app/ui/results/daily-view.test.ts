import { describe, expect, it } from "vitest";
import { dailyView } from "./daily-view";

const row = (
  day: string,
  over: Partial<{ sent: number; openedHuman: number; orders: number; revenueMinor: bigint }> = {},
) => ({
  day,
  sent: 0,
  delivered: 0,
  openedHuman: 0,
  clickedHuman: 0,
  orders: 0,
  revenueMinor: 0n,
  ...over,
});
const yen = (minor: bigint) => `¥${minor}`;
const euro = (minor: bigint) => `€${minor / 100n}.${String(minor % 100n).padStart(2, "0")}`;

describe("the days of a source", () => {
  it("fills quiet days with zeros, across a month's end, and gives revenue exactly and as a chart number", () => {
    const days = dailyView(
      [
        row("2026-11-29", { sent: 1_000, openedHuman: 250 }),
        row("2026-12-02", { orders: 3, revenueMinor: 12_345n }),
      ],
      euro,
      2,
    );
    expect(days.map((d) => [d.day, d.label, d.sent, d.opened, d.orders, d.revenue, d.revenueValue])).toEqual([
      ["2026-11-29", "Sun, Nov 29, 2026", 1_000, 250, 0, "€0.00", 0],
      ["2026-11-30", "Mon, Nov 30, 2026", 0, 0, 0, "€0.00", 0],
      ["2026-12-01", "Tue, Dec 1, 2026", 0, 0, 0, "€0.00", 0],
      ["2026-12-02", "Wed, Dec 2, 2026", 0, 0, 3, "€123.45", 123.45],
    ]);
  });

  it("scales a currency without minor units by 1", () => {
    expect(dailyView([row("2026-12-24", { revenueMinor: 5_000n })], yen, 0)[0]).toMatchObject({
      revenue: "¥5000",
      revenueValue: 5_000,
    });
  });

  it("has no days before anything happened, and lists only active days over a span too long to fill", () => {
    expect(dailyView([], euro, 2)).toEqual([]);
    expect(dailyView([row("2025-01-01"), row("2026-12-01")], euro, 2).map((d) => d.day)).toEqual([
      "2025-01-01",
      "2026-12-01",
    ]);
  });
});
