import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTION_WINDOWS } from "~/campaigns/settings/attribution-windows";
import { attributeOrders } from "~/results/attribution/attribute-orders.server";
import { seedCampaign, seedCustomers } from "../support/outbox-factory";
import { messageId, seedEvent, seedMessages, seedOrders } from "../support/results-factory";
import { databaseModes, type TestDatabase } from "./helpers/db";

// Hand-worked: each order below has one expected credit (or none), derived from the rules in
// README's attribution model, not from the code.

const shop = "attribution.myshopify.com";
const other = "other.myshopify.com";
const campaignId = "c_attribution";
const t = (iso: string) => new Date(`${iso}Z`);
const windows = async () => DEFAULT_ATTRIBUTION_WINDOWS;

describe.each(databaseModes)("order attribution ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await seedCustomers(prisma, shop, 1, 8);
    // the Cyber Week price-sensitive draft carries the code CYBERWEEK2026
    await seedCampaign(prisma, { shop, id: campaignId, segment: "price_sensitive" });
    const m = (n: number, over: Partial<Parameters<typeof seedMessages>[2][number]> = {}) => ({
      id: messageId(`a${n}`),
      campaignId,
      customerId: n,
      sendAt: t("2026-11-28T14:00:00"),
      ...over,
    });
    await seedMessages(prisma, shop, [m(1), m(2), m(3), m(4), m(5), m(6, { channel: "sms" }), m(7)]);
    const click = (n: number, at: string, machine = false) =>
      seedEvent(
        prisma,
        shop,
        { id: messageId(`a${n}`), campaignId, customerId: n },
        {
          kind: "clicked",
          at: t(at),
          machine,
          machineReason: machine ? "scanner" : null,
          linkId: "AAAAAAAAAAAA",
        },
      );
    await click(1, "2026-11-29T10:00:00");
    await click(4, "2026-11-29T10:00:00");
    await click(5, "2026-11-28T14:00:01", true);
    await click(6, "2026-11-28T15:00:00");
    await click(7, "2026-11-28T15:00:00");
    await seedOrders(prisma, shop, [
      { id: 101, customerId: 1, createdAt: t("2026-12-01T09:00:00"), totalMinor: 5_000 }, // click, 71 h
      {
        id: 102,
        customerId: 2,
        createdAt: t("2026-12-02T09:00:00"),
        totalMinor: 7_000,
        discountCodes: ["cyberweek2026"],
      },
      {
        id: 103,
        customerId: 3,
        createdAt: t("2026-11-30T09:00:00"),
        totalMinor: 3_000,
        landingPage: `/products/mug?utm_source=holiday-segments&utm_medium=email&utm_campaign=${campaignId}&utm_content=launch`,
      },
      {
        id: 104,
        customerId: 4,
        createdAt: t("2026-11-30T09:00:00"),
        totalMinor: 9_000,
        cancelledAt: t("2026-11-30T10:00:00"),
      },
      { id: 105, customerId: 5, createdAt: t("2026-11-28T18:00:00"), totalMinor: 4_000 }, // only a scanner clicked
      { id: 106, customerId: 6, createdAt: t("2026-11-30T09:00:00"), totalMinor: 2_000 }, // text click 42 h before
      { id: 107, customerId: 7, createdAt: t("2026-12-04T09:00:00"), totalMinor: 2_500 }, // email click 138 h before
      { id: 108, customerId: 8, createdAt: t("2026-11-30T09:00:00"), totalMinor: 1_000 }, // never sent anything
      { id: 109, customerId: 1, createdAt: t("2026-11-27T09:00:00"), totalMinor: 1_000 }, // before the send
    ]);
    // another shop's identical order and click must not count here
    await seedCustomers(prisma, other, 1, 1);
    await seedOrders(prisma, other, [
      { id: 101, customerId: 1, createdAt: t("2026-12-01T09:00:00"), totalMinor: 5_000 },
    ]);
  });
  afterAll(async () => {
    await db.close();
  });

  const credits = () =>
    prisma.orderAttribution.findMany({
      where: { shop },
      orderBy: { orderId: "asc" },
      select: { orderId: true, outboxId: true, model: true, touchAt: true },
    });

  it("credits each order to at most one message, by click, code or landing UTM", async () => {
    expect(await attributeOrders({ prisma, windows }, shop)).toEqual({ orders: 9, credited: 3 });
    expect(await credits()).toEqual([
      { orderId: 101n, outboxId: messageId("a1"), model: "click", touchAt: t("2026-11-29T10:00:00") },
      { orderId: 102n, outboxId: messageId("a2"), model: "discount_code", touchAt: t("2026-11-28T14:00:00") },
      { orderId: 103n, outboxId: messageId("a3"), model: "utm", touchAt: t("2026-11-28T14:00:00") },
    ]);
    expect(await prisma.orderAttribution.count({ where: { shop: other } })).toBe(0);
  });

  it("is idempotent, and looks again only at orders synced since", async () => {
    const before = await credits();
    const again = await attributeOrders({ prisma, windows }, shop);
    expect(again.orders).toBeLessThanOrEqual(9); // the look-back re-reads recent orders
    expect(await credits()).toEqual(before);
  });

  it("reads an order whose transaction began before the last run and committed after it", async () => {
    await attributeOrders({ prisma, windows }, shop);
    await seedOrders(prisma, shop, [
      { id: 110, customerId: 1, createdAt: t("2026-11-29T12:00:00"), totalMinor: 800 },
    ]);
    // syncedAt is the transaction's start: ten seconds before the run above ended
    await prisma.order.update({
      where: { shop_id: { shop, id: 110n } },
      data: { syncedAt: new Date(Date.now() - 10_000) },
    });
    await attributeOrders({ prisma, windows }, shop);
    expect(
      await prisma.orderAttribution.findUnique({ where: { shop_orderId: { shop, orderId: 110n } } }),
    ).toMatchObject({
      outboxId: messageId("a1"),
      model: "click",
    });
    await prisma.orderAttribution.delete({ where: { shop_orderId: { shop, orderId: 110n } } });
    await prisma.order.delete({ where: { shop_id: { shop, id: 110n } } });
  });

  it("withdraws the credit of an order cancelled later, and widens with a shop's longer text window", async () => {
    await prisma.order.update({
      where: { shop_id: { shop, id: 101n } },
      data: { cancelledAt: t("2026-12-02T09:00:00") },
    });
    const longer = async () => ({ ...DEFAULT_ATTRIBUTION_WINDOWS, smsClickHours: 48 });
    await attributeOrders({ prisma, windows: longer }, shop);
    const now = await credits();
    expect(now.map((c) => [c.orderId, c.model])).toEqual([
      [102n, "discount_code"],
      [103n, "utm"],
      [106n, "click"],
    ]);
  });
});
