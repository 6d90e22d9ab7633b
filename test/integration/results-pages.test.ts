import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTION_WINDOWS } from "~/campaigns/settings/attribution-windows";
import { flowIdFor } from "~/flows/ids";
import { attributeOrders } from "~/results/attribution/attribute-orders.server";
import { eventsCsv, exportEventsCsv } from "~/ui/results/events-csv.server";
import { loadResultsOverview } from "~/ui/results/results-overview.server";
import { loadResultsPage } from "~/ui/results/results-page.server";
import { seedCampaign, seedCustomers } from "../support/outbox-factory";
import {
  messageId,
  seedEvent,
  seedHandWorkedCampaign,
  seedMessages,
  seedOrders,
  type MessageFixture,
} from "../support/results-factory";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The Results pages' server side on a real database: a campaign and a flow of a shop in New York
// selling in euros, every figure below worked out by hand from the fixture (the campaign is the
// one of source-results.test.ts, plus a flow, orders outside any message, and another shop).

const SHOP = "results-pages.myshopify.com";
const OTHER = "other-results.myshopify.com";
const EMPTY = "nothing-sent.myshopify.com";
const campaignId = "c_results_pages";
const flowId = flowIdFor(SHOP, "welcome");
const t = (iso: string) => new Date(`${iso}Z`);
const id = (n: number) => messageId(`p${n}`);

