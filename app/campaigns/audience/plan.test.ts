import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SendRecord } from "../../messaging/rules/caps";
import { holdoutPosition } from "../../messaging/rules/holdout";
import {
  PLAN_CSV_COLUMNS,
  planCsvRecord,
  planCustomer,
  plannedSends,
  SKIP_REASONS,
  type AudienceCampaign,
  type AudienceCustomer,
  type PlanCustomerInput,
} from "./plan";
import { DEFAULT_AUDIENCE_SETTINGS, type AudienceSettings } from "../../messaging/rules/settings";
import { localClock, ZONES } from "../../messaging/rules/test-fixtures";

const noHoldout: AudienceSettings = { ...DEFAULT_AUDIENCE_SETTINGS, holdoutShare: 0 };
const campaign = (over: Partial<AudienceCampaign> = {}): AudienceCampaign => ({
  key: "bfcm-2026",
  channels: ["email", "sms"],
  channelMode: "first",
  localDate: "2026-11-27",
  localTime: "10:00",
  endsAt: new Date("2026-11-30T12:00:00Z"),
  ...over,
});
const customer = (over: Partial<AudienceCustomer> = {}): AudienceCustomer => ({
  id: "7400000000001",
  segment: "vip",
  email: "ada@example.com",
  phone: "+13055550100",
  emailMarketingState: "SUBSCRIBED",
  smsMarketingState: "SUBSCRIBED",
  countryCode: "US",
  provinceCode: "NY",
  timeZone: "America/New_York",
  ...over,
});
const plan = (over: Partial<PlanCustomerInput> = {}) =>
  planCustomer({
    campaign: campaign(),
    customer: customer(),
    suppressions: [],
    history: [],
    shopTimeZone: "America/Chicago",
    now: new Date("2026-11-01T00:00:00Z"),
    settings: noHoldout,
    ...over,
  });
const brief = (rows: ReturnType<typeof plan>) =>
  rows.map((r) => [r.channel, r.skipReason, r.sendAtUtc?.toISOString() ?? null, r.localSendTime]);

