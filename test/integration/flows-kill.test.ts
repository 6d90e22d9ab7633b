import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "~/db.server";
import { enterFlows } from "~/flows/enter-flows.server";
import { flowIdFor } from "~/flows/ids";
import type { FlowEvent } from "~/flows/model";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { recordInstall } from "~/shops.server";
import { upsertProducts } from "~/sync/products/store-products.server";
import { startSinks, type Sinks } from "../emulator/sinks";
import { saveChannelConfig, seedCustomers } from "../support/outbox-factory";
import { forgetPrefix } from "../support/bullmq-prefix";
import { exited, spawnWorker } from "../support/worker-process";
import { waitFor } from "./helpers/wait-for";
import { postgresTarget, postgresUrl, type DatabaseTarget } from "./helpers/db";

// SIGKILL a worker while its flow scheduler and dispatcher are deciding and sending the first
// message of ENROLLMENTS abandoned checkouts, start another: every due step is decided once (one
// outbox row per enrollment and step: the row id is the step's idempotency key), every message is
// delivered, and one reaches the SMTP sink twice only if it was `sending` when the worker died.

const ENROLLMENTS = Number(process.env.FLOWS_KILL_ENROLLMENTS ?? 3_000);
const redisUrl = process.env.REDIS_URL || undefined;
const SHOP = "flows-kill.myshopify.com";
const FLOW = flowIdFor(SHOP, "abandoned_checkout");

