import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "~/campaigns/lifecycle/deps";
import { editCampaign } from "~/campaigns/lifecycle/edit-campaign.server";
import { planCampaign } from "~/campaigns/plan/plan-campaign.server";
import { seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import { campaignAction, type CampaignActionEnv } from "~/ui/campaigns/campaign-action.server";
import { loadCampaignsPage, planPlaybookFromForm } from "~/ui/campaigns/campaigns-page.server";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { formData } from "./helpers/form";

// Deleting campaigns: a draft or a cancelled one goes with its outbox rows that never went out; one
// whose messages reached a provider is kept with every row (the record the caps and the log read);
// scheduled or sending ones are refused; another shop's is not found; a plan racing the delete
// leaves no row behind.

const SHOP = "delete-campaigns.myshopify.com";
const OTHER = "delete-other.myshopify.com";
const NOW = new Date("2026-11-20T12:00:00Z");
const form = formData;
const ready = { email: { configured: true, testOk: true, testedAt: null, testError: null } };

describe.each(databaseModes)("deleting campaigns ($name)", (mode) => {
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

  const rowsOf = (campaignId: string) => db.prisma.outboxMessage.count({ where: { campaignId } });
  const exists = async (id: string) => (await db.prisma.campaign.count({ where: { id } })) === 1;
  const del = (id: string, shop = SHOP) => campaignAction(env, shop, id, form({ intent: "delete" }));
  /** The shop's Cyber Week drafts, with the (optional) prospect one switched on: every customer without orders. */
  const enabledProspect = async (shop: string, customers: number) => {
    await seedCustomers(db.prisma, shop, 1, customers);
    await planPlaybookFromForm(deps, shop, form({ playbook: "cyber-week", year: "2026", country: "US" }));
    const campaigns = (await loadCampaignsPage(db.prisma, shop, new URLSearchParams(), NOW)).campaigns;
    const prospect = campaigns.find((c) => c.segment === "prospect");
    if (!prospect) throw new Error("no prospect campaign");
    await editCampaign(deps, shop, prospect.id, { draft: { enabled: true } });
    return prospect;
  };

  it("deletes a draft with the rows of its plan, and nothing of the shop's other campaigns", async () => {
    const prospect = await enabledProspect(SHOP, 30);
    await planCampaign(deps, SHOP, prospect.id);
    expect(await rowsOf(prospect.id)).toBe(30);
    const others = await db.prisma.outboxMessage.count({ where: { shop: SHOP, NOT: { campaignId: prospect.id } } });

    expect(await del(prospect.id, OTHER)).toMatchObject({ ok: false, status: 404 });
    expect(await exists(prospect.id)).toBe(true);
    expect(await del(prospect.id)).toEqual({
      ok: true,
      intent: "delete",
      message: `Deleted ${prospect.name} with 30 planned messages that never went out.`,
      kick: false,
      deleted: "cyber-week-2026:prospect",
    });
    expect(await exists(prospect.id)).toBe(false);
    expect(await rowsOf(prospect.id)).toBe(0);
    expect(await db.prisma.outboxMessage.count({ where: { shop: SHOP, NOT: { campaignId: prospect.id } } })).toBe(others);
    const listed = (await loadCampaignsPage(db.prisma, SHOP, new URLSearchParams(), NOW)).campaigns.map((c) => c.id);
    expect(listed).not.toContain(prospect.id);
    expect(await del(prospect.id)).toMatchObject({ ok: false, status: 404 });
  });

  it("deletes a cancelled campaign none of whose messages went out", async () => {
    await seedCampaign(db.prisma, { shop: SHOP, id: "c_cancelled_unsent", status: "cancelled" });
    await seedOutbox(db.prisma, { shop: SHOP, campaignId: "c_cancelled_unsent", channel: "email", from: 1, count: 4, idPrefix: "m_unsent_", sendAt: NOW, status: "skipped" });
    expect(await del("c_cancelled_unsent")).toMatchObject({ ok: true, message: expect.stringMatching(/with 4 planned messages that never went out\.$/) });
    expect(await rowsOf("c_cancelled_unsent")).toBe(0);
  });

  it("keeps a campaign whose messages reached a provider, every row of it, and says why", async () => {
    for (const [id, status, attempts] of [
      ["c_cancelled_sent", "sent", 1],
      ["c_cancelled_failed", "failed", 3],
      ["c_cancelled_sending", "sending", 1],
    ] as const) {
      await seedCampaign(db.prisma, { shop: SHOP, id, status: "cancelled" });
      await seedOutbox(db.prisma, { shop: SHOP, campaignId: id, channel: "email", from: 1, count: 2, idPrefix: `${id}_a_`, sendAt: NOW, status });
      await db.prisma.outboxMessage.updateMany({ where: { campaignId: id }, data: { attempts } });
      await seedOutbox(db.prisma, { shop: SHOP, campaignId: id, channel: "email", from: 3, count: 5, idPrefix: `${id}_b_`, sendAt: NOW, status: "skipped" });
      expect(await del(id), id).toMatchObject({
        ok: false,
        status: 409,
        message: expect.stringMatching(/ is kept: 2 of its messages went to customers, and its record stays for the frequency caps and the message log\./),
      });
      expect(await exists(id)).toBe(true);
      expect(await rowsOf(id)).toBe(7);
    }
  });

  it("refuses a campaign that is scheduled, sending, paused or completed: cancel it first", async () => {
    for (const status of ["scheduled", "sending", "paused", "completed"]) {
      const id = `c_${status}`;
      await seedCampaign(db.prisma, { shop: SHOP, id, status });
      await seedOutbox(db.prisma, { shop: SHOP, campaignId: id, channel: "email", from: 1, count: 3, idPrefix: `${id}_`, sendAt: NOW });
      const why = status === "completed" ? "it is kept as the record of what it sent" : "cancel it first (only drafts and cancelled campaigns can be deleted)";
      expect(await del(id)).toMatchObject({ ok: false, status: 409, message: `A ${status} campaign cannot be deleted: ${why}` });
      expect(await rowsOf(id)).toBe(3);
    }
  });

  it("leaves no row behind when a plan races the delete", async () => {
    const shop = "delete-race.myshopify.com";
    const prospect = await enabledProspect(shop, 3_000);
    for (const delay of [0, 5, 30]) {
      if (!(await exists(prospect.id))) break;
      const plan = planCampaign(deps, shop, prospect.id, { batchSize: 100 });
      await new Promise((resolve) => setTimeout(resolve, delay));
      const [planned, deleted] = await Promise.allSettled([plan, del(prospect.id, shop)]);
      // the plan either finished first (its rows go with the campaign) or stopped (superseded, not found)
      if (planned.status === "rejected") expect(String(planned.reason)).toMatch(/changed while it was being planned|No such campaign in this shop/);
      if (deleted.status === "fulfilled" && deleted.value.ok) break;
    }
    expect(await exists(prospect.id)).toBe(false);
    expect(await rowsOf(prospect.id)).toBe(0);
  });
});
