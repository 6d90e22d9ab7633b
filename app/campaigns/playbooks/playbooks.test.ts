import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEGMENTS } from "../../segments/rules";
import { addDays } from "../../messaging/rules/local-dates";
import { eventOn } from "../calendar/events";
import { InvalidSettingsError } from "../calendar/issues";
import { seasonCalendar } from "../calendar/season";
import { CampaignDraft, PLAYBOOK_KEYS } from "./draft";
import { buildPlaybook, playbookDrafts, PLAYBOOKS } from "./playbooks";

const bySegment = (drafts: CampaignDraft[]) => Object.fromEntries(drafts.map((d) => [d.segment, d]));
const first = (draft: CampaignDraft | undefined) => draft?.sends[0];

describe("buildPlaybook", () => {
  it("proposes Cyber Week 2026 as the issue describes", () => {
    const drafts = bySegment(buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" }));
    expect(drafts.vip).toMatchObject({
      key: "cyber-week-2026:vip",
      sends: [{ key: "early_access", localDate: "2026-11-25", localTime: "10:00" }],
      startsAt: "2026-11-25",
      endsAt: "2026-11-30",
      discount: { type: "none" },
      holdoutShare: 0.1,
      enabled: true,
    });
    expect(drafts.price_sensitive).toMatchObject({
      sends: [
        { key: "launch", localDate: "2026-11-27", localTime: "10:00" },
        { key: "last_hours", localDate: "2026-11-30", localTime: "18:00" },
      ],
      discount: { type: "percent", percent: 20, code: "CYBERWEEK2026" },
    });
    expect(drafts.lapsed).toMatchObject({
      channels: ["email"],
      discount: { type: "none" },
      deliveryGuarantee: true,
      shippingCutoff: { standard: "2026-12-15", express: "2026-12-20" },
    });
    expect(drafts.lapsed?.goal).toContain(
      "order by Tue, Dec 15 (standard) or Sun, Dec 20 (express shipping)",
    );
    expect(drafts.recent).toMatchObject({ includeProducts: true, discount: { type: "none" }, enabled: true });
    expect(drafts.regular).toMatchObject({
      enabled: false,
      sends: [{ key: "launch", localDate: "2026-11-27" }],
    });
    expect(drafts.prospect).toMatchObject({ enabled: false });
  });

  it("runs the Christmas sale from Green Monday to the standard shipping cut-off", () => {
    const drafts = bySegment(buildPlaybook({ playbook: "christmas", year: 2025, countryCode: "GB" }));
    expect(first(drafts.vip)).toEqual({ key: "early_access", localDate: "2025-12-06", localTime: "10:00" });
    expect(drafts.price_sensitive?.sends.map((s) => `${s.key} ${s.localDate}`)).toEqual([
      "launch 2025-12-08",
      "last_hours 2025-12-15",
    ]);
    expect(drafts.price_sensitive?.discount).toEqual({ type: "percent", percent: 15, code: "CHRISTMAS2025" });
    // A cut-off on or before Green Monday: a week's sale that still ends at the cut-off.
    const early = bySegment(
      buildPlaybook({
        playbook: "christmas",
        year: 2026,
        countryCode: "GB",
        shipping: { standard: { date: "12-05" } },
      }),
    );
    expect(early.price_sensitive?.sends.map((s) => s.localDate)).toEqual(["2026-11-29", "2026-12-05"]);
    expect(first(early.vip)?.localDate).toBe("2026-11-27");
    expect(early.vip?.goal).toContain("2 days before the sale's first day");
  });

  it("plans an unknown country and refuses bad settings, naming each field", () => {
    expect(buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "XX" })).toEqual(
      buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: null }),
    );
    const attempt = () =>
      buildPlaybook({ playbook: "easter", year: 2026.5, shipping: { express: { daysBeforeChristmas: 99 } } });
    expect(attempt).toThrow(InvalidSettingsError);
    expect(attempt).toThrow(
      'Invalid playbook settings: playbook: Playbook must be one of "cyber-week", "christmas"; year: Year must be a whole number like 2026; shipping.express.daysBeforeChristmas: Express shipping cut-off must be at most 54 days before Christmas (Nov 1)',
    );
  });

  it("keeps every playbook's rules for any year, country and cut-offs", () => {
    const input = fc.record({
      playbook: fc.constantFrom(...PLAYBOOK_KEYS),
      year: fc.integer({ min: 1990, max: 2100 }),
      countryCode: fc.constantFrom("US", "GB", "CA", "AU", "DE", "FR", "JP", "XX", null),
      shipping: fc
        .tuple(fc.integer({ min: 1, max: 54 }), fc.integer({ min: 0, max: 53 }))
        .map(([standard, earlier]) => ({
          standard: { daysBeforeChristmas: standard },
          express: { daysBeforeChristmas: Math.max(1, standard - earlier) },
        })),
    });
    fc.assert(
      fc.property(input, (settings) => {
        const drafts = buildPlaybook(settings);
        const calendar = seasonCalendar(settings);
        // one draft per segment, keys deterministic and unique
        expect(drafts.map((d) => d.segment).sort()).toEqual([...SEGMENTS].sort());
        expect(drafts.map((d) => d.key)).toEqual(
          drafts.map((d) => `${settings.playbook}-${settings.year}:${d.segment}`),
        );
        expect(buildPlaybook(settings)).toEqual(drafts);
        expect(playbookDrafts(settings.playbook, calendar)).toEqual(drafts);
        for (const draft of drafts) {
          expect(CampaignDraft.safeParse(draft).success).toBe(true);
          expect(draft.holdoutShare).toBe(0.1);
          expect(draft.sends.every((s) => s.localDate.startsWith(`${settings.year}-`))).toBe(true);
          expect(draft.shippingCutoff.standard).toBe(eventOn(calendar, "standard-shipping-cutoff").date);
        }
        const { vip, price_sensitive, lapsed, recent, regular, prospect } = bySegment(drafts);
        const launch = price_sensitive?.sends.find((s) => s.key === "launch");
        const lastHours = price_sensitive?.sends.find((s) => s.key === "last_hours");
        expect(first(vip)?.key).toBe("early_access");
        expect(first(vip)?.localDate).toBe(addDays(launch?.localDate ?? "", -2));
        expect(vip?.discount).toEqual({ type: "none" });
        expect(lastHours?.localDate).toBe(price_sensitive?.endsAt);
        expect(launch && lastHours && launch.localDate < lastHours.localDate).toBe(true);
        const lastDay = settings.playbook === "cyber-week" ? "cyber-monday" : "standard-shipping-cutoff";
        expect(lastHours?.localDate).toBe(eventOn(calendar, lastDay).date);
        if (settings.playbook === "cyber-week")
          expect(launch?.localDate).toBe(eventOn(calendar, "black-friday").date);
        expect(lapsed).toMatchObject({
          channels: ["email"],
          discount: { type: "none" },
          deliveryGuarantee: true,
        });
        expect(recent).toMatchObject({ includeProducts: true, discount: { type: "none" } });
        expect([regular?.enabled, prospect?.enabled, vip?.enabled, price_sensitive?.enabled]).toEqual([
          false,
          false,
          true,
          true,
        ]);
      }),
      { numRuns: 60 },
    );
  });

  it("describes each playbook for the merchant", () => {
    for (const key of PLAYBOOK_KEYS) {
      expect(PLAYBOOKS[key]).toMatchObject({
        key,
        name: expect.any(String),
        description: expect.any(String),
      });
    }
  });
});