async function seed(prisma: PrismaClient): Promise<void> {
  await prisma.shop.create({
    data: { domain: SHOP, scopes: "", ianaTimezone: "America/New_York", currencyCode: "EUR" },
  });
  await seedCustomers(prisma, SHOP, 1, 13);
  await seedCampaign(prisma, { shop: SHOP, id: campaignId, segment: "price_sensitive" }); // code CYBERWEEK2026
  await seedCampaign(prisma, { shop: SHOP, id: "c_results_draft", segment: "vip", status: "draft" });
  await prisma.flow.create({ data: { id: flowId, shop: SHOP, key: "welcome", status: "on" } });
  const sendAt = t("2026-11-28T14:00:00"); // 9:00 in New York
  await seedHandWorkedCampaign(prisma, SHOP, campaignId, id);
  const m = (n: number, over: Partial<MessageFixture> = {}): MessageFixture => ({
    id: id(n),
    campaignId,
    customerId: n,
    sendAt,
    ...over,
  });
  await seedMessages(prisma, SHOP, [
    // the welcome flow: one email, clicked, and an order
    m(12, {
      campaignId: flowId,
      segment: "prospect",
      sendKey: "welcome_1",
      sendAt: t("2026-11-30T15:00:00"),
    }),
    // a draft that planned but never sent: not in the season
    m(13, { campaignId: "c_results_draft", status: "planned" }),
  ]);
  const ev = (n: number, source = campaignId) => ({ id: id(n), campaignId: source, customerId: n });
  await seedEvent(prisma, SHOP, ev(12, flowId), {
    kind: "clicked",
    at: t("2026-11-30T16:00:00"),
    linkId: "BBBBBBBBBBBB",
  });
  await seedOrders(prisma, SHOP, [
    { id: 301, customerId: 12, createdAt: t("2026-12-01T12:00:00"), totalMinor: 3_000 },
    // 23:00 on Nov 27 in New York: before the season's first day
    { id: 100, customerId: 40, createdAt: t("2026-11-28T04:00:00"), totalMinor: 9_900 },
    // 1:00 on Nov 28 in New York: before the first send, on its day
    { id: 105, customerId: 40, createdAt: t("2026-11-28T06:00:00"), totalMinor: 500 },
    { id: 201, customerId: 40, createdAt: t("2026-11-29T06:00:00"), totalMinor: 100_000, test: true },
  ]);
  // Another shop: its sales and messages never show here.
  await seedCustomers(prisma, OTHER, 1, 1);
  await seedCampaign(prisma, { shop: OTHER, id: "c_other_results" });
  await seedMessages(prisma, OTHER, [
    { id: messageId("o1"), campaignId: "c_other_results", customerId: 1, sendAt },
  ]);
  await seedOrders(prisma, OTHER, [
    { id: 101, customerId: 1, createdAt: t("2026-11-29T09:00:00"), totalMinor: 77_700 },
  ]);
  const deps = { prisma, windows: async () => DEFAULT_ATTRIBUTION_WINDOWS };
  await attributeOrders(deps, SHOP);
  await attributeOrders(deps, OTHER);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe.each(databaseModes)("the Results pages ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await seed(prisma);
  });
  afterAll(async () => {
    await db.close();
  });

  it("shows a campaign's lift, funnel, breakdowns and days in the shop's zone and currency", async () => {
    const page = await loadResultsPage(prisma, SHOP, campaignId);
    if (!page) throw new Error("no page");
    expect(page.source).toMatchObject({ kind: "campaign", id: campaignId });
    expect(page.back).toEqual({ content: "Campaign", url: `/app/campaigns/${campaignId}` });
    expect(page.empty).toBe(false);
    // treated 1-6 (11 skipped while planning), 3 ordered in the window; held out 7-10, 1 ordered
    expect(page.lift.card.state).toBe("waiting");
    expect(page.lift.card.headline).toBe("Not enough data yet");
    expect(page.lift.card.lines).toContain(
      "Ordered within the window: 50.0% of 6 sent to, 25.0% of 4 held out.",
    );
    expect(page.lift.segments).toEqual([
      {
        segment: "vip",
        label: "VIP",
        treated: "6",
        control: "4",
        lift: expect.stringMatching(/^\+25\.0 points \(−\d+\.\d to \+\d+\.\d\)$/),
        verdict: "Not enough data yet",
      },
    ]);
    expect(page.funnel.map((s) => [s.label, s.value, s.rate, s.note])).toEqual([
      ["Planned", "6", "", "4 held out to measure lift"], // 11 was skipped while planning
      ["Sent", "4", "66.7% of planned", "1 failed, 1 skipped"],
      ["Delivered", "3", "75.0% of sent", "1 bounced"],
      ["Opened", "1", "33.3% of delivered emails", "+ 1 by privacy proxies, not counted"],
      ["Clicked", "1", "33.3% of delivered", ""],
      ["Ordered", "2", "66.7% of delivered", ""],
      ["Revenue", "€120.00", "", ""],
    ]);
    expect(page.complaint).toEqual({
      over: true,
      text:
        "Spam complaints: 33.33% of delivered emails (1), above the 0.1% line; mailbox providers start " +
        "filtering above 0.1%. Unsubscribes: 33.33% of delivered messages (1).",
    });
    expect(page.attribution).toBe(
      "Orders credited to the last human click within 5 days of an email (24 hours of a text), else a " +
        "discount code the message carried (used within 30 days of sending), else the landing page's UTM; " +
        "cancelled and test orders never count; refunds lower revenue.",
    );
    const row = {
      sent: "4",
      delivered: "75.0%",
      open: "33.3%",
      click: "33.3%",
      orders: "2",
      revenue: "€120.00",
      complaint: "33.33%",
      unsubscribe: "33.33%",
    };
    expect(page.byChannel).toEqual([{ key: "email", label: "Email", ...row }]);
    expect(page.bySegment).toEqual([{ key: "vip", label: "VIP", ...row }]);
    // New York days: the click at 10:00 UTC on the 29th is 5:00 there; the 30th was quiet
    expect(
      page.daily.map((d) => [d.label, d.sent, d.opened, d.clicked, d.orders, d.revenue, d.revenueValue]),
    ).toEqual([
      ["Sat, Nov 28, 2026", 4, 1, 0, 0, "€0.00", 0],
      ["Sun, Nov 29, 2026", 0, 0, 1, 0, "€0.00", 0],
      ["Mon, Nov 30, 2026", 0, 0, 0, 0, "€0.00", 0],
      ["Tue, Dec 1, 2026", 0, 0, 0, 1, "€50.00", 50],
      ["Wed, Dec 2, 2026", 0, 0, 0, 1, "€70.00", 70],
    ]);
    expect(page.daysNote).toBe("Days in America/New_York.");
    expect(page.currencyCode).toBe("EUR");
    expect(page.csv.href).toBe(`/app/results/${campaignId}/events.csv`);
    // bigint never reaches the loader's answer
    expect(() => JSON.stringify(page)).not.toThrow();
  });

  it("shows a flow with no holdout and leads back to the flows", async () => {
    const page = await loadResultsPage(prisma, SHOP, flowId);
    expect(page?.source).toMatchObject({ kind: "flow", name: "Welcome", status: "on" });
    expect(page?.back).toEqual({ content: "Flows", url: "/app/flows" });
    expect(page?.lift.card).toMatchObject({ state: "none", headline: "No holdout to compare with" });
    expect(page?.complaint).toMatchObject({ over: false });
    expect(page?.funnel.find((s) => s.key === "revenue")?.value).toBe("€30.00");
  });

  it("shows a built-in flow never turned on as an empty page, not a missing one", async () => {
    const page = await loadResultsPage(prisma, SHOP, flowIdFor(SHOP, "win_back"));
    expect(page?.source).toMatchObject({ kind: "flow", name: "Win-back", status: "off" });
    expect(page?.funnel.find((s) => s.key === "sent")?.value).toBe("0");
    expect(page?.daily).toEqual([]);
    expect(page?.empty).toBe(true);
    expect(await loadResultsPage(prisma, SHOP, flowIdFor(OTHER, "win_back"))).toBeNull();
  });

  it("answers another shop's campaign, or no campaign, as not found", async () => {
    expect(await loadResultsPage(prisma, OTHER, campaignId)).toBeNull();
    expect(await loadResultsPage(prisma, SHOP, "c_other_results")).toBeNull();
    expect(await loadResultsPage(prisma, SHOP, "nope")).toBeNull();
    expect(await exportEventsCsv(prisma, OTHER, campaignId)).toBeNull();
  });

  it("exports every send, event and credited order, with no address or phone", async () => {
    const file = await exportEventsCsv(prisma, SHOP, campaignId);
    if (!file) throw new Error("no export");
    expect(file.filename).toMatch(/^results-c-results-pages-events-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readAll(file.body);
    const sent = (n: number) =>
      `${id(n)},${n},email,vip,launch,sent,false,,,2026-11-28T14:00:00.000Z,2026-11-28T09:00:00.000-05:00,2026-11-28T14:00:00.000Z,2026-11-28T09:00:00.000-05:00,1,,,,`;
    expect(csv.split("\r\n")).toEqual([
      "message_id,customer_id,channel,segment,send_key,kind,machine,machine_reason,link_id,first_at_utc,first_at_local,last_at_utc,last_at_local,count,order_id,attribution_model,revenue,currency",
      sent(1),
      `${id(1)},1,email,vip,launch,opened,false,,,2026-11-28T16:00:00.000Z,2026-11-28T11:00:00.000-05:00,2026-11-29T08:00:00.000Z,2026-11-29T03:00:00.000-05:00,2,,,,`,
      `${id(1)},1,email,vip,launch,clicked,false,,AAAAAAAAAAAA,2026-11-29T10:00:00.000Z,2026-11-29T05:00:00.000-05:00,2026-11-29T10:00:00.000Z,2026-11-29T05:00:00.000-05:00,1,,,,`,
      `${id(1)},1,email,vip,launch,ordered,false,,,2026-12-01T09:00:00.000Z,2026-12-01T04:00:00.000-05:00,2026-12-01T09:00:00.000Z,2026-12-01T04:00:00.000-05:00,1,101,click,50.00,EUR`,
      sent(2),
      `${id(2)},2,email,vip,launch,opened,true,apple_mpp,,2026-11-28T14:00:05.000Z,2026-11-28T09:00:05.000-05:00,2026-11-28T14:00:05.000Z,2026-11-28T09:00:05.000-05:00,1,,,,`,
      `${id(2)},2,email,vip,launch,ordered,false,,,2026-12-02T09:00:00.000Z,2026-12-02T04:00:00.000-05:00,2026-12-02T09:00:00.000Z,2026-12-02T04:00:00.000-05:00,1,102,discount_code,70.00,EUR`,
      sent(3),
      `${id(3)},3,email,vip,launch,bounced,false,,,2026-11-28T14:01:00.000Z,2026-11-28T09:01:00.000-05:00,2026-11-28T14:01:00.000Z,2026-11-28T09:01:00.000-05:00,1,,,,`,
      sent(4),
      `${id(4)},4,email,vip,launch,complained,false,,,2026-11-28T20:00:00.000Z,2026-11-28T15:00:00.000-05:00,2026-11-28T20:00:00.000Z,2026-11-28T15:00:00.000-05:00,1,,,,`,
      `${id(4)},4,email,vip,launch,unsubscribed,false,,,2026-11-28T20:00:00.000Z,2026-11-28T15:00:00.000-05:00,2026-11-28T20:00:00.000Z,2026-11-28T15:00:00.000-05:00,1,,,,`,
      "",
    ]);
    expect(csv).not.toMatch(/@example\.com|\+1555/);
    // read a few messages at a time, the same file
    expect(await readAll(eventsCsv(prisma, SHOP, campaignId, "America/New_York", "EUR", 2))).toBe(csv);
  });

  it("lists what sent this season with its totals beside what the shop sold", async () => {
    const overview = await loadResultsOverview(prisma, SHOP);
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(overview.sources).toEqual([
      {
        key: campaignId,
        label: campaign.name,
        kind: "Campaign",
        url: `/app/results/${campaignId}`,
        sent: "4",
        delivered: "75.0%",
        open: "33.3%",
        click: "33.3%",
        orders: "2",
        revenue: "€120.00",
        complaint: "33.33%",
        unsubscribe: "33.33%",
        lift: "Not enough data yet",
      },
      {
        key: flowId,
        label: "Welcome",
        kind: "Flow",
        url: `/app/results/${flowId}`,
        sent: "1",
        delivered: "100.0%",
        open: "0.0%",
        click: "100.0%",
        orders: "1",
        revenue: "€30.00",
        complaint: "0.00%",
        unsubscribe: "0.00%",
        lift: "No holdout",
      },
    ]);
    expect(overview.totals).toMatchObject({
      sent: "5",
      delivered: "80.0%",
      open: "25.0%",
      click: "50.0%",
      orders: "3",
      revenue: "€150.00",
      complaint: "25.00%",
    });
    // sold from Nov 28 in New York: 101, 102, 106, 107, 108, 111, 301 and 105 (not 100, the
    // cancelled 109 or the test 201); credited: 101, 102, 301
    expect(overview.season).toEqual({
      from: "Nov 28, 2026",
      sold: "€285.00",
      credited: "€150.00",
      share: "52.6%",
      soldOrders: "8",
      creditedOrders: "3",
    });
  });

  it("has nothing to list for a shop that has sent nothing", async () => {
    const overview = await loadResultsOverview(prisma, EMPTY);
    expect(overview.sources).toEqual([]);
    expect(overview.season).toBeNull();
    expect(overview.totals.sent).toBe("0");
  });
});
