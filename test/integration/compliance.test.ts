import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/shops.server";
import { recordWebhook } from "./helpers/record-webhook";
import { getDataRequest, listDataRequests } from "~/sync/compliance/compliance.server";
import { upsertCheckouts, upsertCustomers, upsertOrders, recomputeAggregates } from "~/sync/store.server";
import { upsertProducts } from "~/sync/products/store-products.server";
import type { CustomerRow, OrderRow } from "~/sync/rows";
import { createDeliveryRecorder } from "~/sync/webhooks/delivery-recorder.server";
import { processWebhookBatch } from "~/sync/webhooks/process-batch.server";
import { processWebhook, type ProcessWebhookDeps } from "~/sync/webhooks/process-webhook.server";
import type { WebhookTopic } from "~/sync/webhooks/payloads";
import { customerPayload, orderPayload } from "./helpers/webhook-fixtures";
import { customerRow } from "./helpers/customers";
import { databaseModes, type TestDatabase } from "./helpers/db";

const A = "alpha.myshopify.com";
const B = "beta.myshopify.com";
const C = "gamma.myshopify.com";
const at = new Date("2026-11-01T00:00:00Z");

const customer = (id: bigint): CustomerRow => customerRow(id, { shopifyCreatedAt: at, shopifyUpdatedAt: at });
const order = (id: bigint, customerId: bigint | null): OrderRow => ({
  id,
  customerId,
  shopifyCreatedAt: at,
  shopifyUpdatedAt: at,
  cancelledAt: null,
  test: false,
  totalMinor: 1000n,
  discountMinor: 0n,
  currencyCode: "USD",
  discountCodes: [],
  landingPage: null,
  referrerUrl: null,
  utmSource: null,
  utmMedium: null,
  utmCampaign: null,
});

