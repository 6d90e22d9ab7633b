import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTION_WINDOWS } from "~/campaigns/settings/attribution-windows";
import { attributeOrders } from "~/results/attribution/attribute-orders.server";
import { findResultsSource, loadSourceResults } from "~/results/report/source-results.server";
import { loadMarketingSummary } from "~/results/report/marketing-summary.server";
import { seedCampaign, seedCustomers } from "../support/outbox-factory";
import { messageId, seedHandWorkedCampaign } from "../support/results-factory";
import { databaseModes, type TestDatabase } from "./helpers/db";

// One campaign's results, every figure worked out by hand from the fixture (seedHandWorkedCampaign
// says who was sent, what happened to each message, who ordered and when).

const shop = "results.myshopify.com";
const campaignId = "c_results";
const t = (iso: string) => new Date(`${iso}Z`);
const options = { timeZone: "UTC", windows: DEFAULT_ATTRIBUTION_WINDOWS };

describe.each(databaseModes)("a campaign's results ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await seedCustomers(prisma, shop, 1, 11);
    await seedCampaign(prisma, { shop, id: campaignId, segment: "price_sensitive" }); // code CYBERWEEK2026
    await seedHandWorkedCampaign(prisma, shop, campaignId, (n) => messageId(`r${n}`));
    await attributeOrders({ prisma, windows: async () => DEFAULT_ATTRIBUTION_WINDOWS }, shop);
  });
  afterAll(async () => {
    await db.close();
  });

  const load = async (over: Partial<typeof options> = {}) => {
    const source = await findResultsSource(prisma, shop, campaignId);
    if (!source) throw new Error("no campaign");
    return loadSourceResults(prisma, shop, source, { ...options, ...over });
  };

  it("counts the funnel, with machine opens apart and only human ones in the open rate", async () => {
    const { funnel } = await load();
    expect(funnel.total).toMatchObject({
      planned: 6, // 11 was skipped while planning: never meant to be sent

      holdout: 4,
      sent: 4,
      failed: 1,
      skipped: 1, // 6, at send time
      delivered: 3, // sent and not bounced: 1, 2, 4
      bounced: 1,
      openedHuman: 1,
      openedMachineOnly: 1,
      clickedHuman: 1,
      complained: 1,
      unsubscribed: 1,
      orders: 2, // 101 by click, 102 by code; 106 had no message sent, 109 was cancelled
      revenueMinor: 12_000n,
    });
    expect(funnel.total.rates).toEqual({
      delivery: 3 / 4,
      open: 1 / 3,
      machineOpen: 1 / 3,
      click: 1 / 3,
      conversion: 2 / 3,
      complaint: 1 / 3,
      unsubscribe: 1 / 3,
    });
    expect(funnel.byChannel.map((c) => c.channel)).toEqual(["email"]);
  });

  it("compares everyone planned with the holdout over the same window", async () => {
    const { lift } = await load();
    // treated: 1-6 (11 was never eligible); ordered in the window: 1 (50.00), 2 (70.00), 6 (20.00)
    // holdout: 7-10; ordered in the window: 7 (40.00); 8 ordered after it
    expect(lift.overall.treated).toMatchObject({ n: 6, conversions: 3, revenue: 14_000 });
    expect(lift.overall.control).toMatchObject({ n: 4, conversions: 1, revenue: 4_000 });
    expect(lift.overall.conversionLift.estimate).toBeCloseTo(3 / 6 - 1 / 4, 12);
    expect(lift.overall.revenuePerRecipientLift.estimate).toBeCloseTo(14_000 / 6 - 4_000 / 4, 9);
    expect(lift.overall.verdict.verdict).toBe("not enough data yet");
  });

  it("puts each day in the shop's time zone", async () => {
    const utc = await load();
    expect(
      utc.daily.map((d) => [d.day, d.sent, d.openedHuman, d.clickedHuman, d.orders, Number(d.revenueMinor)]),
    ).toEqual([
      ["2026-11-28", 4, 1, 0, 0, 0],
      ["2026-11-29", 0, 0, 1, 0, 0],
      ["2026-12-01", 0, 0, 0, 1, 5_000],
      ["2026-12-02", 0, 0, 0, 1, 7_000],
    ]);
    // Auckland is UTC+13 in summer: 14:00Z on the 28th is 03:00 on the 29th there
    const auckland = await load({ timeZone: "Pacific/Auckland" });
    expect(auckland.daily.map((d) => [d.day, d.sent, d.openedHuman, d.clickedHuman])).toEqual([
      ["2026-11-29", 4, 1, 1],
      ["2026-12-01", 0, 0, 0],
      ["2026-12-02", 0, 0, 0],
    ]);
  });

  it("reports the days Shopify's marketing reports get, with the UTM its links carry", async () => {
    const deps = { prisma, appUrl: "https://app.example.com/", timeZone: async () => "UTC" };
    const summary = await loadMarketingSummary(deps, shop, "campaign", campaignId);
    expect(summary).toMatchObject({
      kind: "campaign",
      key: campaignId,
      status: "scheduled",
      channels: ["email"],
      startedAt: t("2026-11-28T14:00:00"),
      utm: { campaign: campaignId, source: "holiday-segments", medium: "email" },
      remoteUrl: `https://app.example.com/app/results/${campaignId}`,
    });
    const zero = {
      delivered: 0,
      clicks: 0,
      fails: 0,
      complaints: 0,
      unsubscribes: 0,
      salesMinor: 0n,
      utcOffset: "+00:00",
      currencyCode: "USD",
    };
    expect(summary?.days).toEqual([
      // sent and not bounced: 1, 2, 4; 3 bounced; 4 complained and unsubscribed
      { ...zero, day: "2026-11-28", delivered: 3, fails: 1, complaints: 1, unsubscribes: 1 },
      { ...zero, day: "2026-11-29", clicks: 1 },
      { ...zero, day: "2026-12-01", salesMinor: 5_000n },
      { ...zero, day: "2026-12-02", salesMinor: 7_000n },
    ]);
    expect(await loadMarketingSummary(deps, shop, "flow", campaignId)).toBeNull();
  });

  it("lowers revenue at once when an order is refunded, and drops a cancelled one", async () => {
    await prisma.order.update({ where: { shop_id: { shop, id: 101n } }, data: { totalMinor: 3_000n } });
    expect((await load()).funnel.total.revenueMinor).toBe(10_000n);
    await prisma.order.update({
      where: { shop_id: { shop, id: 102n } },
      data: { cancelledAt: t("2026-12-03T00:00:00") },
    });
    expect((await load()).funnel.total).toMatchObject({ orders: 1, revenueMinor: 3_000n });
  });
});
