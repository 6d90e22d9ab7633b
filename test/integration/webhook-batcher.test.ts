import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/shops.server";
import type { ProcessWebhookDeps } from "~/sync/webhooks/process-webhook.server";
import { createWebhookBatcher } from "~/sync/webhooks/webhook-batcher.server";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { recordWebhook } from "./helpers/record-webhook";
import { orderPayload } from "./helpers/webhook-fixtures";

// A worker process applies batch jobs in passes: many jobs share one pass, and a pass drains the
// shop's waiting deliveries before their own jobs come up.

let sequence = 0;
const nextId = () => `batcher-wh-${++sequence}`;

describe.each(databaseModes)("webhook batcher ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const lines: string[] = [];
  let failRescore = 0;
  let dropConnection = 0;
  const rescored: bigint[] = [];
  const deps = (): ProcessWebhookDeps => ({
    prisma,
    log: (line) => lines.push(line),
    now: () => new Date(),
    onBulkFinished: async () => {},
    onCustomersChanged: async (tx, _shop, ids) => {
      if (dropConnection > 0) {
        dropConnection--;
        // the server ends this transaction's session, as a restart or a failover would
        await tx.$queryRawUnsafe("SELECT pg_terminate_backend(pg_backend_pid())");
      }
      if (failRescore > 0) {
        failRescore--;
        throw new Error("rescore unavailable");
      }
      rescored.push(...ids);
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

  async function recordOrders(shop: string, count: number, firstCustomer: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const webhookId = nextId();
      await recordWebhook(prisma, {
        webhookId,
        shop,
        topic: "orders/create",
        apiVersion: "2026-10",
        payload: orderPayload({
          id: 1000 + firstCustomer + i,
          customerId: firstCustomer + i,
          createdAt: "2026-11-20T10:00:00Z",
          updatedAt: "2026-11-20T10:00:00Z",
          cancelled: false,
          test: false,
          total: "20.00",
          discount: "0.00",
        }),
      });
      ids.push(webhookId);
    }
    return ids;
  }

  const statuses = async (ids: string[]) => {
    const rows = await prisma.webhookDelivery.findMany({ where: { id: { in: ids } } });
    return ids.map((id) => rows.find((row) => row.id === id)).map((d) => [d?.status, d?.attempts]);
  };

  it("applies many jobs' deliveries in a few passes, each delivery once", async () => {
    const shop = "batcher-many.myshopify.com";
    await recordInstall(prisma, { shop, scopes: "read_customers,read_orders" });
    const ids = await recordOrders(shop, 30, 100);
    const bulk = nextId();
    await recordWebhook(prisma, {
      webhookId: bulk,
      shop,
      topic: "bulk_operations/finish",
      apiVersion: "2026-10",
      payload: {},
    });
    const passes: Array<{ own: number; settled: number }> = [];
    const batcher = createWebhookBatcher(deps(), { onPass: (pass) => passes.push(pass) });
    const jobs = [...Array.from({ length: 10 }, (_, i) => ids.slice(3 * i, 3 * i + 3)), [bulk]];
    const outcomes = await Promise.all(jobs.map((job) => batcher.process(job)));

    // The first job's pass takes every waiting order along; the others' ids are settled by then.
    expect(passes[0]).toMatchObject({ own: 3, settled: 30 });
    expect(passes.length).toBeLessThanOrEqual(3);
    expect(outcomes.slice(0, 10).every((o) => o.individually.length === 0)).toBe(true);
    expect(outcomes[10]).toEqual({ individually: [bulk] });
    expect(await statuses(ids)).toEqual(ids.map(() => ["processed", 1]));
    expect(new Set(rescored).size).toBe(30);

    // A job whose deliveries a pass here settled returns without another pass.
    const before = passes.length;
    expect(await batcher.process(ids.slice(0, 3))).toEqual({ individually: [] });
    expect(passes.length).toBe(before);
    await batcher.idle();
  });

  it("applies waiting deliveries whose jobs have not come up, then looks again", async () => {
    const shop = "batcher-drain.myshopify.com";
    await recordInstall(prisma, { shop, scopes: "read_customers,read_orders" });
    const first = await recordOrders(shop, 1, 200);
    const later = await recordOrders(shop, 5, 300);
    const passes: Array<{ own: number; settled: number }> = [];
    const batcher = createWebhookBatcher(deps(), { onPass: (pass) => passes.push(pass) });
    await batcher.process(first);
    await batcher.idle();
    // No job was handed these; the pass that found them waiting is followed by one more look.
    expect(await statuses(later)).toEqual(later.map(() => ["processed", 1]));
    expect(passes).toEqual([
      { own: 1, settled: 6, ms: expect.any(Number) },
      { own: 0, settled: 0, ms: expect.any(Number) },
    ]);
  });

  it("never takes along again what a failed pass took along: its own job applies it", async () => {
    const shop = "batcher-fail.myshopify.com";
    await recordInstall(prisma, { shop, scopes: "read_customers,read_orders" });
    const own = await recordOrders(shop, 1, 400);
    const along = await recordOrders(shop, 1, 401);
    const passes: number[] = [];
    const batcher = createWebhookBatcher(deps(), { onPass: (p) => passes.push(p.settled) });
    // The rescore fails inside the transaction: nothing of the pass is stored, and the job runs its
    // own delivery alone.
    failRescore = 1;
    expect(await batcher.process(own)).toEqual({ individually: own });
    expect(lines.some((line) => line.includes("failed, processing them one by one"))).toBe(true);
    expect(await statuses([...own, ...along])).toEqual([
      ["received", 0],
      ["received", 0],
    ]);
    const third = await recordOrders(shop, 1, 402);
    await batcher.process(third);
    expect(await statuses([...own, ...along, ...third])).toEqual([
      ["processed", 1],
      ["received", 0],
      ["processed", 1],
    ]);
    expect(await batcher.process(along)).toEqual({ individually: [] });
    await batcher.idle();
    expect(await statuses(along)).toEqual([["processed", 1]]);
  });

  it.runIf(mode.name === "postgres")(
    "retries a pass whose connection was lost as a whole, splitting nothing into single jobs",
    async () => {
      const shop = "batcher-connection.myshopify.com";
      await recordInstall(prisma, { shop, scopes: "read_customers,read_orders" });
      const own = await recordOrders(shop, 2, 500);
      const along = await recordOrders(shop, 3, 510);
      const batcher = createWebhookBatcher(deps(), {});
      dropConnection = 1;
      const logged = lines.length;
      await expect(batcher.process(own)).rejects.toThrow();
      expect(lines.slice(logged).some((line) => line.includes("one by one"))).toBe(false);
      expect(await statuses([...own, ...along])).toEqual([...own, ...along].map(() => ["received", 0]));
      // The job's retry: one pass applies its deliveries and takes the others along again.
      expect(await batcher.process(own)).toEqual({ individually: [] });
      await batcher.idle();
      expect(await statuses([...own, ...along])).toEqual([...own, ...along].map(() => ["processed", 1]));
    },
  );
});
