import type { PrismaClient } from "@prisma/client";
import { seededRng } from "~/results/random";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ATTRIBUTION_WINDOWS } from "~/campaigns/settings/attribution-windows";
import { attributeOrders } from "~/results/attribution/attribute-orders.server";
import { dailyRows } from "~/results/report/results-queries.server";
import { seedCustomers } from "../support/outbox-factory";
import {
  messageId,
  seedEvent,
  seedMessages,
  seedOrders,
  type MessageFixture,
  type OrderFixture,
} from "../support/results-factory";
import { databaseModes, type TestDatabase } from "./helpers/db";

// Whatever the clicks, codes, landing pages, cancellations and test orders, the revenue credited
// to all campaigns together on any day is at most what the shop sold that day, and no order is
// credited twice. The oracle is a plain sum over the orders table.

const shop = "overclaim.myshopify.com";
const campaigns = ["c_one", "c_two", "c_three"];
const DAY = 86_400_000;
const start = Date.parse("2026-11-20T00:00:00Z");

describe.each(databaseModes)("attribution never over-claims ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    const stream = seededRng(20261206);
    const random = () => stream.nextFloat();
    const customers = 60;
    await seedCustomers(prisma, shop, 1, customers);
    const messages: MessageFixture[] = [];
    for (let c = 1; c <= customers; c += 1)
      for (const [i, campaignId] of campaigns.entries())
        if (random() < 0.7)
          messages.push({
            id: messageId(`o${c}-${i}`),
            campaignId,
            customerId: c,
            channel: random() < 0.7 ? "email" : "sms",
            sendKey: random() < 0.5 ? "launch" : "reminder",
            sendAt: new Date(start + Math.floor(random() * 10 * DAY)),
          });
    await seedMessages(prisma, shop, messages);
    for (const m of messages)
      for (let k = 0; k < 3; k += 1)
        if (random() < 0.4)
          await seedEvent(prisma, shop, m, {
            kind: "clicked",
            at: new Date(m.sendAt.getTime() + Math.floor(random() * 4 * DAY)),
            machine: random() < 0.2,
            linkId: "AAAAAAAAAAAA",
          });
    const orders: OrderFixture[] = [];
    for (let n = 0; n < 400; n += 1) {
      const customerId = 1 + Math.floor(random() * customers);
      const campaign = campaigns[Math.floor(random() * campaigns.length)] ?? "c_one";
      orders.push({
        id: 1000 + n,
        customerId: random() < 0.1 ? null : customerId,
        createdAt: new Date(start + Math.floor(random() * 16 * DAY)),
        totalMinor: 500 + Math.floor(random() * 20_000),
        cancelledAt: random() < 0.1 ? new Date(start + 17 * DAY) : null,
        test: random() < 0.05,
        discountCodes: random() < 0.2 ? ["CYBERWEEK2026"] : [],
        landingPage:
          random() < 0.3
            ? `/?utm_source=holiday-segments&utm_medium=email&utm_campaign=${campaign}&utm_content=launch`
            : null,
      });
    }
    await seedOrders(prisma, shop, orders);
    await attributeOrders({ prisma, windows: async () => DEFAULT_ATTRIBUTION_WINDOWS }, shop);
  });
  afterAll(async () => {
    await db.close();
  });

  it("credits at most what the shop sold, each day, and each order once", async () => {
    const credited = new Map<string, bigint>();
    for (const campaignId of campaigns)
      for (const row of await dailyRows(prisma, shop, campaignId, "UTC"))
        credited.set(row.day, (credited.get(row.day) ?? 0n) + row.revenueMinor);
    const sold = await prisma.$queryRaw<Array<{ day: string; revenue: bigint }>>`
      SELECT to_char("shopifyCreatedAt", 'YYYY-MM-DD') AS day, sum("totalMinor")::bigint AS revenue
      FROM "Order" WHERE "shop" = ${shop} AND "cancelledAt" IS NULL AND NOT "test" GROUP BY 1`;
    const soldByDay = new Map(sold.map((r) => [r.day, r.revenue]));
    expect(credited.size).toBeGreaterThan(5);
    for (const [day, revenue] of credited) expect(revenue).toBeLessThanOrEqual(soldByDay.get(day) ?? 0n);
    const total = [...credited.values()].reduce((a, b) => a + b, 0n);
    expect(total).toBeGreaterThan(0n);
    const perOrder = await prisma.orderAttribution.groupBy({
      by: ["orderId"],
      where: { shop },
      _count: true,
    });
    expect(perOrder.every((o) => o._count === 1)).toBe(true);
  });
});
