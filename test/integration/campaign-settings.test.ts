import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "~/campaigns/lifecycle/deps";
import { editCampaign } from "~/campaigns/lifecycle/edit-campaign.server";
import { getCampaign, listCampaigns } from "~/campaigns/lifecycle/read-campaign.server";
import { DEFAULT_TEMPLATES } from "~/campaigns/playbooks/default-templates";
import { DEFAULT_CAMPAIGN_SETTINGS } from "~/campaigns/settings/campaign-settings";
import {
  getCampaignSettings,
  saveCampaignSettingsAction,
} from "~/campaigns/settings/campaign-settings.server";
import { campaignSettingsValues, type CampaignSettingsValues } from "~/campaigns/settings/settings-form";
import { loadCampaignDetail } from "~/ui/campaigns/campaign-detail.server";
import { loadCampaignsPage, planPlaybookFromForm } from "~/ui/campaigns/campaigns-page.server";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The shop's campaign settings (Settings → Campaigns): stored only when every field is valid, read
// back validated, used by the season calendar and the playbook wizard, and handed to draft campaigns
// at once — never to a campaign already scheduled.

const SHOP = "campaign-settings.myshopify.com";
const OTHER = "other-settings.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};
const settingsForm = (changes: Partial<CampaignSettingsValues>) =>
  form({ intent: "campaign-settings", ...campaignSettingsValues(DEFAULT_CAMPAIGN_SETTINGS), ...changes });

