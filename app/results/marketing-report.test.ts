import { describe, expect, it } from "vitest";
import {
  daysToSend,
  dayEnd,
  marketingActivityInput,
  marketingEngagementInput,
  type MarketingDay,
  type MarketingSummary,
} from "./marketing-report";

const day = (over: Partial<MarketingDay> = {}): MarketingDay => ({
  day: "2026-11-27",
  utcOffset: "-05:00",
  delivered: 980,
  clicks: 120,
  fails: 20,
  complaints: 1,
  unsubscribes: 4,
  salesMinor: 123456n,
  currencyCode: "USD",
  ...over,
});

const summary = (over: Partial<MarketingSummary> = {}): MarketingSummary => ({
  shop: "s.myshopify.com",
  kind: "campaign",
  id: "cmp_1",
  key: "cyber-week-2026:vip",
  title: "Cyber Week — VIP",
  status: "active",
  channels: ["email", "sms"],
  startedAt: new Date("2026-11-27T14:00:00Z"),
  utm: { campaign: "cyber-week-2026-vip", source: "holiday-segments", medium: "email" },
  remoteUrl: "https://app.example.com/app/campaigns/cmp_1",
  days: [day()],
  ...over,
});

describe("marketingEngagementInput", () => {
  it("sends sales as an exact decimal in the currency's minor digits", () => {
    const sales = (salesMinor: bigint, currencyCode: string) =>
      marketingEngagementInput(day({ salesMinor, currencyCode })).sales;
    expect(sales(123456n, "USD")).toEqual({ amount: "1234.56", currencyCode: "USD" });
    expect(sales(5n, "USD")).toEqual({ amount: "0.05", currencyCode: "USD" });
    expect(sales(123456n, "JPY")).toEqual({ amount: "123456", currencyCode: "JPY" });
    expect(sales(123456n, "KWD")).toEqual({ amount: "123.456", currencyCode: "KWD" });
    expect(sales(9007199254740993n, "USD")).toEqual({ amount: "90071992547409.93", currencyCode: "USD" });
  });

  it("maps delivered to impressions and bounces to fails, for the shop's day and offset", () => {
    expect(marketingEngagementInput(day())).toEqual({
      occurredOn: "2026-11-27",
      utcOffset: "-05:00",
      impressionsCount: 980,
      clicksCount: 120,
      failsCount: 20,
      complaintsCount: 1,
      unsubscribesCount: 4,
      sales: { amount: "1234.56", currencyCode: "USD" },
    });
  });

  it("refuses what Shopify could not take", () => {
    expect(() => marketingEngagementInput(day({ day: "27/11/2026" }))).toThrow(RangeError);
    expect(() => marketingEngagementInput(day({ day: "2026-02-30" }))).toThrow(RangeError);
    expect(() => marketingEngagementInput(day({ utcOffset: "-5" }))).toThrow(RangeError);
    expect(() => marketingEngagementInput(day({ clicks: -1 }))).toThrow(RangeError);
    expect(() => marketingEngagementInput(day({ delivered: 2 ** 31 }))).toThrow(RangeError);
  });
});

describe("marketingActivityInput", () => {
  it("is the whole activity, with a stable remoteId", () => {
    expect(
      marketingActivityInput(summary({ endedAt: new Date("2026-11-30T05:00:00Z"), status: "completed" })),
    ).toEqual({
      remoteId: "campaign:cmp_1",
      title: "Cyber Week — VIP",
      remoteUrl: "https://app.example.com/app/campaigns/cmp_1",
      status: "INACTIVE",
      tactic: "NEWSLETTER",
      marketingChannelType: "EMAIL",
      utm: { campaign: "cyber-week-2026-vip", source: "holiday-segments", medium: "email" },
      start: "2026-11-27T14:00:00.000Z",
      end: "2026-11-30T05:00:00.000Z",
    });
  });

  it("chooses tactic and channel as a merchant reads them", () => {
    const of = (over: Partial<MarketingSummary>) => {
      const input = marketingActivityInput(summary(over));
      return [input.tactic, input.marketingChannelType, input.status];
    };
    expect(of({ channels: ["sms"], status: "paused" })).toEqual(["MESSAGE", "REFERRAL", "PAUSED"]);
    expect(of({ kind: "flow", key: "abandoned_checkout", channels: ["email"] })).toEqual([
      "ABANDONED_CART",
      "EMAIL",
      "ACTIVE",
    ]);
    expect(of({ kind: "flow", key: "welcome", channels: ["email"], status: "scheduled" })).toEqual([
      "NEWSLETTER",
      "EMAIL",
      "SCHEDULED",
    ]);
    expect(of({ status: "deleted" })[2]).toBe("DELETED_EXTERNALLY");
    expect(marketingActivityInput(summary({ kind: "flow", id: "cmp_1" })).remoteId).toBe("flow:cmp_1");
  });
});

describe("daysToSend", () => {
  const days = [day({ day: "2026-11-28" }), day({ day: "2026-11-26" }), day({ day: "2026-11-27" })];

  it("sends finished days not sent before, oldest first, once they have settled", () => {
    expect(dayEnd(day()).toISOString()).toBe("2026-11-28T05:00:00.000Z");
    const at = (iso: string, sent: string[] = []) =>
      daysToSend({ days }, new Set(sent), new Date(iso), 3 * 3_600_000).map((d) => d.day);
    expect(at("2026-11-28T07:59:59Z")).toEqual(["2026-11-26"]);
    expect(at("2026-11-28T08:00:00Z")).toEqual(["2026-11-26", "2026-11-27"]);
    expect(at("2026-11-30T00:00:00Z", ["2026-11-26", "2026-11-27"])).toEqual(["2026-11-28"]);
  });
});