describe("planCustomer", () => {
  it("sends at the campaign's local time on the first eligible channel", () => {
    const rows = plan();
    expect(rows).toEqual([
      {
        campaign: "bfcm-2026",
        customerId: "7400000000001",
        segment: "vip",
        channel: "email",
        holdout: false,
        sendAtUtc: new Date("2026-11-27T15:00:00Z"),
        localSendTime: "2026-11-27T10:00:00-05:00",
        timeZone: "America/New_York",
        timeZoneFallback: null,
        localTimeAdjustment: "exact",
        skipReason: null,
      },
    ]);
    expect(plannedSends(rows)).toEqual([
      { campaign: "bfcm-2026", channel: "email", at: new Date("2026-11-27T15:00:00Z") },
    ]);
  });

  it("all channels: an SMS at 20:30 in Florida waits for 08:00 the next day, email does not", () => {
    const rows = plan({
      campaign: campaign({ channelMode: "all", localTime: "20:30" }),
      customer: customer({ provinceCode: "FL" }),
    });
    expect(brief(rows)).toEqual([
      ["email", null, "2026-11-28T01:30:00.000Z", "2026-11-27T20:30:00-05:00"],
      ["sms", null, "2026-11-28T13:00:00.000Z", "2026-11-28T08:00:00-05:00"],
    ]);
  });

  it("uses the shop's zone when the customer has none, and records why", () => {
    const [row] = plan({ customer: customer({ timeZone: null }) });
    expect(row).toMatchObject({
      timeZone: "America/Chicago",
      timeZoneFallback: "customer_zone_missing",
      localSendTime: "2026-11-27T10:00:00-06:00",
    });
    expect(plan({ customer: customer({ timeZone: "Eastern" }) })[0]).toMatchObject({
      timeZone: "America/Chicago",
      timeZoneFallback: "customer_zone_invalid",
    });
  });

  it("moves a passed time to now, and skips once the campaign has ended", () => {
    const now = new Date("2026-11-28T18:00:00.250Z");
    expect(brief(plan({ now }))).toEqual([
      ["email", null, "2026-11-28T18:00:01.000Z", "2026-11-28T13:00:01-05:00"],
    ]);
    expect(brief(plan({ now, campaign: campaign({ endsAt: new Date("2026-11-28T00:00:00Z") }) }))).toEqual([
      ["email", "campaign_ended", null, null],
    ]);
  });

  it("defers for the frequency cap, and skips when that is after the campaign's end", () => {
    const history: SendRecord[] = [
      { campaign: "early-access", channel: "email", at: new Date("2026-11-27T05:00:00Z") },
    ];
    expect(brief(plan({ history }))).toEqual([
      ["email", null, "2026-11-27T21:00:00.000Z", "2026-11-27T16:00:00-05:00"],
    ]);
    const rows = plan({ history, campaign: campaign({ endsAt: new Date("2026-11-27T18:00:00Z") }) });
    expect(brief(rows)).toEqual([["email", "frequency_cap", null, null]]);
    expect(plannedSends(rows)).toEqual([]);
  });

  it("gives the eligibility reason of every channel considered", () => {
    const rows = plan({
      campaign: campaign({ channels: ["sms", "email", "webhook"], channelMode: "all" }),
      customer: customer({ smsMarketingState: "PENDING", email: null }),
    });
    expect(brief(rows)).toEqual([
      ["sms", "no_consent", null, null],
      ["email", "no_address", null, null],
      ["webhook", null, "2026-11-27T15:00:00.000Z", "2026-11-27T10:00:00-05:00"],
    ]);
  });

  it("holds out the control group: recorded with the time it would have been sent, never sent", () => {
    const settings = { ...DEFAULT_AUDIENCE_SETTINGS, holdoutShare: 0.5 };
    const id =
      ["1", "2", "3", "4", "5", "6", "7", "8"].find((i) => holdoutPosition("bfcm-2026", i) < 0.5) ?? "";
    const rows = plan({
      settings,
      customer: customer({ id }),
      campaign: campaign({ channels: ["webhook", "sms"], channelMode: "all", localTime: "22:00" }),
      suppressions: [{ channel: "sms", reason: "complained" }],
    });
    expect(rows.map((r) => [r.channel, r.holdout, r.skipReason, r.sendAtUtc?.toISOString() ?? null])).toEqual(
      [
        ["webhook", true, "holdout", "2026-11-28T03:00:00.000Z"],
        ["sms", true, "suppressed_complained", null],
      ],
    );
    expect(plannedSends(rows)).toEqual([]);
  });

  it("writes the CSV columns", () => {
    expect(PLAN_CSV_COLUMNS.join(",")).toBe(
      "campaign,customer_id,segment,channel,holdout,send_at_utc,local_send_time,time_zone,skip_reason",
    );
    const [row] = plan({ customer: customer({ smsMarketingState: null, emailMarketingState: null }) });
    expect(row && planCsvRecord(row)).toEqual({
      campaign: "bfcm-2026",
      customer_id: "7400000000001",
      segment: "vip",
      channel: "email",
      holdout: "false",
      send_at_utc: "",
      local_send_time: "",
      time_zone: "America/New_York",
      skip_reason: "no_consent",
    });
    const [sent] = plan();
    expect(sent && planCsvRecord(sent)).toMatchObject({
      send_at_utc: "2026-11-27T15:00:00.000Z",
      local_send_time: "2026-11-27T10:00:00-05:00",
      skip_reason: "",
    });
  });

  it("holds out 10% of 20k planned customers, within 1 point", () => {
    const settings = DEFAULT_AUDIENCE_SETTINGS;
    let held = 0;
    for (let i = 0; i < 20_000; i++)
      if (plan({ settings, customer: customer({ id: String(7_400_000_000_000 + i) }) })[0]?.holdout) held++;
    expect(Math.abs(held / 20_000 - 0.1)).toBeLessThan(0.01);
  });

  const arbCustomer = fc.record({
    id: fc.nat().map(String),
    segment: fc.constantFrom("vip", "lapsed"),
    email: fc.constantFrom("a@b.c", null),
    phone: fc.constantFrom("+15555550100", null),
    emailMarketingState: fc.constantFrom("SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", null),
    smsMarketingState: fc.constantFrom("SUBSCRIBED", "PENDING", null),
    countryCode: fc.constantFrom("US", "CA", null),
    provinceCode: fc.constantFrom("FL", "WA", "NY", "QC", null),
    timeZone: fc.constantFrom(...ZONES, null, "Not/AZone"),
  });
  const arbCampaign = fc.record({
    key: fc.constantFrom("bfcm", "cyber-monday"),
    channels: fc.uniqueArray(fc.constantFrom("email" as const, "sms" as const, "webhook" as const), {
      minLength: 1,
    }),
    channelMode: fc.constantFrom("first" as const, "all" as const),
    localDate: fc.constantFrom("2026-03-08", "2026-10-04", "2026-11-01", "2026-11-27"),
    localTime: fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
    endsAt: fc.option(
      fc.integer({ min: Date.UTC(2026, 2, 1), max: Date.UTC(2026, 11, 31) }).map((t) => new Date(t)),
      { nil: null },
    ),
  });

  it("property: every row is consistent; SMS is never in quiet hours; nothing goes out before now or after the end", () => {
    fc.assert(
      fc.property(
        arbCampaign,
        arbCustomer,
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
        (c, cust, nowMs) => {
          const rows = plan({
            campaign: c,
            customer: cust,
            now: new Date(nowMs),
            settings: DEFAULT_AUDIENCE_SETTINGS,
            shopTimeZone: "Europe/London",
          });
          expect(rows.length).toBeGreaterThan(0);
          expect(new Set(rows.map((r) => r.holdout)).size).toBe(1);
          for (const r of rows) {
            expect(SKIP_REASONS).toContain(r.skipReason ?? "holdout");
            expect(r.sendAtUtc === null).toBe(r.localSendTime === null);
            if (r.skipReason === "holdout") expect(r.holdout).toBe(true);
            if (r.holdout) expect(r.skipReason).not.toBeNull();
            if (!r.sendAtUtc || !r.localSendTime) continue;
            expect(Date.parse(r.localSendTime)).toBe(r.sendAtUtc.getTime());
            expect(r.sendAtUtc.getTime()).toBeGreaterThanOrEqual(nowMs);
            if (c.endsAt) expect(r.sendAtUtc.getTime()).toBeLessThanOrEqual(c.endsAt.getTime());
            if (r.channel === "sms") {
              const { hour, minute } = localClock(r.sendAtUtc.getTime(), r.timeZone);
              const end =
                cust.countryCode === "US" && (cust.provinceCode === "FL" || cust.provinceCode === "WA")
                  ? 20 * 60
                  : 21 * 60;
              expect(hour * 60 + minute).toBeGreaterThanOrEqual(8 * 60);
              expect(hour * 60 + minute).toBeLessThan(end);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