describe.each(databaseModes)("campaign settings ($name)", (mode) => {
  let db: TestDatabase;
  let deps: CampaignDeps;
  const lines: string[] = [];
  beforeAll(async () => {
    db = await mode.open();
    deps = { prisma: db.prisma, now: () => NOW, log: (line) => lines.push(line) };
  });
  afterAll(async () => {
    await db.close();
  });

  it("refuses a bad form field by field and stores nothing", async () => {
    const result = await saveCampaignSettingsAction(
      deps,
      SHOP,
      settingsForm({ "smsQuietHours.start": "06:00", "shipping.standard": "12-31", "caps.sms": "often" }),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: {
        "smsQuietHours.start": "SMS may not go out before 08:00 local time (got 06:00)",
        "shipping.standard": expect.stringContaining("must be a month-day from 11-01 to 12-24"),
        "caps.sms": "Enter a whole number of hours (digits only, like 16), or leave empty for no cap",
      },
    });
    expect(await db.prisma.shopSettings.findUnique({ where: { shop: SHOP } })).toBeNull();
    expect(await getCampaignSettings(db.prisma, SHOP)).toEqual(DEFAULT_CAMPAIGN_SETTINGS);
  });

  it("refuses unknown regions and numbers not typed as digits by name, and stores nothing", async () => {
    const shop = "strict-settings.myshopify.com";
    const result = await saveCampaignSettingsAction(
      deps,
      shop,
      settingsForm({ stateQuietHours: "US-FL 08:00-20:00\nUS-FLA 08:00-19:00", "caps.email": "0x1", "caps.sms": "1e1", "shipping.standard": " 1", "caps.webhook": "1.0" }),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: {
        stateQuietHours: 'Line 2: US-FLA is not a known state or province: use its ISO 3166-2 code, like "US-FL"',
        "caps.email": "Enter a whole number of hours (digits only, like 16), or leave empty for no cap",
        "caps.sms": "Enter a whole number of hours (digits only, like 16), or leave empty for no cap",
        "caps.webhook": "Enter a whole number of hours (digits only, like 16), or leave empty for no cap",
        "shipping.standard": 'Enter a date like "12-15", or a whole number of days before Christmas (digits only, like 10)',
      },
      values: expect.objectContaining({ "caps.sms": "1e1", "shipping.standard": " 1" }),
    });
    const other = await saveCampaignSettingsAction(deps, shop, settingsForm({ stateQuietHours: "XX-ZZZ 08:00-20:00" }));
    expect(other).toMatchObject({ ok: false, errors: { stateQuietHours: expect.stringContaining("XX-ZZZ is not a known state or province") } });
    expect(await db.prisma.shopSettings.findUnique({ where: { shop } })).toBeNull();
  });

  it("uses the shop's cut-offs, holdout and rules in the calendar and the playbook's campaigns", async () => {
    const saved = await saveCampaignSettingsAction(
      deps,
      SHOP,
      settingsForm({
        "shipping.standard": "12-12",
        "shipping.express": "5",
        holdoutPercent: "20",
        "caps.email": "24",
        "smsQuietHours.start": "09:00",
        stateQuietHours: "US-TX 10:00-19:00",
      }),
    );
    expect(saved).toMatchObject({ ok: true, draftsUpdated: [] });
    const page = await loadCampaignsPage(
      db.prisma,
      SHOP,
      new URLSearchParams({ year: "2026", country: "US" }),
      NOW,
    );
    expect(page.events.filter((e) => e.kind === "shipping").map((e) => [e.key, e.date])).toEqual([
      ["standard-shipping-cutoff", "2026-12-12"],
      ["express-shipping-cutoff", "2026-12-20"],
    ]);
    const other = await loadCampaignsPage(
      db.prisma,
      OTHER,
      new URLSearchParams({ year: "2026", country: "US" }),
      NOW,
    );
    expect(other.events.find((e) => e.key === "standard-shipping-cutoff")?.date).toBe("2026-12-15");

    const result = await planPlaybookFromForm(
      deps,
      SHOP,
      form({ playbook: "christmas", year: "2026", country: "US" }),
    );
    expect(result).toMatchObject({ ok: true });
    const campaigns = await listCampaigns(db.prisma, SHOP);
    expect(campaigns.length).toBeGreaterThan(0);
    for (const c of campaigns) {
      expect(c.definition?.draft.holdoutShare).toBe(0.2);
      expect(c.definition?.audience).toMatchObject({
        holdoutShare: 0.2,
        caps: { email: 24, sms: 24, webhook: null },
        smsQuietHours: { start: "09:00", end: "21:00" },
        stateQuietHours: { "US-TX": { start: "10:00", end: "19:00" } },
      });
    }
    const lapsed = campaigns.find((c) => c.segment === "lapsed");
    expect(lapsed?.definition?.draft.shippingCutoff).toEqual({
      standard: "2026-12-12",
      express: "2026-12-20",
    });
    expect(lapsed?.definition?.draft.goal).toContain(
      "order by Sat, Dec 12 (standard) or Sun, Dec 20 (express shipping)",
    );
  });

  it("hands new rules to drafts at once (their plan cleared) and leaves a scheduled campaign as planned", async () => {
    const before = await listCampaigns(db.prisma, SHOP);
    const [scheduled, ...drafts] = before;
    if (!scheduled) throw new Error("no campaigns");
    await db.prisma.campaign.update({ where: { id: scheduled.id }, data: { status: "scheduled" } });
    await db.prisma.campaign.updateMany({ where: { shop: SHOP, status: "draft" }, data: { plannedAt: NOW } });

    const newRules = {
      "shipping.standard": "12-12",
      "shipping.express": "5",
      holdoutPercent: "20",
      "caps.sms": "48",
    };
    const result = await saveCampaignSettingsAction(deps, SHOP, settingsForm(newRules));
    expect(result.ok && [...result.draftsUpdated].sort()).toEqual(drafts.map((c) => c.key).sort());
    const after = new Map((await listCampaigns(db.prisma, SHOP)).map((c) => [c.id, c]));
    for (const draft of drafts) {
      const now = after.get(draft.id);
      expect(now?.plannedAt).toBeNull();
      // The rules change; the campaign's own holdout share stays its own.
      expect(now?.definition?.audience).toMatchObject({
        holdoutShare: 0.2,
        caps: { email: 16, sms: 48, webhook: null },
        stateQuietHours: DEFAULT_CAMPAIGN_SETTINGS.audience.stateQuietHours,
      });
    }
    const [someDraft] = drafts;
    const detail = await loadCampaignDetail(db.prisma, SHOP, someDraft?.id ?? "", new URLSearchParams(), {});
    expect(detail.campaign.rules[1]).toBe(
      "Per customer across campaigns — email: at most one every 16 h; SMS: at most one every 48 h; webhook: no cap.",
    );
    expect(after.get(scheduled.id)?.definition).toEqual(scheduled.definition);
    expect(after.get(scheduled.id)?.status).toBe("scheduled");

    // The same settings again change nothing, so no plan is cleared for nothing.
    const again = await saveCampaignSettingsAction(deps, SHOP, settingsForm(newRules));
    expect(again).toMatchObject({ ok: true, draftsUpdated: [] });
  });

  it("keeps a draft's saved templates when the playbook runs again", async () => {
    const vip = (await listCampaigns(db.prisma, SHOP)).find(
      (c) => c.segment === "vip" && c.status === "draft",
    );
    const send = vip?.definition?.draft.sends[0]?.key;
    if (!vip || !send) throw new Error("no VIP draft");
    const body = `${DEFAULT_TEMPLATES.vip.sms.body} (our own words)`;
    await editCampaign(deps, SHOP, vip.id, {
      template: { send, channel: "sms", template: { channel: "sms", body } },
    });
    const again = await planPlaybookFromForm(
      deps,
      SHOP,
      form({ playbook: "christmas", year: "2026", country: "US" }),
    );
    expect(again).toMatchObject({ ok: true });
    const refreshed = await getCampaign(db.prisma, SHOP, vip.id);
    expect(refreshed.definition?.draft.templates?.[send]?.sms).toEqual({ channel: "sms", body });
  });

  it("falls back to the defaults when the stored settings no longer validate", async () => {
    const shop = "broken-settings.myshopify.com";
    await db.prisma.shopSettings.create({
      data: { shop, segmentThresholds: {}, campaignSettings: { audience: { caps: { email: "often" } } } },
    });
    const seen: string[] = [];
    expect(await getCampaignSettings(db.prisma, shop, (line) => seen.push(line))).toEqual(
      DEFAULT_CAMPAIGN_SETTINGS,
    );
    expect(seen).toEqual([`campaign settings of ${shop} no longer validate (1 issues): using the defaults`]);
  });
});

