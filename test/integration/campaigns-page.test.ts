import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CampaignError } from "~/campaigns/lifecycle/campaign-error";
import type { CampaignDeps } from "~/campaigns/lifecycle/deps";
import { failureOf } from "~/ui/campaigns/action-failure.server";
import { campaignAction, type CampaignActionEnv } from "~/ui/campaigns/campaign-action.server";
import { loadCampaignDetail } from "~/ui/campaigns/campaign-detail.server";
import { loadCampaignsPage, planPlaybookFromForm } from "~/ui/campaigns/campaigns-page.server";
import { upsertCustomers } from "~/sync/store.server";
import { customerRow } from "./helpers/customers";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { formData } from "./helpers/form";

// The Campaigns pages' server side: every read and write scoped by the session's shop, bad input
// answered with messages per field, another shop's campaign answered as not found.

const SHOP = "campaigns-page.myshopify.com";
const OTHER = "other-campaigns.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const form = formData;
const ready = { email: { configured: true, testOk: false, testedAt: null, testError: null } };

describe.each(databaseModes)("Campaigns pages ($name)", (mode) => {
  let db: TestDatabase;
  let deps: CampaignDeps;
  let env: CampaignActionEnv;
  beforeAll(async () => {
    db = await mode.open();
    deps = { prisma: db.prisma, now: () => NOW, log: () => undefined };
    env = { deps, prisma: db.prisma, readiness: async () => ready };
  });
  afterAll(async () => {
    await db.close();
  });

  it("refuses bad wizard input field by field", async () => {
    const result = await planPlaybookFromForm(deps, SHOP, form({ playbook: "easter", year: "20x6", country: "USA" }));
    expect(result).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: {
        playbook: "Pick Cyber Week or Christmas",
        year: "Year must be a number like 2026",
        country: 'Country must be a two-letter code like "US"',
      },
    });
  });

  it("plans a playbook for the shop only and lists its campaigns with the season calendar", async () => {
    const result = await planPlaybookFromForm(deps, SHOP, form({ playbook: "cyber-week", year: "2026", country: "us" }));
    expect(result).toMatchObject({ ok: true, playbook: "cyber-week", year: 2026 });
    const page = await loadCampaignsPage(db.prisma, SHOP, new URLSearchParams({ year: "2026", country: "US" }), NOW);
    expect(page.campaigns.map((c) => c.key)).toContain("cyber-week-2026:vip");
    expect(page.events.find((e) => e.key === "black-friday")).toMatchObject({ date: "2026-11-27", past: false });
    expect((await loadCampaignsPage(db.prisma, OTHER, new URLSearchParams(), NOW)).campaigns).toEqual([]);
    const bad = await loadCampaignsPage(db.prisma, SHOP, new URLSearchParams({ year: "nope" }), NOW);
    expect(bad.calendarError).toMatch(/Year must be/);
  });

  it("shows the store's billing country's holidays unless the merchant picks another country", async () => {
    const shop = "country-shop.myshopify.com";
    expect((await loadCampaignsPage(db.prisma, shop, new URLSearchParams({ year: "2026" }), NOW)).country).toBe("US");
    await db.prisma.shop.create({ data: { domain: shop, scopes: "", countryCode: "GB" } });
    const page = await loadCampaignsPage(db.prisma, shop, new URLSearchParams({ year: "2026" }), NOW);
    expect(page.country).toBe("GB");
    // Boxing Day is a public holiday in the UK, not in the US.
    expect(page.events.find((e) => e.key === "boxing-day")).toMatchObject({ publicHoliday: true });
    expect((await loadCampaignsPage(db.prisma, shop, new URLSearchParams({ country: "de" }), NOW)).country).toBe("DE");
  });

  it("answers another shop's campaign as not found, never its data", async () => {
    const [vip] = (await loadCampaignsPage(db.prisma, SHOP, new URLSearchParams(), NOW)).campaigns.filter((c) => c.segment === "vip");
    const id = vip?.id ?? "";
    const detail = await loadCampaignDetail(db.prisma, SHOP, id, new URLSearchParams(), ready);
    expect(detail.campaign).toMatchObject({ key: "cyber-week-2026:vip", status: "draft" });
    expect(detail.preview?.channels.map((c) => c.channel)).toContain("email");
    await expect(loadCampaignDetail(db.prisma, OTHER, id, new URLSearchParams(), ready)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await campaignAction(env, OTHER, id, form({ intent: "cancel" }))).toMatchObject({ ok: false, status: 404 });
    expect(await campaignAction(env, SHOP, id, form({ intent: "explode" }))).toMatchObject({ ok: false, status: 400 });
  });

  it("logs each message under the name stored for its customer, never another shop's", async () => {
    const [vip] = (await loadCampaignsPage(db.prisma, SHOP, new URLSearchParams(), NOW)).campaigns.filter((c) => c.segment === "vip");
    const campaignId = vip?.id ?? "";
    await upsertCustomers(db.prisma, SHOP, [customerRow(501n, { firstName: "Maja", lastName: "Berg" }), customerRow(502n, { firstName: null, lastName: null })]);
    await upsertCustomers(db.prisma, OTHER, [customerRow(502n, { firstName: "Other", lastName: "Shop" }), customerRow(503n)]);
    await db.prisma.outboxMessage.createMany({
      data: [501n, 502n, 503n].map((customerId) => ({
        id: `log-${customerId}`,
        shop: SHOP,
        campaignId,
        sendKey: "early_access",
        customerId,
        segment: "vip",
        channel: "email",
        status: "sent",
      })),
    });
    const detail = await loadCampaignDetail(db.prisma, SHOP, campaignId, new URLSearchParams(), ready);
    // 503 has no customer row in this shop (deleted, or redacted): its id alone
    expect(detail.log.messages.filter((m) => m.id.startsWith("log-")).map((m) => [m.customerId, m.firstName, m.lastName])).toEqual([
      ["501", "Maja", "Berg"],
      ["502", null, null],
      ["503", null, null],
    ]);
  });

  it("names each bad field of an edit and keeps the draft", async () => {
    const [vip] = (await loadCampaignsPage(db.prisma, SHOP, new URLSearchParams(), NOW)).campaigns.filter((c) => c.segment === "vip");
    const id = vip?.id ?? "";
    const result = await campaignAction(env, SHOP, id, form({
      intent: "save", name: "  ", goal: "Early access", channels: ["email"], channelMode: "first",
      startsAt: "2026-11-25", endsAt: "2026-11-30", holdoutShare: "lots", "discount.type": "none",
      "sends.0.key": "early_access", "sends.0.localDate": "2026-12-25", "sends.0.localTime": "10:00", enabled: "on",
    }));
    expect(result).toMatchObject({ ok: false, status: 400 });
    const errors = result.ok ? {} : result.fieldErrors;
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(["name", "holdoutShare"]));
    const after = await loadCampaignDetail(db.prisma, SHOP, id, new URLSearchParams(), ready);
    expect(after.campaign.name).toBe(vip?.name);
  });

  it("offers each playbook its next season that has not ended on the shop's calendar", async () => {
    const shop = "season-shop.myshopify.com";
    await db.prisma.shop.create({ data: { domain: shop, scopes: "", ianaTimezone: "America/New_York" } });
    const years = async (iso: string): Promise<Record<string, number>> => {
      const page = await loadCampaignsPage(db.prisma, shop, new URLSearchParams(), new Date(iso));
      return { ...Object.fromEntries(page.playbooks.map((p) => [p.key, p.year])), calendar: page.year };
    };
    expect(await years("2026-12-05T15:00:00Z")).toEqual({ "cyber-week": 2027, christmas: 2026, calendar: 2026 });
    expect(await years("2026-11-20T12:00:00Z")).toEqual({ "cyber-week": 2026, christmas: 2026, calendar: 2026 });
    // 23:30 on Cyber Monday in New York: still Cyber Week 2026
    expect((await years("2026-12-01T04:30:00Z"))["cyber-week"]).toBe(2026);
    expect(await years("2026-12-20T15:00:00Z")).toEqual({ "cyber-week": 2027, christmas: 2027, calendar: 2027 });
  });

  it("refuses to plan a season or a campaign that has ended, saying why, and changes nothing", async () => {
    const shop = "ended-season.myshopify.com";
    await db.prisma.shop.create({ data: { domain: shop, scopes: "", ianaTimezone: "America/New_York" } });
    await planPlaybookFromForm(deps, shop, form({ playbook: "cyber-week", year: "2026", country: "US" }));
    const before = await loadCampaignsPage(db.prisma, shop, new URLSearchParams(), NOW);
    const december = { ...deps, now: () => new Date("2026-12-05T15:00:00Z") };
    const message = "Cyber Week 2026 has ended: its last day was Mon, Nov 30, 2026 (the shop's time zone). Plan Cyber Week 2027 instead.";
    expect(await planPlaybookFromForm(december, shop, form({ playbook: "cyber-week", year: "2026", country: "US" }))).toEqual({
      ok: false,
      status: 409,
      message,
      fieldErrors: { year: "This season has ended: pick 2027" },
    });
    const vip = before.campaigns.find((c) => c.segment === "vip");
    const lateEnv = { ...env, deps: december };
    for (const intent of ["plan", "send-now"]) {
      const refused = await campaignAction(lateEnv, shop, vip?.id ?? "", form({ intent }));
      expect(refused).toMatchObject({ ok: false, status: 409, message: expect.stringMatching(/^Cyber Week 2026: VIP early access has ended: its last day was Mon, Nov 30, 2026/) });
    }
    // the large-audience path refuses before anything is queued
    const queued: unknown[] = [];
    const background = { ...lateEnv, enqueuePlan: async (p: unknown) => void queued.push(p), backgroundFrom: 0 };
    expect(await campaignAction(background, shop, vip?.id ?? "", form({ intent: "plan" }))).toMatchObject({ ok: false, status: 409 });
    expect(queued).toEqual([]);
    const after = await loadCampaignsPage(db.prisma, shop, new URLSearchParams(), NOW);
    expect(after.campaigns).toEqual(before.campaigns);
    // next year's season plans
    expect(await planPlaybookFromForm(december, shop, form({ playbook: "cyber-week", year: "2027", country: "US" }))).toMatchObject({ ok: true, year: 2027 });
  });

  it("says which channel is not ready and where to fix it", () => {
    const failure = failureOf(new CampaignError("CHANNEL_NOT_READY", "x", { channels: ["sms"] }));
    expect(failure).toMatchObject({ status: 409, message: "Channel SMS (Twilio) has not passed its connection test — Settings → Channels" });
    expect(() => failureOf(new Error("boom"))).toThrow("boom");
  });
});
