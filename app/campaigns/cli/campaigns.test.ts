import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIENCE_SETTINGS, isHoldout, type AudienceCustomer } from "../audience";
import { buildPlaybook } from "../playbooks";
import { campaignSends, CustomerPlanner, outputOrder, type CampaignSendPlan } from "./campaigns";

const sends = campaignSends(buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" }));
const send = (value: string): CampaignSendPlan => {
  const found = sends.find((s) => s.value === value);
  if (!found) throw new Error(`no send ${value}`);
  return found;
};
const customer = (over: Partial<AudienceCustomer> = {}): AudienceCustomer => ({
  id: "gid://shopify/Customer/1",
  segment: "price_sensitive",
  email: "(present)",
  phone: "(present)",
  emailMarketingState: "SUBSCRIBED",
  smsMarketingState: "SUBSCRIBED",
  countryCode: "US",
  provinceCode: "NY",
  timeZone: "America/New_York",
  ...over,
});
const planner = (now: string, holdoutShare: number | null = 0) =>
  new CustomerPlanner(sends, {
    shopTimeZone: "America/Chicago",
    now: new Date(now),
    settings: DEFAULT_AUDIENCE_SETTINGS,
    holdoutShare,
  });
const brief = (rows: ReturnType<CustomerPlanner["rowsFor"]>) =>
  rows.map((r) => [r.campaign, r.channel, r.skipReason, r.sendAtUtc?.toISOString() ?? null]);

describe("campaignSends", () => {
  it("makes one campaign per send of each enabled draft, in time order", () => {
    expect(sends.map((s) => [s.value, s.localDate, s.localTime, s.endsBefore])).toEqual([
      ["cyber-week-2026:vip/early_access", "2026-11-25", "10:00", "2026-12-01"],
      ["cyber-week-2026:lapsed/launch", "2026-11-27", "10:00", "2026-12-01"],
      ["cyber-week-2026:price_sensitive/launch", "2026-11-27", "10:00", "2026-12-01"],
      ["cyber-week-2026:recent/launch", "2026-11-27", "10:00", "2026-12-01"],
      ["cyber-week-2026:price_sensitive/last_hours", "2026-11-30", "18:00", "2026-12-01"],
    ]);
    expect(new Set(sends.map((s) => s.draftKey)).size).toBe(4); // regular and prospect are off
    expect(outputOrder(sends).map((s) => s.value)).toEqual([
      "cyber-week-2026:lapsed/launch",
      "cyber-week-2026:price_sensitive/last_hours",
      "cyber-week-2026:price_sensitive/launch",
      "cyber-week-2026:recent/launch",
      "cyber-week-2026:vip/early_access",
    ]);
  });
});

describe("CustomerPlanner", () => {
  it("plans each send at its local time, rows named by the send", () => {
    const p = planner("2026-11-01T00:00:00Z");
    expect(brief(p.rowsFor(send("cyber-week-2026:price_sensitive/launch"), customer()))).toEqual([
      ["cyber-week-2026:price_sensitive/launch", "sms", null, "2026-11-27T15:00:00.000Z"],
    ]);
    expect(brief(p.rowsFor(send("cyber-week-2026:price_sensitive/last_hours"), customer()))).toEqual([
      ["cyber-week-2026:price_sensitive/last_hours", "sms", null, "2026-11-30T23:00:00.000Z"],
    ]);
  });

  it("counts a customer's earlier send against the cap of the next one of the same campaign", () => {
    // 12:00 in New York on Cyber Monday: the launch has passed and goes now, so the last-hours text
    // at 18:00 would come 6 h later (SMS cap 24 h): deferred past the end, it is skipped.
    const p = planner("2026-11-30T17:00:00Z");
    expect(brief(p.rowsFor(send("cyber-week-2026:price_sensitive/launch"), customer()))).toEqual([
      ["cyber-week-2026:price_sensitive/launch", "sms", null, "2026-11-30T17:00:00.000Z"],
    ]);
    expect(brief(p.rowsFor(send("cyber-week-2026:price_sensitive/last_hours"), customer()))).toEqual([
      ["cyber-week-2026:price_sensitive/last_hours", "sms", "frequency_cap", null],
    ]);
    // Without SMS consent the launch goes by email (cap 16 h): the same outcome on email.
    const emailOnly = customer({ smsMarketingState: "UNSUBSCRIBED" });
    expect(brief(p.rowsFor(send("cyber-week-2026:price_sensitive/last_hours"), emailOnly))).toEqual([
      ["cyber-week-2026:price_sensitive/last_hours", "sms", "no_consent", null],
      ["cyber-week-2026:price_sensitive/last_hours", "email", "frequency_cap", null],
    ]);
  });

  it("ends a campaign at midnight after its last day on the customer's clock", () => {
    // 06:00 UTC on 1 December: past midnight in New York (01:00), still 20:00 on Cyber Monday in
    // Honolulu (inside SMS hours).
    const p = planner("2026-12-01T06:00:00Z");
    const launch = send("cyber-week-2026:price_sensitive/launch");
    expect(brief(p.rowsFor(launch, customer()))).toEqual([
      ["cyber-week-2026:price_sensitive/launch", "sms", "campaign_ended", null],
    ]);
    expect(brief(p.rowsFor(launch, customer({ timeZone: "Pacific/Honolulu", provinceCode: "HI" })))).toEqual([
      ["cyber-week-2026:price_sensitive/launch", "sms", null, "2026-12-01T06:00:00.000Z"],
    ]);
    // No zone of their own: the shop's (Chicago), already past midnight too.
    const noZone = p.rowsFor(launch, customer({ timeZone: null }));
    expect([noZone[0]?.timeZone, noZone[0]?.skipReason]).toEqual(["America/Chicago", "campaign_ended"]);
  });

  it("holds a customer out of all sends of a campaign or none, with the draft's share", () => {
    const p = planner("2026-11-01T00:00:00Z", null);
    let heldOut = 0;
    for (let i = 1; i <= 400; i++) {
      const c = customer({ id: `gid://shopify/Customer/${i}` });
      const launch = p.rowsFor(send("cyber-week-2026:price_sensitive/launch"), c);
      const last = p.rowsFor(send("cyber-week-2026:price_sensitive/last_hours"), c);
      const expected = isHoldout("cyber-week-2026:price_sensitive", c.id, 0.1);
      expect([...launch, ...last].map((r) => r.holdout)).toEqual([expected, expected]);
      if (expected) {
        heldOut++;
        expect(launch[0]?.skipReason).toBe("holdout");
        expect(launch[0]?.sendAtUtc?.toISOString()).toBe("2026-11-27T15:00:00.000Z");
      }
    }
    expect(heldOut).toBeGreaterThan(20);
    // The settings file's share replaces the draft's.
    const all = planner("2026-11-01T00:00:00Z", 0.5);
    const flags = Array.from(
      { length: 400 },
      (_, i) =>
        all.rowsFor(
          send("cyber-week-2026:vip/early_access"),
          customer({ id: String(i + 1), segment: "vip" }),
        )[0]?.holdout,
    );
    expect(flags.filter(Boolean).length).toBeGreaterThan(160);
  });

  it("refuses a campaign of another segment", () => {
    expect(() =>
      planner("2026-11-01T00:00:00Z").rowsFor(send("cyber-week-2026:vip/early_access"), customer()),
    ).toThrow(/not one of segment price_sensitive/);
  });
});
