import { describe, expect, it } from "vitest";
import { buildPlaybook, type CampaignDraft } from "../playbooks";
import { defaultDefinition } from "../lifecycle/definition";
import { CampaignPlanner, type PlanningCustomer } from "./plan-rows";

const NOW = new Date("2026-10-15T12:00:00.000Z");
const drafts = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" });
const draftOf = (segment: string): CampaignDraft => {
  const draft = drafts.find((d) => d.segment === segment);
  if (!draft) throw new Error(segment);
  return draft;
};
const planner = (draft: CampaignDraft, options: { launchNow?: boolean; now?: Date } = {}) =>
  new CampaignPlanner({
    campaignId: "c1",
    definition: defaultDefinition(draft),
    shopTimeZone: "America/New_York",
    now: options.now ?? NOW,
    launchNow: options.launchNow,
  });

const customer = (over: Partial<PlanningCustomer> = {}): PlanningCustomer => ({
  id: "42",
  segment: "price_sensitive",
  hasEmail: true,
  hasPhone: true,
  emailMarketingState: "SUBSCRIBED",
  smsMarketingState: "SUBSCRIBED",
  countryCode: "US",
  provinceCode: "NY",
  timeZone: "America/Chicago",
  ...over,
});

describe("CampaignPlanner", () => {
  it("gives one row per send and channel considered, at the local time, with outbox statuses", () => {
    const rows = planner(draftOf("price_sensitive")).rowsFor(
      customer({ smsMarketingState: null, id: "7" }),
      [],
      [],
    );
    expect(rows.map((r) => [r.sendKey, r.channel, r.status, r.skipReason, r.localSendTime])).toEqual([
      ["launch", "sms", "skipped", "no_consent", null],
      ["launch", "email", "planned", null, "2026-11-27T10:00:00-06:00"],
      ["last_hours", "sms", "skipped", "no_consent", null],
      ["last_hours", "email", "planned", null, "2026-11-30T18:00:00-06:00"],
    ]);
  });

  it("holds a customer out of every send of the campaign or none", () => {
    const p = planner({ ...draftOf("price_sensitive"), holdoutShare: 0.5 });
    for (let id = 1; id <= 200; id++) {
      const statuses = new Set(p.rowsFor(customer({ id: String(id) }), [], []).map((r) => r.status));
      expect(statuses.size).toBe(1);
    }
  });

  it("caps a send against the campaign's own earlier send and other campaigns' messages", () => {
    const draft = {
      ...draftOf("price_sensitive"),
      channels: ["email" as const],
      sends: [
        { key: "launch" as const, localDate: "2026-11-27", localTime: "10:00" },
        { key: "last_hours" as const, localDate: "2026-11-27", localTime: "12:00" },
      ],
      holdoutShare: 0,
    };
    const own = planner(draft).rowsFor(customer(), [], []);
    // 16 h after 10:00 Chicago = 02:00 next day.
    expect(own.map((r) => r.localSendTime)).toEqual([
      "2026-11-27T10:00:00-06:00",
      "2026-11-28T02:00:00-06:00",
    ]);
    const other = { campaign: "c0/launch", channel: "email" as const, at: new Date("2026-11-27T15:30:00Z") };
    const capped = planner(draft).rowsFor(customer(), [], [other]);
    expect(capped[0]?.sendAt?.toISOString()).toBe("2026-11-28T07:30:00.000Z");
  });

  it("skips a message the caps or SMS hours push past the campaign's last day", () => {
    const draft = {
      ...draftOf("price_sensitive"),
      channels: ["sms" as const],
      sends: [{ key: "launch" as const, localDate: "2026-11-30", localTime: "21:30" }],
      holdoutShare: 0,
    };
    const [row] = planner(draft).rowsFor(customer(), [], []);
    expect(row).toMatchObject({ status: "skipped", skipReason: "campaign_ended", sendAt: null });
  });

  it("sends the first send now for 'send now', keeping later sends at their local times", () => {
    const now = new Date("2026-11-27T03:00:00.200Z");
    const draft = { ...draftOf("price_sensitive"), channels: ["email" as const], holdoutShare: 0 };
    const rows = planner(draft, { launchNow: true, now }).rowsFor(customer(), [], []);
    expect(rows.map((r) => r.sendAt?.toISOString())).toEqual([
      "2026-11-27T03:00:01.000Z",
      "2026-12-01T00:00:00.000Z",
    ]);
    const sms = planner({ ...draft, channels: ["sms"] }, { launchNow: true, now }).rowsFor(
      customer(),
      [],
      [],
    );
    expect(sms[0]?.localSendTime).toBe("2026-11-27T08:00:00-06:00");
  });

  it("suppressions and missing addresses skip the channel", () => {
    const rows = planner(draftOf("vip")).rowsFor(
      customer({ segment: "vip", hasPhone: false }),
      [{ channel: "email", reason: "bounced" }],
      [],
    );
    expect(rows.map((r) => [r.channel, r.skipReason])).toEqual([
      ["email", "suppressed_bounced"],
      ["sms", "no_address"],
    ]);
  });
});