describe.each(databaseModes)("compliance webhooks ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let n = 0;
  const lines: string[] = [];
  const deps = (): ProcessWebhookDeps => ({
    prisma,
    log: (line) => lines.push(line),
    now: () => new Date("2026-11-27T12:00:00Z"),
    onBulkFinished: async () => undefined,
    stopShop: async () => undefined,
  });

  async function seed(shop: string) {
    await recordInstall(prisma, { shop, scopes: "read_customers" });
    await upsertCustomers(prisma, shop, [customer(1n), customer(2n)]);
    await upsertOrders(prisma, shop, [order(11n, 1n), order(12n, 1n), order(21n, 2n), order(30n, null)]);
    await upsertCheckouts(prisma, shop, [
      {
        id: 91n,
        token: "token-91",
        customerId: 1n,
        email: "c1@example.com",
        phone: null,
        shopifyCreatedAt: at,
        shopifyUpdatedAt: at,
        completedAt: null,
        totalMinor: 500n,
        currencyCode: "USD",
        recoveryUrl: "https://shop.example/checkouts/token-91/recover",
        lineItems: [{ productId: 501n, variantId: 5011n, quantity: 1, title: "Scarf", variantTitle: null, priceMinor: 500n }],
      },
      {
        id: 92n,
        token: "token-92",
        customerId: 2n,
        email: "c2@example.com",
        phone: null,
        shopifyCreatedAt: at,
        shopifyUpdatedAt: at,
        completedAt: null,
        totalMinor: 500n,
        currencyCode: "USD",
        recoveryUrl: "https://shop.example/checkouts/token-92/recover",
        lineItems: [{ productId: 501n, variantId: 5011n, quantity: 1, title: "Scarf", variantTitle: null, priceMinor: 500n }],
      },
    ]);
    await recomputeAggregates(prisma, shop);
    await upsertProducts(prisma, shop, [
      {
        id: 501n,
        title: "Scarf",
        handle: "scarf",
        productType: "Apparel",
        tags: [],
        status: "ACTIVE",
        publishedAt: at,
        priceMinor: 2500n,
        currencyCode: "USD",
        imageUrl: null,
        inStock: true,
        tracksInventory: true,
        shopifyUpdatedAt: at,
      },
    ]);
    await prisma.customerScore.createMany({
      data: [
        { shop, customerId: 1n, r: 5, f: 5, m: 4, segment: "vip" },
        { shop, customerId: 2n, r: 3, f: 1, m: 2, segment: "regular" },
      ],
    });
    await prisma.segmentTransition.create({
      data: { id: `t-${shop}`, shop, customerId: 1n, fromSegment: "recent", toSegment: "vip", at },
    });
    await prisma.shopScoring.create({ data: { shop, scoredAt: at } });
    await prisma.session.create({
      data: { id: `offline_${shop}`, shop, state: "s", accessToken: "shpat_x" },
    });
    await prisma.syncRun.create({
      data: { id: `run-${shop}`, shop, kind: "backfill", status: "completed", phase: "done" },
    });
    await prisma.job.create({
      data: { id: `job-${shop}`, name: "reconcile", version: 1, shop, payload: { shop } },
    });
    await prisma.shopSettings.create({ data: { shop, segmentThresholds: {} } });
    await prisma.campaign.create({
      data: {
        id: `campaign-${shop}`,
        shop,
        key: "cyber-week-2026:vip",
        segment: "vip",
        name: "VIP",
        definition: {},
      },
    });
    await prisma.outboxMessage.createMany({
      data: [1n, 2n].map((customerId) => ({
        id: `m-${shop}-${customerId}`,
        shop,
        campaignId: `campaign-${shop}`,
        sendKey: "launch",
        customerId,
        segment: "vip",
        channel: "email",
        status: "sent",
      })),
    });
    await prisma.suppression.create({
      data: { shop, customerId: 1n, channel: "email", reason: "unsubscribed" },
    });
    await prisma.channelConfig.create({ data: { shop, channel: "email", sealed: "v1:sealed" } });
  }

  async function deliver(shop: string, topic: string, payload: unknown) {
    const webhookId = `c-${mode.name}-${++n}`;
    await recordWebhook(prisma, { webhookId, shop, topic, apiVersion: "2026-10", payload });
    return { webhookId, outcome: await processWebhook(deps(), webhookId) };
  }

  // Every table that holds a shop's rows, found in the schema itself: a table added later is
  // covered without touching this test.
  async function counts(shop: string): Promise<Record<string, number>> {
    const tables = await prisma.$queryRawUnsafe<Array<{ table: string; column: string }>>(
      `SELECT table_name::text AS table, column_name::text AS column FROM information_schema.columns
       WHERE table_schema = current_schema() AND ((column_name = 'shop') OR (table_name = 'Shop' AND column_name = 'domain'))
       ORDER BY table_name`,
    );
    const result: Record<string, number> = {};
    for (const { table, column } of tables) {
      const rows = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`,
        shop,
      );
      result[table] = rows[0]?.n ?? -1;
    }
    return result;
  }

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await seed(A);
    await seed(B);
    await seed(C);
  });
  afterAll(async () => {
    await db.close();
  });

  it("customers/data_request stores the customer's data for download, idempotently", async () => {
    const payload = {
      shop_id: 1,
      shop_domain: A,
      customer: { id: 1, email: "c1@example.com" },
      orders_requested: [11, 30],
      data_request: { id: 777 },
    };
    await deliver(A, "customers/data_request", payload);
    await deliver(A, "customers/data_request", payload); // redelivered under a new webhook id: same export row
    const list = await listDataRequests(prisma, A);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ customerId: "1", firstName: "Jo", lastName: "Customer 1" });
    const request = await getDataRequest(prisma, A, list[0]?.id ?? "");
    expect(request?.export.customer).toMatchObject({
      id: "1",
      email: "c1@example.com",
      orderCount: 2,
      spendMinor: "2000",
    });
    expect(request?.export.orders.map((o) => o.id)).toEqual(["11", "12", "30"]);
    expect(request?.export.checkouts.map((c) => c.id)).toEqual(["91"]);
    expect(request?.export.score).toMatchObject({ r: 5, f: 5, m: 4, segment: "vip" });
    expect(request?.export.segmentTransitions?.map((t) => [t.fromSegment, t.toSegment])).toEqual([
      ["recent", "vip"],
    ]);
    expect(request?.export.messages?.map((m) => [m.channel, m.status])).toEqual([["email", "sent"]]);
    expect(request?.export.suppressions?.map((x) => x.reason)).toEqual(["unsubscribed"]);
    // another shop cannot read it
    expect(await getDataRequest(prisma, B, list[0]?.id ?? "")).toBeNull();
    expect(await listDataRequests(prisma, B)).toEqual([]);
    expect(lines.join("\n")).not.toContain("c1@example.com");
  });

  it("customers/redact deletes the customer, their orders, checkouts and exports — only in that shop", async () => {
    await deliver(B, "customers/data_request", {
      shop_domain: B,
      customer: { id: 1 },
      orders_requested: [],
      data_request: { id: 1 },
    });
    const before = await counts(B);
    await deliver(A, "customers/redact", {
      shop_id: 1,
      shop_domain: A,
      customer: { id: 1, email: "c1@example.com" },
      orders_to_redact: [11, 30],
    });
    expect(await prisma.customer.findUnique({ where: { shop_id: { shop: A, id: 1n } } })).toBeNull();
    expect(await prisma.customerScore.findMany({ where: { shop: A }, select: { customerId: true } })).toEqual(
      [{ customerId: 2n }],
    );
    expect(await prisma.segmentTransition.count({ where: { shop: A } })).toBe(0);
    expect(
      (await prisma.order.findMany({ where: { shop: A }, orderBy: { id: "asc" } })).map((o) => o.id),
    ).toEqual([21n]);
    expect((await prisma.checkout.findMany({ where: { shop: A } })).map((c) => c.id)).toEqual([92n]);
    expect(await prisma.dataRequest.count({ where: { shop: A } })).toBe(0);
    expect((await prisma.outboxMessage.findMany({ where: { shop: A } })).map((m) => m.customerId)).toEqual([
      2n,
    ]);
    expect(await prisma.customer.findUnique({ where: { shop_id: { shop: A, id: 2n } } })).toMatchObject({
      orderCount: 1,
    });
    expect(await counts(B)).toEqual(before);
  });

  describe("customers/redact lasts", () => {
    // Through the real intake (stored as the app stores a verified delivery), then processed.
    const recorder = () => createDeliveryRecorder({ db: prisma, enqueue: async () => undefined, lingerMs: 0 });
    async function intake(topic: WebhookTopic, payload: unknown, triggeredAt: string) {
      const webhookId = `r-${mode.name}-${++n}`;
      await recorder().record({ webhookId, shop: C, topic, apiVersion: "2026-10", triggeredAt, body: JSON.stringify(payload) });
      return webhookId;
    }
    const stored = async (webhookId: string) => JSON.stringify((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: webhookId } })).payload);
    const PERSONAL = /ada@example\.com|Lovelace|Ada\b|\+15550101/;
    const update = (updatedAt: string) =>
      customerPayload(1, updatedAt, { email: "ada@example.com", first_name: "Ada", last_name: "Lovelace", phone: "+15550101" });
    const order = (id: number, customerId: number | null, updatedAt: string) =>
      orderPayload({ id, customerId, createdAt: "2026-11-01T00:00:00Z", updatedAt, cancelled: false, test: false, total: "10.00", discount: "0.00" });
    const REDACTED_AT = "2026-11-20T12:00:00.000Z";
    const BEFORE = "2026-11-20T11:00:00.000Z";
    const AFTER = "2026-11-21T09:00:00.000Z";
    const customerOf = (id: bigint) => prisma.customer.findUnique({ where: { shop_id: { shop: C, id } } });
    const orderOf = (id: bigint) => prisma.order.findUnique({ where: { shop_id: { shop: C, id } } });

    it("scrubs the customer's stored payloads, and deliveries triggered before it change nothing", async () => {
      const earlier = await intake("customers/update", update("2026-11-20T10:00:00Z"), "2026-11-20T10:00:00.000Z");
      expect(await processWebhook(deps(), earlier)).toBe("processed");
      expect(await customerOf(1n)).toMatchObject({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
      const otherCustomer = await intake("customers/update", customerPayload(2, "2026-11-20T10:00:00Z", { first_name: "Grace" }), BEFORE);
      expect(await processWebhook(deps(), otherCustomer)).toBe("processed");

      const redact = await intake(
        "customers/redact",
        { shop_id: 1, shop_domain: C, customer: { id: 1, email: "ada@example.com", phone: "+15550101" }, orders_to_redact: [11, 30] },
        REDACTED_AT,
      );
      expect(await processWebhook(deps(), redact)).toBe("processed");
      expect(await customerOf(1n)).toBeNull();
      expect(await prisma.customerRedaction.findUnique({ where: { shop_customerId: { shop: C, customerId: 1n } } })).toMatchObject({
        redactedAt: new Date(REDACTED_AT),
        orderIds: [11n, 30n],
      });
      // what was stored about them before keeps ids only; the redaction's own payload too
      expect(await stored(earlier)).not.toMatch(PERSONAL);
      expect(await stored(earlier)).toContain('"id":1');
      expect(await stored(redact)).not.toMatch(PERSONAL);
      expect(await stored(otherCustomer)).toContain("Grace");

      // Shopify delivers, late, what happened before the redaction: stored without personal data, not applied.
      const late = [
        await intake("customers/update", update("2026-11-20T11:00:00Z"), BEFORE),
        await intake("orders/updated", order(11, 1, "2026-11-20T11:00:00Z"), BEFORE),
        await intake("orders/updated", order(30, null, "2026-11-20T11:00:00Z"), BEFORE),
        await intake("checkouts/update", { id: 91, created_at: BEFORE, updated_at: BEFORE, customer: { id: 1, email: "ada@example.com" }, total_price: "5.00", currency: "USD" }, BEFORE),
      ];
      for (const id of late) expect(await stored(id), id).not.toMatch(PERSONAL);
      expect(await processWebhook(deps(), late[0] ?? "")).toBe("ignored");
      const batch = await processWebhookBatch(deps(), late.slice(1));
      expect(batch).toMatchObject({ processed: 0, failed: 0, ignored: 3 });
      for (const id of late) {
        expect(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } })).toMatchObject({
          status: "processed",
          lastError: "ignored: about a redacted customer",
        });
      }
      expect([await customerOf(1n), await orderOf(11n), await orderOf(30n)]).toEqual([null, null, null]);
      expect(await prisma.checkout.count({ where: { shop: C, customerId: 1n } })).toBe(0);
      // the same events applied by a path that never saw the intake (a retry from before it): the writes refuse them
      const direct = `r-${mode.name}-${++n}`;
      await recordWebhook(prisma, { webhookId: direct, shop: C, topic: "customers/update", apiVersion: "2026-10", payload: update("2026-11-20T11:30:00Z") });
      expect(await processWebhook(deps(), direct)).toBe("processed");
      expect(await customerOf(1n)).toBeNull();
      expect(lines.join("\n")).not.toMatch(PERSONAL);

      // What happens in Shopify after the redaction is new data, stored and applied as usual.
      const after = await intake("orders/updated", order(12, 2, AFTER), AFTER);
      expect(await stored(after)).toContain('"customer":{"id":2');
      expect(await processWebhook(deps(), after)).toBe("processed");
      expect(await orderOf(12n)).toMatchObject({ customerId: 2n });
      expect(await customerOf(2n)).toMatchObject({ firstName: "Grace" });
    });
  });

  it("shop/redact deletes every row of the shop in every table, and nothing of another shop", async () => {
    const before = await counts(B);
    expect((await deliver(A, "shop/redact", { shop_id: 1, shop_domain: A })).outcome).toBe("processed");
    const after = await counts(A);
    expect(Object.keys(after).length).toBeGreaterThanOrEqual(18);
    expect(Object.entries(after).filter(([, n]) => n !== 0)).toEqual([]);
    expect(await counts(B)).toEqual(before);
    expect(before.Customer).toBe(2);
    expect(before.OutboxMessage).toBe(2);
    expect(before.Product).toBe(1);
  });
});
