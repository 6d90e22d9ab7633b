import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDraftEdits, CampaignDraft, sortSends } from "./draft";
import { buildPlaybook } from "./playbooks";

const drafts = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" });
const priceSensitive = drafts.find((d) => d.segment === "price_sensitive");
if (!priceSensitive) throw new Error("the Cyber Week playbook has no price-sensitive draft");
const draft: CampaignDraft = priceSensitive;
const snapshot = structuredClone(draft);

const paths = (edits: unknown) => {
  const result = applyDraftEdits(draft, edits);
  return result.ok ? [] : result.issues.map((i) => i.path).sort();
};

describe("applyDraftEdits", () => {
  it("applies valid edits to a copy, sending in date order", () => {
    const result = applyDraftEdits(draft, {
      name: "  Cyber Week: doors open  ",
      holdoutShare: 0.2,
      channels: ["email"],
      channelMode: "all",
      discount: { type: "percent", percent: 25, code: "CW25" },
      sends: [
        { key: "last_hours", localDate: "2026-11-30", localTime: "17:30" },
        { key: "reminder", localDate: "2026-11-29", localTime: "10:00" },
        { key: "launch", localDate: "2026-11-27", localTime: "09:00" },
      ],
    });
    expect(result.ok).toBe(true);
    expect(result.draft).toMatchObject({
      key: draft.key,
      segment: "price_sensitive",
      name: "Cyber Week: doors open",
      holdoutShare: 0.2,
      channelMode: "all",
    });
    expect(result.draft.sends.map((s) => s.key)).toEqual(["launch", "reminder", "last_hours"]);
    expect(draft).toEqual(snapshot);
    expect(applyDraftEdits(draft, {})).toEqual({ ok: true, draft });
  });

  it("refuses bad values, listing each field path, and keeps the old draft", () => {
    const result = applyDraftEdits(draft, {
      holdoutShare: 0.9,
      channels: [],
      sends: [{ key: "launch", localDate: "2026-11-27", localTime: "25:00" }],
      discount: { type: "percent", percent: 0, code: "no spaces" },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.draft).toBe(draft);
    expect(draft).toEqual(snapshot);
    expect(result.issues).toEqual([
      { path: "channels", message: "Pick at least one channel" },
      { path: "sends.0.localTime", message: 'Send time must be a local time like "10:00" (24-hour HH:MM)' },
      { path: "discount.percent", message: "Discount percent must be from 1 to 90" },
      { path: "discount.code", message: "Discount code must be 3 to 40 letters, digits, - or _" },
      {
        path: "holdoutShare",
        message:
          "Holdout share must be from 0 to 0.5 (e.g. 0.1 keeps 10% of the audience back to measure lift)",
      },
    ]);
    expect(result.message).toMatch(/^channels: Pick at least one channel; sends\.0\.localTime: /);
  });

  it("checks the campaign's dates together", () => {
    expect(paths({ endsAt: "2026-11-26" })).toEqual(["endsAt", "sends.0.localDate", "sends.1.localDate"]);
    expect(paths({ sends: [{ key: "launch", localDate: "2026-12-01", localTime: "10:00" }] })).toEqual([
      "sends.0.localDate",
    ]);
    expect(
      paths({
        sends: [
          { key: "launch", localDate: "2026-11-27", localTime: "10:00" },
          { key: "launch", localDate: "2026-11-28", localTime: "10:00" },
        ],
      }),
    ).toEqual(["sends.1.key"]);
    expect(paths({ startsAt: "2026-02-30" })).toEqual(["startsAt"]);
    expect(paths({ channels: ["email", "email"] })).toEqual(["channels"]);
    expect(paths({ channels: ["fax"] })).toEqual(["channels.0"]);
  });

  it("does not let an edit change which campaign it is", () => {
    const result = applyDraftEdits(draft, { segment: "vip", key: "x", colour: "red" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: "segment", message: "segment cannot be edited: it identifies the campaign" },
      { path: "key", message: "key cannot be edited: it identifies the campaign" },
      { path: "colour", message: "colour is not a campaign setting" },
    ]);
    expect(applyDraftEdits(draft, "holdoutShare=0.2").ok).toBe(false);
    expect(applyDraftEdits(draft, null).ok).toBe(false);
  });

  it("never throws: any edit gives a valid new draft or the old one unchanged", () => {
    const edits = fc.dictionary(
      fc.constantFrom(
        "name",
        "goal",
        "channels",
        "channelMode",
        "sends",
        "startsAt",
        "endsAt",
        "discount",
        "holdoutShare",
        "includeProducts",
        "enabled",
        "segment",
      ),
      fc.oneof(
        fc.anything(),
        fc.constantFrom(0, 0.25, "2026-11-28", ["sms"], [], true, "all", { type: "none" }),
      ),
    );
    fc.assert(
      fc.property(edits, (e) => {
        const result = applyDraftEdits(draft, e);
        if (result.ok) {
          expect(CampaignDraft.safeParse(result.draft).success).toBe(true);
          expect(result.draft.key).toBe(draft.key);
          expect(result.draft.sends).toEqual(sortSends(result.draft.sends));
        } else {
          expect(result.draft).toBe(draft);
          expect(result.issues.length).toBeGreaterThan(0);
        }
        expect(draft).toEqual(snapshot);
      }),
    );
  });
});
