import type { PrismaClient } from "@prisma/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateOrders, EMPTY_AGGREGATES } from "~/sync/aggregate";
import type { OrderRow } from "~/sync/rows";
import { recordInstall } from "~/shops.server";
import { orderRowFromPayload } from "~/sync/webhooks/payloads";
import { processWebhookBatch } from "~/sync/webhooks/process-batch.server";
import { processWebhook, type ProcessWebhookDeps } from "~/sync/webhooks/process-webhook.server";
import { createDeliveryRecorder } from "~/sync/webhooks/delivery-recorder.server";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { recordWebhook } from "./helpers/record-webhook";
import { customerPayload, orderPayload } from "./helpers/webhook-fixtures";

// The peak-season paths: deliveries recorded in batches by the intake and processed in batches.

const AGGREGATE_FIELDS = {
  id: true,
  orderCount: true,
  spendMinor: true,
  discountedOrderCount: true,
  firstOrderAt: true,
  lastOrderAt: true,
} as const;
let sequence = 0;
const nextId = () => `batch-wh-${++sequence}`;

describe.each(databaseModes)("webhook batches ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const lines: string[] = [];
  const changed: Array<[string, bigint[]]> = [];
  const deps = (): ProcessWebhookDeps => ({
    prisma,
    log: (line) => lines.push(line),
    now: () => new Date("2026-11-27T12:00:00Z"),
    onBulkFinished: async () => {},
    onCustomersChanged: async (_tx, shop, ids) => {
      changed.push([shop, ids]);
      return false;
    },
    stopShop: async () => {},
  });

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
  });
  afterAll(async () => {
    await db.close();
  });

  const install = (shop: string) => recordInstall(prisma, { shop, scopes: "read_customers,read_orders" });
  const withSession = (shop: string) =>
    prisma.session.create({
      data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "token" },
    });
  const delivery = (shop: string, topic: string, payload: unknown, webhookId = nextId()) => ({
    webhookId,
    shop,
    topic: topic as "orders/updated",
    apiVersion: "2026-10",
    triggeredAt: null,
    body: JSON.stringify(payload),
  });

  it("records a batch: redeliveries inside it once, shops without the app not at all, compliance always", async () => {
    const shop = "recorder.myshopify.com";
    await withSession(shop);
    const queued: string[][] = [];
    const recorder = createDeliveryRecorder({ db: prisma, enqueue: async (ids) => void queued.push(ids) });
    const order = delivery(
      shop,
      "orders/updated",
      orderPayload({
        id: 7,
        customerId: 1,
        createdAt: "2026-11-01T00:00:00Z",
        updatedAt: "2026-11-01T00:00:00Z",
        cancelled: false,
        test: false,
        total: "5.00",
        discount: "0.00",
      }),
    );
    const stranger = delivery("stranger.myshopify.com", "orders/updated", { id: 1 });
    const redact = delivery("stranger.myshopify.com", "shop/redact", {
      shop_domain: "stranger.myshopify.com",
    });
    const outcomes = await Promise.all([order, order, stranger, redact].map((d) => recorder.record(d)));
    expect(outcomes).toEqual(["queued", "duplicate", "not_installed", "queued"]);
    expect(queued.flat().sort()).toEqual([order.webhookId, redact.webhookId].sort());
    expect(
      await prisma.webhookDelivery.count({
        where: { id: { in: [order.webhookId, stranger.webhookId, redact.webhookId] } },
      }),
    ).toBe(2);
    const stored = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: order.webhookId } });
    expect(stored).toMatchObject({ shop, topic: "orders/updated", status: "received", attempts: 0 });
    expect(stored.payload).toEqual(JSON.parse(order.body));

    // Later: a redelivery still not processed is queued again; another shop's use of the id is refused.
    expect(await recorder.record(order)).toBe("duplicate");
    expect(queued.at(-1)).toEqual([order.webhookId]);
    await withSession("other.myshopify.com");
    await expect(recorder.record({ ...order, shop: "other.myshopify.com" })).rejects.toThrow(
      /already used by another shop/,
    );
  });

  it("batches written side by side: each delivery stored and answered 'queued' once, every one queued (property)", async () => {
    const shop = "side-by-side.myshopify.com";
    await withSession(shop);
    // the app's intake goes through a pool of its own on PostgreSQL: the same statement through `pg`
    const intake = db.bulkWriter;
    let enqueuing = 0;
    let mostAtOnce = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat({ max: 14 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        async (picks, maxBatch) => {
          const run = nextId();
          const byPick = new Map<number, ReturnType<typeof delivery>>();
          const arrivals = picks.map((k) => {
            const d = byPick.get(k) ?? delivery(shop, "orders/updated", { id: k }, `${run}-${k}`);
            byPick.set(k, d);
            return d;
          });
          const queued: string[] = [];
          const recorder = createDeliveryRecorder({
            db: intake,
            enqueue: async (ids) => {
              mostAtOnce = Math.max(mostAtOnce, ++enqueuing);
              await new Promise((resolve) => setTimeout(resolve, 1));
              enqueuing--;
              queued.push(...ids);
            },
            maxBatch,
            maxInFlight: 3,
            lingerMs: 0,
          });
          // in waves, so later batches start while earlier ones are still being written
          const outcomes = await Promise.all(
            arrivals.map(async (d, i) => {
              if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
              return recorder.record(d);
            }),
          );
          const unique = [...byPick.values()].map((d) => d.webhookId).sort();
          expect(outcomes.filter((o) => o === "queued")).toHaveLength(unique.length);
          expect(outcomes.every((o) => o === "queued" || o === "duplicate")).toBe(true);
          expect([...new Set(queued)].sort()).toEqual(unique);
          expect(await prisma.webhookDelivery.count({ where: { id: { in: unique } } })).toBe(unique.length);
        },
      ),
      { numRuns: 25 },
    );
    // the batches did overlap
    expect(mostAtOnce).toBeGreaterThan(1);
  });

  it("a payload the database refuses fails alone; the rest of its batch is stored", async () => {
    const shop = "poison.myshopify.com";
    await withSession(shop);
    const recorder = createDeliveryRecorder({ db: prisma, enqueue: async () => {} });
    const good = delivery(shop, "orders/updated", { id: 1 });
    const poison = { ...delivery(shop, "orders/updated", {}), body: '{"total":1e200000}' }; // valid JSON, beyond numeric
    const results = await Promise.allSettled([good, poison].map((d) => recorder.record(d)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(
      await prisma.webhookDelivery.count({ where: { id: { in: [good.webhookId, poison.webhookId] } } }),
    ).toBe(1);
  });

  it("processes a batch: bad payloads fail at once, uninstalled shops are ignored, other topics go one by one", async () => {
    const shop = "batch.myshopify.com";
    await install(shop);
    const ids = {
      order: nextId(),
      customer: nextId(),
      broken: nextId(),
      uninstalled: nextId(),
      bulk: nextId(),
    };
    const o = {
      id: 3,
      customerId: 30,
      createdAt: "2026-11-01T00:00:00Z",
      updatedAt: "2026-11-02T00:00:00Z",
      cancelled: false,
      test: false,
      total: "12.50",
      discount: "1.00",
    };
    await recordWebhook(prisma, {
      webhookId: ids.order,
      shop,
      topic: "orders/create",
      apiVersion: "2026-10",
      payload: orderPayload(o),
    });
    await recordWebhook(prisma, {
      webhookId: ids.customer,
      shop,
      topic: "customers/create",
      apiVersion: "2026-10",
      payload: customerPayload(30, "2026-10-01T00:00:00Z"),
    });
    await recordWebhook(prisma, {
      webhookId: ids.broken,
      shop,
      topic: "orders/updated",
      apiVersion: "2026-10",
      payload: { id: 4 },
    });
    await recordWebhook(prisma, {
      webhookId: ids.uninstalled,
      shop: "gone.myshopify.com",
      topic: "orders/updated",
      apiVersion: "2026-10",
      payload: orderPayload(o),
    });
    await recordWebhook(prisma, {
      webhookId: ids.bulk,
      shop,
      topic: "bulk_operations/finish",
      apiVersion: "2026-10",
      payload: {},
    });

    const outcome = await processWebhookBatch(deps(), Object.values(ids));
    expect(outcome).toMatchObject({ processed: 2, ignored: 1, failed: 1, individually: [ids.bulk] });
    expect(outcome.settled.sort()).toEqual([ids.order, ids.customer, ids.broken, ids.uninstalled].sort());
    expect(outcome).toMatchObject({ leftBehind: [], busyShops: [] });
    const status = async (id: string) =>
      (await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } })).status;
    expect([
      await status(ids.order),
      await status(ids.customer),
      await status(ids.broken),
      await status(ids.uninstalled),
      await status(ids.bulk),
    ]).toEqual(["processed", "processed", "failed", "processed", "received"]);
    // When it was applied, on the clock: after it was received, and only once applied or ignored.
    const times = async (id: string) => {
      const d = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });
      return d.processedAt === null ? null : d.processedAt >= d.receivedAt;
    };
    expect([
      await times(ids.order),
      await times(ids.uninstalled),
      await times(ids.broken),
      await times(ids.bulk),
    ]).toEqual([true, true, null, null]);
    expect(
      await prisma.customer.findUnique({ where: { shop_id: { shop, id: 30n } }, select: AGGREGATE_FIELDS }),
    ).toMatchObject({ orderCount: 1, spendMinor: 1250n, discountedOrderCount: 1 });
    expect(changed).toContainEqual([shop, [30n]]);

    // Running the same batch again changes nothing: processed deliveries are skipped.
    expect(await processWebhookBatch(deps(), Object.values(ids))).toEqual({
      processed: 0,
      ignored: 0,
      failed: 0,
      individually: [ids.bulk],
      settled: [],
      leftBehind: [],
      busyShops: [],
    });
    expect((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: ids.order } })).attempts).toBe(1);
  });

  it("takes along the shop's deliveries still waiting, which their own job then finds done", async () => {
    const shop = "backlog.myshopify.com";
    await install(shop);
    const order = (id: number, customerId: number) =>
      orderPayload({
        id,
        customerId,
        createdAt: "2026-11-01T00:00:00Z",
        updatedAt: "2026-11-02T00:00:00Z",
        cancelled: false,
        test: false,
        total: "10.00",
        discount: "0.00",
      });
    const [first, waiting, other] = [nextId(), nextId(), nextId()];
    await recordWebhook(prisma, {
      webhookId: first,
      shop,
      topic: "orders/create",
      apiVersion: "2026-10",
      payload: order(1, 40),
    });
    await recordWebhook(prisma, {
      webhookId: waiting,
      shop,
      topic: "orders/create",
      apiVersion: "2026-10",
      payload: order(2, 41),
    });
    await recordWebhook(prisma, {
      webhookId: other,
      shop: "elsewhere.myshopify.com",
      topic: "orders/create",
      apiVersion: "2026-10",
      payload: order(3, 42),
    });
    expect(await processWebhookBatch(deps(), [first])).toEqual({
      processed: 2,
      ignored: 0,
      failed: 0,
      individually: [],
      settled: [first, waiting],
      leftBehind: [],
      busyShops: [shop],
    });
    expect(await processWebhookBatch(deps(), [waiting])).toEqual({
      processed: 0,
      ignored: 0,
      failed: 0,
      individually: [],
      settled: [],
      leftBehind: [],
      busyShops: [],
    });
    const rows = await prisma.webhookDelivery.findMany({
      where: { id: { in: [first, waiting, other] } },
      orderBy: { id: "asc" },
    });
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.attempts]]))).toEqual({
      [first]: ["processed", 1],
      [waiting]: ["processed", 1],
      [other]: ["received", 0],
    });
  });

  it("property: events in random batches, run concurrently, with redeliveries, end equal to a backfill of the final state", async () => {
    const customerIds = [201, 202, 203];
    const version = (orderId: number) =>
      fc
        .record({
          customerId: fc.option(fc.constantFrom(...customerIds), { freq: 5 }),
          cancelled: fc.boolean(),
          cents: fc.integer({ min: 0, max: 100_000 }),
          discountCents: fc.constantFrom(0, 0, 150),
        })
        .map((v) => ({ ...v, orderId }));
    const history = (orderId: number) => fc.array(version(orderId), { minLength: 1, maxLength: 4 });
    const scenario = fc.record({
      histories: fc.tuple(history(1), history(2), history(3), history(4)),
      seed: fc.integer(),
      batchSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
      redeliver: fc.array(fc.nat(), { maxLength: 5 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ histories, seed, batchSizes, redeliver }) => {
        const shop = `batch-prop-${mode.name}-${++run}.myshopify.com`;
        await install(shop);
        const events: string[] = [];
        const finals: OrderRow[] = [];
        for (const h of histories) {
          for (const [k, v] of h.entries()) {
            const payload = orderPayload({
              id: v.orderId,
              customerId: v.customerId,
              createdAt: "2026-11-03T08:00:00Z",
              updatedAt: new Date(Date.parse("2026-12-01T00:00:00Z") + k * 60_000).toISOString(),
              cancelled: v.cancelled,
              test: false,
              total: (v.cents / 100).toFixed(2),
              discount: (v.discountCents / 100).toFixed(2),
            });
            const webhookId = nextId();
            await recordWebhook(prisma, {
              webhookId,
              shop,
              topic: k === 0 ? "orders/create" : "orders/updated",
              apiVersion: "2026-10",
              payload,
            });
            events.push(webhookId);
            if (k === h.length - 1) finals.push(orderRowFromPayload("orders/updated", payload));
          }
        }
        for (const c of customerIds) {
          const webhookId = nextId();
          await recordWebhook(prisma, {
            webhookId,
            shop,
            topic: "customers/create",
            apiVersion: "2026-10",
            payload: customerPayload(c, "2026-10-01T00:00:00Z"),
          });
          events.push(webhookId);
        }
        const shuffled =
          fc.sample(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), {
            seed,
            numRuns: 1,
          })[0] ?? events;
        // A redelivery lands in another batch than its first delivery.
        const ids = [...shuffled, ...redeliver.map((n) => shuffled[n % shuffled.length]!)];
        const batches: string[][] = [];
        for (let i = 0, b = 0; i < ids.length; b++) {
          const size = batchSizes[b % batchSizes.length]!;
          batches.push(ids.slice(i, i + size));
          i += size;
        }
        const outcomes = await Promise.all(batches.map((batch) => processWebhookBatch(deps(), batch)));
        for (const id of outcomes.flatMap((o) => o.individually)) await processWebhook(deps(), id);

        const rows = await prisma.webhookDelivery.findMany({ where: { id: { in: events } } });
        expect(rows.every((r) => r.status === "processed" && r.attempts === 1)).toBe(true);
        const expected = aggregateOrders(finals);
        const stored = await prisma.customer.findMany({ where: { shop }, select: AGGREGATE_FIELDS });
        expect(stored).toHaveLength(customerIds.length);
        for (const c of stored) {
          const want = expected.get(c.id) ?? EMPTY_AGGREGATES;
          expect({
            orderCount: c.orderCount,
            spendMinor: c.spendMinor,
            discountedOrderCount: c.discountedOrderCount,
            firstOrderAt: c.firstOrderAt,
            lastOrderAt: c.lastOrderAt,
          }).toEqual(want);
        }
      }),
      { numRuns: 20 },
    );
  });
});
