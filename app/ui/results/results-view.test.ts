import { describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTION_WINDOWS } from "../../campaigns/settings/attribution-windows";
import { computeLift } from "../../results/lift";
import { rates, ZERO_FUNNEL, type FunnelSummary } from "../../results/report/summarize";
import {
  breakdownRow,
  complaintLine,
  describeAttribution,
  formatRate,
  formatWindow,
  funnelSteps,
  liftFigure,
  liftSummary,
  liftVerdict,
  segmentLiftRows,
} from "./results-view";

const money = (minor: bigint) => `$${minor / 100n}.${String(minor % 100n).padStart(2, "0")}`;

function summary(over: Partial<FunnelSummary>): FunnelSummary {
  const counts = { ...ZERO_FUNNEL, ...over };
  return { ...counts, rates: rates(counts, counts.delivered) };
}

const season = summary({
  planned: 2_000,
  holdout: 200,
  sent: 1_900,
  failed: 40,
  skipped: 60,
  delivered: 1_880,
  bounced: 20,
  openedHuman: 470,
  openedMachineOnly: 120,
  clickedHuman: 94,
  clickedMachineOnly: 3,
  complained: 1,
  unsubscribed: 9,
  orders: 19,
  revenueMinor: 123_456n,
});

describe("the Results pages' figures", () => {
  it("writes rates as percentages and nothing to divide by as a dash", () => {
    expect(formatRate(0.123456)).toBe("12.3%");
    expect(formatRate(0.0005, 2)).toBe("0.05%");
    expect(formatRate(1, 0)).toBe("100%");
    expect(formatRate(null)).toBe("—");
  });

  it("says the attribution windows in days from two days up, in hours below", () => {
    expect([1, 24, 36, 48, 120, 125].map(formatWindow)).toEqual([
      "1 hour",
      "24 hours",
      "36 hours",
      "2 days",
      "5 days",
      "125 hours",
    ]);
    expect(
      describeAttribution({
        ...DEFAULT_ATTRIBUTION_WINDOWS,
        emailClickHours: 72,
        smsClickHours: 12,
        discountCodeDays: 1,
      }),
    ).toBe(
      "Orders credited to the last human click within 3 days of an email (12 hours of a text), else a " +
        "discount code the message carried (used within 1 day of sending), else the landing page's UTM; " +
        "cancelled and test orders never count; refunds lower revenue.",
    );
  });

  it("lays out the funnel with machine opens and clicks apart", () => {
    expect(funnelSteps(season, money).map((s) => [s.label, s.value, s.count, s.rate, s.note])).toEqual([
      ["Planned", "2,000", 2_000, "", "200 held out to measure lift"],
      ["Sent", "1,900", 1_900, "95.0% of planned", "40 failed, 60 skipped"],
      ["Delivered", "1,880", 1_880, "98.9% of sent", "20 bounced"],
      ["Opened", "470", 470, "25.0% of delivered emails", "+ 120 by privacy proxies, not counted"],
      ["Clicked", "94", 94, "5.0% of delivered", "+ 3 by link scanners, not counted"],
      ["Ordered", "19", 19, "1.0% of delivered", ""],
      ["Revenue", "$1234.56", null, "", ""],
    ]);
    expect(funnelSteps(summary({}), money).map((s) => s.rate)).toEqual(["", "—", "—", "—", "—", "—", ""]);
  });

  it("puts a channel's or segment's row in words", () => {
    expect(breakdownRow("email", "Email", season, money)).toEqual({
      key: "email",
      label: "Email",
      sent: "1,900",
      delivered: "98.9%",
      open: "25.0%",
      click: "5.0%",
      orders: "19",
      revenue: "$1234.56",
      complaint: "0.05%",
      unsubscribe: "0.48%",
    });
  });

  it("warns above the 0.1% complaint line, and only above it", () => {
    expect(complaintLine(season)).toEqual({
      over: false,
      text:
        "Spam complaints: 0.05% of delivered emails (1), within the 0.1% line; mailbox providers start " +
        "filtering above 0.1%. Unsubscribes: 0.48% of delivered messages (9).",
    });
    expect(complaintLine(summary({ delivered: 1_000, complained: 1 }))?.over).toBe(false);
    expect(complaintLine(summary({ delivered: 1_000, complained: 2 }))).toMatchObject({
      over: true,
      text: expect.stringMatching(
        /^Spam complaints: 0\.20% of delivered emails \(2\), above the 0\.1% line;/,
      ),
    });
    expect(complaintLine(summary({}))).toBeNull();
  });

  it("gives lift in points with its interval, or why it is not known", () => {
    const clear = computeLift({
      treated: { n: 10_000, conversions: 600, nonzeroRevenues: [] },
      control: { n: 10_000, conversions: 400, nonzeroRevenues: [] },
    });
    // +2.0 points; Newcombe's interval for 600/10,000 − 400/10,000 is about ±0.6
    expect(liftFigure(clear)).toMatch(/^\+2\.0 points \(\+1\.[34] to \+2\.[67]\)$/);
    expect(liftVerdict(clear)).toBe("Enough data");
    expect(liftSummary(clear)).toBe(liftFigure(clear));

    const unclear = computeLift({
      treated: { n: 100, conversions: 3, nonzeroRevenues: [] },
      control: { n: 100, conversions: 2, nonzeroRevenues: [] },
    });
    expect(liftFigure(unclear)).toMatch(/^\+1\.0 points \(−\d+\.\d to \+\d+\.\d\)$/);
    expect(liftSummary(unclear)).toBe("Not enough data yet");

    const noHoldout = computeLift({
      treated: { n: 100, conversions: 3, nonzeroRevenues: [] },
      control: { n: 0, conversions: 0, nonzeroRevenues: [] },
    });
    expect(liftFigure(noHoldout)).toBe("—");
    expect(liftSummary(noHoldout)).toBe("No holdout");
    expect(segmentLiftRows([{ segment: "price_sensitive", lift: noHoldout }])).toEqual([
      {
        segment: "price_sensitive",
        label: "Price-sensitive",
        treated: "100",
        control: "0",
        lift: "—",
        verdict: "No holdout",
      },
    ]);
  });
});
