import type { PrismaClient } from "@prisma/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateOrders, EMPTY_AGGREGATES } from "~/sync/aggregate";
import { recordWebhook } from "./helpers/record-webhook";
import type { OrderRow } from "~/sync/rows";
import { recordInstall } from "~/shops.server";
import { examplePayload } from "../support/example-payloads";
import { orderRowFromPayload, WEBHOOK_TOPICS } from "~/sync/webhooks/payloads";
import { processWebhook, type ProcessWebhookDeps } from "~/sync/webhooks/process-webhook.server";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { customerPayload, orderPayload, type OrderVersion } from "./helpers/webhook-fixtures";

let sequence = 0;
const nextId = () => `wh-${++sequence}`;

describe.each(databaseModes)("webhook processing ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const lines: string[] = [];
  const bulkFinished: Array<[string, string]> = [];
  const stopped: string[] = [];
  let failBulk = false;
  const deps = (): ProcessWebhookDeps => ({
    prisma,
    log: (line) => lines.push(line),
    now: () => new Date("2026-11-27T12:00:00Z"),
    onBulkFinished: async (shop, gid) => {
      if (failBulk) throw new Error("backfill unavailable");
      bulkFinished.push([shop, gid]);
    },
    stopShop: async (shop) => {
      stopped.push(shop);
    },
  });

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
  });
  afterAll(async () => {
    await db.close();
  });

  async function install(shop: string) {
    await recordInstall(prisma, { shop, scopes: "read_customers,read_orders" });
  }

  async function deliver(shop: string, topic: string, payload: unknown, webhookId = nextId()) {
    await recordWebhook(prisma, { webhookId, shop, topic, apiVersion: "2026-10", payload });
    return { webhookId, outcome: await processWebhook(deps(), webhookId) };
  }

  const customer = (shop: string, id: number) => prisma.customer.findUnique({ where: { shop_id: { shop, id: BigInt(id) } } });

  it("keeps aggregates right across order/customer events in any order, stale updates and cancellations", async () => {
    const shop = "orders.myshopify.com";
    await install(shop);
    const v1: OrderVersion = { id: 1, customerId: 10, createdAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-01T00:00:00Z", cancelled: false, test: false, total: "10.00", discount: "1.00" };
    // the order arrives before its customer
    await deliver(shop, "ORDERS_CREATE", orderPayload(v1));
    await deliver(shop, "CUSTOMERS_CREATE", customerPayload(10, "2026-10-01T00:00:00Z"));
    expect(await customer(shop, 10)).toMatchObject({ orderCount: 1, spendMinor: 1000n, discountedOrderCount: 1, emailMarketingState: "SUBSCRIBED", tags: ["a", "b"] });

    const v3 = { ...v1, updatedAt: "2026-11-03T00:00:00Z", total: "30.00", discount: "0.00" };
    const v2 = { ...v1, updatedAt: "2026-11-02T00:00:00Z", total: "20.00" };
    await deliver(shop, "orders/updated", orderPayload(v3));
    await deliver(shop, "orders/updated", orderPayload(v2)); // late and stale: ignored
    expect(await customer(shop, 10)).toMatchObject({ orderCount: 1, spendMinor: 3000n, discountedOrderCount: 0 });

    // reassignment moves the order to customer 11
    await deliver(shop, "customers/create", customerPayload(11, "2026-10-01T00:00:00Z"));
    await deliver(shop, "orders/updated", orderPayload({ ...v3, customerId: 11, updatedAt: "2026-11-04T00:00:00Z" }));
    expect(await customer(shop, 10)).toMatchObject({ orderCount: 0, spendMinor: 0n, firstOrderAt: null });
    expect(await customer(shop, 11)).toMatchObject({ orderCount: 1, spendMinor: 3000n });

    await deliver(shop, "orders/cancelled", orderPayload({ ...v3, customerId: 11, cancelled: true, updatedAt: "2026-11-05T00:00:00Z" }));
    expect(await customer(shop, 11)).toMatchObject({ orderCount: 0, spendMinor: 0n });

    // a customer update without consent/tags/locale keys keeps the stored values
    const bare = customerPayload(11, "2026-11-06T00:00:00Z", { email: "new@example.com" });
    delete (bare as Record<string, unknown>).email_marketing_consent;
    delete (bare as Record<string, unknown>).tags;
    delete (bare as Record<string, unknown>).locale;
    await deliver(shop, "customers/update", bare);
    expect(await customer(shop, 11)).toMatchObject({ email: "new@example.com", emailMarketingState: "SUBSCRIBED", tags: ["a", "b"], locale: "en" });

    await deliver(shop, "customers/delete", { id: 11 });
    expect(await customer(shop, 11)).toBeNull();
  });

  it("stores the customer's name from customers/* payloads; a payload without name keys keeps it", async () => {
    const shop = "names.myshopify.com";
    await install(shop);
    await deliver(shop, "customers/create", customerPayload(21, "2026-10-01T00:00:00Z", { first_name: "Zoë", last_name: "Ødegård" }));
    const names = async () => prisma.customer.findUnique({ where: { shop_id: { shop, id: 21n } }, select: { firstName: true, lastName: true } });
    expect(await names()).toEqual({ firstName: "Zoë", lastName: "Ødegård" });
    await deliver(shop, "customers/update", customerPayload(21, "2026-10-02T00:00:00Z"));
    expect(await names()).toEqual({ firstName: "Zoë", lastName: "Ødegård" });
    await deliver(shop, "customers/update", customerPayload(21, "2026-10-03T00:00:00Z", { first_name: "Zoe", last_name: null }));
    expect(await names()).toEqual({ firstName: "Zoe", lastName: null });
    expect(lines.join("\n")).not.toMatch(/Zo[eë]|Ødegård/);
  });

  it("processes a delivery once: a redelivery or a second run is skipped", async () => {
    const shop = "dupes.myshopify.com";
    await install(shop);
    const { webhookId } = await deliver(shop, "customers/create", customerPayload(1, "2026-10-01T00:00:00Z"));
    expect(await recordWebhook(prisma, { webhookId, shop, topic: "customers/create", apiVersion: "2026-10", payload: {} })).toEqual({ isNew: false, status: "processed" });
    await expect(processWebhook(deps(), webhookId)).resolves.toBe("skipped");
    expect(await prisma.webhookDelivery.findUnique({ where: { id: webhookId } })).toMatchObject({ status: "processed", attempts: 1 });
  });

  it("handles Shopify's documented example payload of every subscribed topic", async () => {
    const shop = "examples.myshopify.com";
    await install(shop);
    // The first sync reads the shop's currency; product prices are in it.
    await prisma.shop.update({ where: { domain: shop }, data: { currencyCode: "USD" } });
    const outcomes: Record<string, string> = {};
    for (const topic of WEBHOOK_TOPICS) {
      if (topic === "app/uninstalled" || topic === "shop/redact") continue; // below: they end the shop
      const payload = examplePayload(topic);
      // The documented checkout example has no id; every real delivery (and the schema) has one.
      if (topic.startsWith("checkouts/")) payload.id = 5550001;
      // The products/delete example's only id exceeds 2^53 (JSON.parse rounds it); real ones fit.
      if (topic === "products/delete") payload.id = 632910392;
      outcomes[topic] = (await deliver(shop, topic, payload)).outcome;
    }
    expect(Object.values(outcomes).every((o) => o === "processed")).toBe(true);
    const order = await prisma.order.findUnique({ where: { shop_id: { shop, id: 820982911946154508n } } });
    expect(order).toMatchObject({ test: true, totalMinor: 41495n, currencyCode: "USD" });
    expect(await prisma.checkout.count({ where: { shop } })).toBe(1);
    expect(bulkFinished).toContainEqual([shop, "gid://shopify/BulkOperation/147595010"]);
    expect((await prisma.shop.findUnique({ where: { domain: shop } }))?.scopes).toBe("read_products,write_products");
    // customers/delete removed the example customer; data_request stored an export; redact ran
    expect(await prisma.dataRequest.count({ where: { shop } })).toBe(0); // redacted after the export (same customer 191167)

    expect((await deliver(shop, "app/uninstalled", examplePayload("app/uninstalled"))).outcome).toBe("processed");
    expect(stopped).toContain(shop);
    expect((await prisma.shop.findUnique({ where: { domain: shop } }))?.uninstalledAt).not.toBeNull();
    // after uninstall: data topics are ignored, compliance still runs
    expect((await deliver(shop, "orders/create", examplePayload("orders/create"))).outcome).toBe("ignored");
    expect((await deliver(shop, "shop/redact", examplePayload("shop/redact"))).outcome).toBe("processed");
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toBeNull();
    expect(await prisma.order.count({ where: { shop } })).toBe(0);
  });

  it("a late app/uninstalled, triggered before the shop installed the app again, changes nothing", async () => {
    const shop = "reinstalled.myshopify.com";
    const session = () => prisma.session.count({ where: { shop } });
    const uninstall = async (triggeredAt: Date) => {
      const webhookId = nextId();
      await recordWebhook(prisma, {
        webhookId,
        shop,
        topic: "app/uninstalled",
        apiVersion: "2026-10",
        triggeredAt: triggeredAt.toISOString(),
        payload: examplePayload("app/uninstalled"),
      });
      return { webhookId, outcome: await processWebhook(deps(), webhookId) };
    };
    const storeSession = () =>
      prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "token" } });

    await install(shop);
    await storeSession();
    const firstUninstall = new Date();
    expect((await uninstall(firstUninstall)).outcome).toBe("processed");
    expect(await session()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await install(shop); // installed again after the uninstall
    await storeSession();
    stopped.length = 0;

    // Shopify retries a delivery for hours: the same uninstall, or another from before the reinstall.
    const late = await uninstall(firstUninstall);
    expect(late.outcome).toBe("ignored");
    expect(await prisma.webhookDelivery.findUnique({ where: { id: late.webhookId } })).toMatchObject({
      status: "processed",
      lastError: "ignored: triggered before the current installation",
    });
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
    expect(await session()).toBe(1);
    expect(stopped).toEqual([]);
    // The shop's data topics are still applied.
    expect((await deliver(shop, "customers/create", customerPayload(7, "2026-10-01T00:00:00Z"))).outcome).toBe("processed");

    // An uninstall of this installation ends it.
    const now = await uninstall(new Date(Date.now() + 1_000));
    expect(now.outcome).toBe("processed");
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).not.toBeNull();
    expect(await session()).toBe(0);
    expect(stopped).toEqual([shop]);

    // Reinstalled before the uninstall was even processed (Shopify was still retrying it): the
    // new token's grant starts the installation, so the pending uninstall is late too.
    await install(shop);
    const pending = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await install(shop);
    expect((await uninstall(pending)).outcome).toBe("ignored");
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
  });

  it("ignores data topics of an unknown shop and unsubscribed topics, recording why", async () => {
    const { webhookId, outcome } = await deliver("stranger.myshopify.com", "orders/create", examplePayload("orders/create"));
    expect(outcome).toBe("ignored");
    expect(await prisma.order.count({ where: { shop: "stranger.myshopify.com" } })).toBe(0);
    expect(await prisma.webhookDelivery.findUnique({ where: { id: webhookId } })).toMatchObject({ status: "processed", lastError: "ignored: shop unknown" });
    await install("known.myshopify.com");
    expect((await deliver("known.myshopify.com", "INVENTORY_LEVELS_UPDATE", {})).outcome).toBe("ignored");
    expect(lines.some((l) => l.includes("stranger.myshopify.com is unknown"))).toBe(true);
  });

  it("bad input: a payload missing a field fails the delivery with a clear lastError and corrupts nothing", async () => {
    const shop = "bad.myshopify.com";
    await install(shop);
    const good: OrderVersion = { id: 5, customerId: 50, createdAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-01T00:00:00Z", cancelled: false, test: false, total: "12.34", discount: "0.00" };
    await deliver(shop, "customers/create", customerPayload(50, "2026-10-01T00:00:00Z"));
    await deliver(shop, "orders/create", orderPayload(good));
    const before = await prisma.order.findUnique({ where: { shop_id: { shop, id: 5n } } });

    const broken: Record<string, unknown> = orderPayload({ ...good, updatedAt: "2026-11-09T00:00:00Z", total: "99.00" });
    delete broken.updated_at;
    const webhookId = nextId();
    await recordWebhook(prisma, { webhookId, shop, topic: "orders/updated", apiVersion: "2026-10", payload: broken });
    await expect(processWebhook(deps(), webhookId)).rejects.toThrow(/missing required field "updated_at"/);
    const delivery = await prisma.webhookDelivery.findUnique({ where: { id: webhookId } });
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(delivery?.lastError).toBe('SyncInputError: orders/updated: missing required field "updated_at"');
    expect(delivery?.lastError).not.toContain("@example.com");
    expect(await prisma.order.findUnique({ where: { shop_id: { shop, id: 5n } } })).toEqual(before);
    expect(await customer(shop, 50)).toMatchObject({ orderCount: 1, spendMinor: 1234n });
    expect(lines.some((l) => l.includes(webhookId) && l.includes("not retried"))).toBe(true);
  });

  it("a transient failure counts the attempt, keeps the delivery pending and rethrows; the retry succeeds", async () => {
    const shop = "retry.myshopify.com";
    await install(shop);
    failBulk = true;
    const webhookId = nextId();
    await recordWebhook(prisma, { webhookId, shop, topic: "bulk_operations/finish", apiVersion: "2026-10", payload: examplePayload("bulk_operations/finish") });
    await expect(processWebhook(deps(), webhookId)).rejects.toThrow("backfill unavailable");
    expect(await prisma.webhookDelivery.findUnique({ where: { id: webhookId } })).toMatchObject({ status: "received", attempts: 1, lastError: "Error: backfill unavailable" });
    failBulk = false;
    await expect(processWebhook(deps(), webhookId)).resolves.toBe("processed");
    expect(await prisma.webhookDelivery.findUnique({ where: { id: webhookId } })).toMatchObject({ status: "processed", attempts: 2, lastError: null });
  });

  it("property: any order/customer event sequence, duplicated and reordered, ends equal to a backfill of the final state", async () => {
    const customerIds = [101, 102, 103];
    const version = (orderId: number) =>
      fc.record({
        customerId: fc.option(fc.constantFrom(...customerIds), { freq: 5 }),
        cancelled: fc.boolean(),
        test: fc.boolean(),
        cents: fc.integer({ min: 0, max: 100_000 }),
        discountCents: fc.constantFrom(0, 0, 150),
        createdDay: fc.integer({ min: 1, max: 28 }),
      }).map((v) => ({ ...v, orderId }));
    const orderHistory = (orderId: number) => fc.array(version(orderId), { minLength: 1, maxLength: 4 });
    const scenario = fc.record({
      histories: fc.tuple(orderHistory(1), orderHistory(2), orderHistory(3), orderHistory(4)),
      customers: fc.subarray(customerIds),
      seed: fc.integer(),
      duplicates: fc.array(fc.nat(), { maxLength: 6 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ histories, customers, seed, duplicates }) => {
        const shop = `prop-${mode.name}-${++run}.myshopify.com`;
        await install(shop);
        const events: Array<{ id: string; topic: string; payload: unknown }> = [];
        const finals: OrderRow[] = [];
        for (const history of histories) {
          const created = `2026-11-${String(history[0]?.createdDay ?? 1).padStart(2, "0")}T08:00:00Z`;
          history.forEach((v, k) => {
            const payload = orderPayload({
              id: v.orderId,
              customerId: v.customerId,
              createdAt: created,
              updatedAt: new Date(Date.parse("2026-12-01T00:00:00Z") + k * 60_000).toISOString(),
              cancelled: v.cancelled,
              test: v.test,
              total: (v.cents / 100).toFixed(2),
              discount: (v.discountCents / 100).toFixed(2),
            });
            events.push({ id: nextId(), topic: k === 0 ? "orders/create" : v.cancelled ? "orders/cancelled" : "orders/updated", payload });
            if (k === history.length - 1) finals.push(orderRowFromPayload("orders/updated", payload));
          });
        }
        for (const c of customers) events.push({ id: nextId(), topic: "customers/create", payload: customerPayload(c, "2026-10-01T00:00:00Z") });
        // duplicates: redeliveries (same webhook id) and the same event under a new id
        for (const [i, d] of duplicates.entries()) {
          const e = events[d % events.length];
          if (e) events.push(i % 2 === 0 ? e : { ...e, id: nextId() });
        }
        const order = fc.sample(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), { seed, numRuns: 1 })[0] ?? events;
        for (const e of order) await deliver(shop, e.topic, e.payload, e.id);

        const expected = aggregateOrders(finals);
        const stored = await prisma.customer.findMany({ where: { shop } });
        expect(stored.map((c) => Number(c.id)).sort()).toEqual([...customers].sort());
        for (const c of stored) {
          const want = expected.get(c.id) ?? EMPTY_AGGREGATES;
          expect({ orderCount: c.orderCount, spendMinor: c.spendMinor, discountedOrderCount: c.discountedOrderCount, firstOrderAt: c.firstOrderAt, lastOrderAt: c.lastOrderAt }).toEqual(want);
        }
      }),
      { numRuns: 25 },
    );
  });
});