// The title names both modes: CI counts the tests run per database and queue mode by it.
const TITLE = `flows survive a killed worker (PostgreSQL, ${redisUrl ? "BullMQ" : "database queue"})`;
describe.skipIf(!postgresUrl)(TITLE, () => {
  let target: DatabaseTarget | undefined;
  let db: Database | undefined;
  let sinks: Sinks | undefined;
  const workers: ChildProcess[] = [];
  const prefix = `t_${randomBytes(6).toString("hex")}`;

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
    await Promise.all(workers.map(exited));
    if (redisUrl) await forgetPrefix(redisUrl, prefix);
    await sinks?.close();
    await db?.close();
    await target?.cleanup();
  });

  it(`decides and delivers the first message of ${ENROLLMENTS} abandoned checkouts exactly once per step`, async () => {
    target = await postgresTarget(postgresUrl ?? "");
    db = await createDatabase(target);
    const prisma: PrismaClient = db.prisma;
    sinks = await startSinks({ capacity: 10 });
    const key = randomBytes(32);
    await recordInstall(prisma, { shop: SHOP, scopes: "read_customers,read_orders,read_products" });
    await seedCustomers(prisma, SHOP, 1, ENROLLMENTS);
    await upsertProducts(prisma, SHOP, [
      {
        id: 1n, title: "Merino Scarf", handle: "merino-scarf", productType: "Gifts", tags: [], status: "ACTIVE",
        publishedAt: new Date("2026-01-01T00:00:00Z"), priceMinor: 2400n, currencyCode: "USD", imageUrl: null,
        inStock: true, tracksInventory: true, shopifyUpdatedAt: new Date("2026-11-01T00:00:00Z"),
      },
    ]);
    await prisma.flow.create({ data: { id: FLOW, shop: SHOP, key: "abandoned_checkout", status: "on", setting: { holdoutShare: 0 } } });
    // Checkouts abandoned 61 minutes ago: every first message is due now.
    const abandonedAt = new Date(Date.now() - 61 * 60_000);
    await prisma.$executeRaw`
      INSERT INTO "Checkout" (shop, id, "customerId", "shopifyCreatedAt", "shopifyUpdatedAt", "totalMinor", "currencyCode",
        "recoveryUrl", "lineItems", "syncedAt")
      SELECT ${SHOP}, n, n, ${abandonedAt}::timestamp, ${abandonedAt}::timestamp, 2400, 'USD',
        'https://shop.example/checkouts/' || n || '/recover', ${JSON.stringify([{ productId: "1", variantId: null, quantity: 1, title: "Merino Scarf", variantTitle: null, priceMinor: "2400" }])}::jsonb, now()
      FROM generate_series(1::bigint, ${ENROLLMENTS}::bigint) AS n`;
    const events: FlowEvent[] = Array.from({ length: ENROLLMENTS }, (_, i) => ({
      type: "checkout_activity",
      customerId: String(i + 1),
      checkoutId: String(i + 1),
      occurredAt: abandonedAt,
      completedAt: null,
      causedByFlow: null,
    }));
    await prisma.$transaction((tx) => enterFlows(tx, SHOP, events, new Date()), { timeout: 120_000 });
    expect(await prisma.flowEnrollment.count({ where: { shop: SHOP } })).toBe(ENROLLMENTS);
    await saveChannelConfig(prisma, createSecretBox(key), { shop: SHOP, channel: "email", settings: sinks.settings.smtp, ratePerSecond: 100_000 });

    const env = {
      NODE_ENV: "development",
      SHOPIFY_API_KEY: "flows-kill-key",
      SHOPIFY_API_SECRET: "flows-kill-secret",
      SHOPIFY_APP_URL: "https://app.example.com",
      ENCRYPTION_KEY: key.toString("hex"),
      DATABASE_URL: target.databaseUrl ?? "",
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: prefix,
      JOB_CONCURRENCY: "4",
      SHOPIFY_EMULATOR_URL: new URL(sinks.settings.webhook.url).origin,
      LOG_LEVEL: "warn",
    };
    const rows = () => prisma.outboxMessage.count({ where: { campaignId: FLOW } });
    const sent = () => prisma.outboxMessage.count({ where: { campaignId: FLOW, status: "sent" } });

    const first = spawnWorker(env);
    workers.push(first);
    await waitFor("40% decided and some sent", async () => (await rows()) >= ENROLLMENTS * 0.4 && (await sent()) > 0, 180_000);
    first.kill("SIGKILL");
    await exited(first);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const inFlight = new Set(
      (await prisma.outboxMessage.findMany({ where: { campaignId: FLOW, status: "sending" }, select: { id: true } })).map((r) => r.id),
    );
    const decidedAtKill = await rows();

    const second = spawnWorker(env);
    workers.push(second);
    await waitFor("every first message sent", async () => (await sent()) === ENROLLMENTS, 300_000);
    second.kill("SIGTERM");
    await exited(second);

    const messages = await prisma.outboxMessage.findMany({ where: { campaignId: FLOW }, select: { id: true, enrollmentId: true, status: true } });
    const perEnrollment = new Map<string, number>();
    for (const m of messages) perEnrollment.set(m.enrollmentId ?? "", (perEnrollment.get(m.enrollmentId ?? "") ?? 0) + 1);
    const missing = messages.filter((m) => sinks?.countFor("smtp", m.id) === 0).map((m) => m.id);
    const twice = messages.filter((m) => (sinks?.countFor("smtp", m.id) ?? 0) === 2).map((m) => m.id);
    const overTwice = messages.filter((m) => (sinks?.countFor("smtp", m.id) ?? 0) > 2).map((m) => m.id);
    process.stdout.write(
      `flows kill test: ${ENROLLMENTS} enrollments; killed at ${decidedAtKill} decided, ${inFlight.size} sending; delivered twice ${twice.length}\n`,
    );
    expect(messages).toHaveLength(ENROLLMENTS);
    expect([...perEnrollment.values()].every((n) => n === 1)).toBe(true);
    expect(missing).toEqual([]);
    expect(overTwice).toEqual([]);
    expect(twice.filter((id) => !inFlight.has(id))).toEqual([]);
    // every enrollment moved on to its next reminder, none stuck under a dead worker's lease
    const waiting = await prisma.flowEnrollment.findMany({ where: { shop: SHOP }, select: { status: true, stepIndex: true, leaseUntil: true } });
    expect(waiting.every((e) => e.status === "waiting" && e.leaseUntil === null)).toBe(true);
    expect(new Set(waiting.map((e) => e.stepIndex)).size).toBe(1);
  }, 600_000);
});
