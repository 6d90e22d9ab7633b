import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createSecretBox } from "~/campaigns/channels/secret-box.server";
import { saveChannelConfig, seedCampaign, seedCustomers, seedOutbox } from "~/campaigns/dispatch/seed.server";
import { createDatabase, type Database } from "~/db.server";
import { startSinks, type Sinks } from "../emulator/sinks";
import { postgresTarget, postgresUrl, type DatabaseTarget } from "./helpers/db";

// SIGKILL a worker process in the middle of a campaign, start another: every message is delivered,
// and a message reaches the provider twice only if its row was `sending` when the worker died (the
// kill fell between the provider's acceptance and the outbox update), with the same key both times.
// Workers are real `npm run worker` processes (scripts/worker.ts), which need PostgreSQL; BullMQ
// on Redis when REDIS_URL is set, else the database queue. 20,000 messages by default;
// DISPATCH_KILL_MESSAGES=100000 for the full run (docs/benchmarks.md).

const MESSAGES = Number(process.env.DISPATCH_KILL_MESSAGES ?? 20_000);
const redisUrl = process.env.REDIS_URL || undefined;
const SHOP = "kill-test.myshopify.com";
const CAMPAIGN = "kill-campaign";

function spawnWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) =>
    process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`),
  );
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve()),
  );

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!postgresUrl)("dispatch survives a killed worker (PostgreSQL)", () => {
  let target: DatabaseTarget | undefined;
  let db: Database | undefined;
  let sinks: Sinks | undefined;
  const workers: ChildProcess[] = [];
  const prefix = `t_${randomBytes(6).toString("hex")}`;

  afterAll(async () => {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
    await Promise.all(workers.map(exited));
    if (redisUrl) {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
      const inspector = new Queue("jobs", { connection: redis, prefix });
      await inspector.obliterate({ force: true });
      await inspector.close();
      const keys = await redis.keys(`${prefix}:dispatch:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
    await sinks?.close();
    await db?.close();
    await target?.cleanup();
  });

  it(`delivers all ${MESSAGES} messages; only rows in flight at the kill are sent twice`, async () => {
    target = await postgresTarget(postgresUrl ?? "");
    db = await createDatabase(target);
    const prisma: PrismaClient = db.prisma;
    sinks = await startSinks({ capacity: 10 });
    const key = randomBytes(32);
    await seedCustomers(prisma, SHOP, 1, MESSAGES);
    await seedCampaign(prisma, { shop: SHOP, id: CAMPAIGN, channels: ["webhook"] });
    await seedOutbox(prisma, {
      shop: SHOP,
      campaignId: CAMPAIGN,
      channel: "webhook",
      from: 1,
      count: MESSAGES,
      idPrefix: "k",
      sendAt: new Date(Date.now() - 1_000),
    });
    await saveChannelConfig(prisma, createSecretBox(key), {
      shop: SHOP,
      channel: "webhook",
      settings: sinks.settings.webhook,
      ratePerSecond: 100_000,
    });
    const env = {
      NODE_ENV: "development",
      SHOPIFY_API_KEY: "kill-test-key",
      SHOPIFY_API_SECRET: "kill-test-secret",
      SHOPIFY_APP_URL: "https://app.example.com",
      ENCRYPTION_KEY: key.toString("hex"),
      DATABASE_URL: target.databaseUrl ?? "",
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: prefix,
      JOB_CONCURRENCY: "4",
      LOG_LEVEL: "warn",
    };
    const sent = () => prisma.outboxMessage.count({ where: { campaignId: CAMPAIGN, status: "sent" } });

    const started = Date.now();
    const first = spawnWorker(env);
    workers.push(first);
    await waitFor("40% sent", async () => (await sent()) >= MESSAGES * 0.4, 120_000);
    first.kill("SIGKILL");
    await exited(first);
    const killedAt = Date.now();
    // PostgreSQL finishes (or rolls back) what the dead connection had sent, then the rows tell.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const inFlight = new Set(
      (
        await prisma.outboxMessage.findMany({
          where: { campaignId: CAMPAIGN, status: "sending" },
          select: { id: true },
        })
      ).map((row) => row.id),
    );
    const sentAtKill = await sent();

    const second = spawnWorker(env);
    workers.push(second);
    await waitFor("all sent", async () => (await sent()) === MESSAGES, 300_000);
    const finished = Date.now();
    await waitFor(
      "completion",
      async () =>
        (await prisma.campaign.findUniqueOrThrow({ where: { id: CAMPAIGN } })).status === "completed",
      30_000,
    );
    second.kill("SIGTERM");
    await exited(second);

    const twice: string[] = [];
    const missing: string[] = [];
    for (let n = 1; n <= MESSAGES; n++) {
      const count = sinks.countFor("webhook", `k${n}`);
      if (count === 0) missing.push(`k${n}`);
      if (count > 1) twice.push(`k${n}`);
      expect(count).toBeLessThanOrEqual(2);
    }
    const stats = sinks.stats().webhook;
    process.stdout.write(
      `dispatch kill test: ${MESSAGES} messages on ${redisUrl ? "BullMQ" : "the database queue"}; ` +
        `killed at ${sentAtKill} sent (${((killedAt - started) / 1000).toFixed(1)} s), ${inFlight.size} rows in flight; ` +
        `${twice.length} delivered twice; all sent ${((finished - killedAt) / 1000).toFixed(1)} s after the kill\n`,
    );
    expect(missing).toEqual([]);
    expect(twice.filter((id) => !inFlight.has(id))).toEqual([]);
    expect(stats).toMatchObject({
      uniqueKeys: MESSAGES,
      duplicates: twice.length,
      accepted: MESSAGES + twice.length,
    });
    expect(
      await prisma.outboxMessage.count({ where: { campaignId: CAMPAIGN, status: { not: "sent" } } }),
    ).toBe(0);
  }, 600_000);
});