// The same refusals through the Settings page's action in the running app (App Bridge's session
// token, Remix single fetch), and the page's data afterwards: nothing was saved.
describe("Settings → Campaigns in the running app", () => {
  const DEMO_SHOP = "settings-route.myshopify.com";
  let demo: Demo;
  let dataDir: string;
  const url = (path: string) => `${demo.appUrl}${path}`;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "campaign-settings-"));
    demo = await startDemo({ apiKey: "settings-key", apiSecret: "settings-secret", shop: DEMO_SHOP, customers: 10, seed: 5, dataDir, install: true });
  });
  afterAll(async () => {
    await demo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses US-FLA, XX-ZZZ and 0x1 by name and keeps the saved settings", async () => {
    const fields = { intent: "campaign-settings", ...campaignSettingsValues(DEFAULT_CAMPAIGN_SETTINGS) };
    const post = (changes: Partial<CampaignSettingsValues>) =>
      fetchWithSessionToken(url("/app/settings.data"), demo.emulator, DEMO_SHOP, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...fields, ...changes }).toString(),
      });
    const refused = await post({ stateQuietHours: "US-FLA 08:00-20:00\nXX-ZZZ 08:00-20:00", "caps.sms": "0x1" });
    expect(refused.status).toBe(200);
    const text = await refused.text();
    expect(text).toContain("Line 1: US-FLA is not a known state or province");
    expect(text).toContain("Enter a whole number of hours (digits only, like 16), or leave empty for no cap");
    expect((await post({ stateQuietHours: "XX-ZZZ 08:00-20:00" }).then((r) => r.text()))).toContain("Line 1: XX-ZZZ is not a known state or province");

    const accepted = await post({ stateQuietHours: "US-TX 09:00-20:00", "caps.sms": "48" });
    expect(await accepted.text()).toContain('"draftsUpdated"');
    const page = await fetchWithSessionToken(url("/app/settings.data?_routes=routes%2Fapp.settings"), demo.emulator, DEMO_SHOP);
    const data = await page.text();
    expect(data).toContain("US-TX 09:00-20:00");
    expect(data).not.toContain("US-FLA");
  });
});
