// Webhook-to-segment freshness (not part of `npm test`): `npm run bench:freshness`.
//
// The real app process in the scale mode (PostgreSQL in a fresh schema + BullMQ on Redis, jobs in
// the app process unless BENCH_WORKER=separate), installed on a generated store and scored. Then
// signed `orders/create` deliveries — a new order placed today — go to /webhooks/orders at
// BENCH_RATE per second for BENCH_SECONDS, each for a different customer who is `lapsed` or a
// `prospect`, so each must move that customer to another segment. For every delivery: from the
// moment it was due to be sent (the open loop's schedule, so client queueing counts) and from its
// receipt (the stored `receivedAt`) to the moment its customer's new segment was stored (the
// SegmentTransition's time). Checks that every customer moved, once, and prints JSON.
//
// Env: BENCH_CUSTOMERS (10000), BENCH_RATE (500), BENCH_SECONDS (10), BENCH_CONNECTIONS (16),
// BENCH_WORKER (inprocess | separate), JOB_CONCURRENCY (app default 4), DATABASE_URL, REDIS_URL,
// BENCH_VERBOSE=1 (the app's log lines on stderr), BENCH_SETUP_SECONDS (300: the backfill's and first
// scoring's limit each).

import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createDatabase } from "../../app/db.server";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { postgresTarget } from "../integration/helpers/db";
import { machineBusySeconds } from "./cpu";
import { orderPayload } from "../emulator/webhook-payloads";
import {
  cpuSecondsOf,
  log,
  obliterate,
  redisPrefixOf,
  round,
  sendLoad,
  signedDelivery,
  spawnWorker,
  stopProcess,
  summarize,
} from "./webhook-load";

const env = process.env;
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 10_000);
const RATE = Number(env.BENCH_RATE ?? 500);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 16);
const WORKER = env.BENCH_WORKER === "separate" ? "separate" : "inprocess";
const PG_BASE = env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const REDIS_URL = env.REDIS_URL || "redis://127.0.0.1:6379";
const SETTLE_TIMEOUT_MS = 180_000;
const VERBOSE = env.BENCH_VERBOSE === "1";
// the install's backfill and first scoring: minutes at a million customers
const SETUP_MS = Number(env.BENCH_SETUP_SECONDS ?? 300) * 1000;

async function main(): Promise<void> {
  const tag = randomBytes(4).toString("hex");
  const shop = `fresh-${tag}.myshopify.com`;
  const secret = `fresh-secret-${tag}`;
  const apiKey = `fresh-key-${tag}`;
  const dataDir = mkdtempSync(join(tmpdir(), "holiday-freshness-"));
  const target = await postgresTarget(PG_BASE);
  const databaseUrl = target.databaseUrl;
  if (!databaseUrl) throw new Error("no PostgreSQL schema for the benchmark");
  process.env.REDIS_URL = REDIS_URL;
  const parentConcurrency = env.JOB_CONCURRENCY;
  if (WORKER === "separate") process.env.JOB_CONCURRENCY = "0";
  let demo: Demo | undefined;
  let worker: ChildProcess | undefined;
  let redisPrefix: string | undefined;
  const db = await createDatabase({ databaseUrl: databaseUrl, dataDir });
  try {
    log(`starting the app on a store of ${CUSTOMERS} customers`);
    demo = await startDemo({
      apiKey,
      apiSecret: secret,
      shop,
      customers: CUSTOMERS,
      seed: 11,
      dataDir,
      databaseUrl: databaseUrl,
      install: true,
      log: VERBOSE ? (line) => process.stderr.write(`[app] ${line}\n`) : () => {},
    });
    if (parentConcurrency === undefined) delete process.env.JOB_CONCURRENCY;
    else process.env.JOB_CONCURRENCY = parentConcurrency;
    redisPrefix = redisPrefixOf(demo.app.pid);
    if (WORKER === "separate") {
      const concurrency = env.JOB_CONCURRENCY || "4";
      worker = spawnWorker(demo, {
        apiKey,
        apiSecret: secret,
        databaseUrl: databaseUrl,
        dataDir,
        redisUrl: REDIS_URL,
        redisPrefix,
        concurrency,
      });
    }
    const synced = await waitForSync(demo.appUrl, demo.emulator, shop, { timeoutMs: SETUP_MS });
    if (synced.backfill?.status !== "completed") throw new Error(`backfill ${synced.backfill?.status}`);
    await waitForSegments(demo.appUrl, demo.emulator, shop, { timeoutMs: SETUP_MS });
    // a score from before the backfill (of no one) counts as scored: wait for every customer's
    const setupDeadline = Date.now() + SETUP_MS;
    for (;;) {
      const [{ n } = { n: 0 }] = await db.prisma.$queryRawUnsafe<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM "CustomerScore" WHERE shop = $1`,
        shop,
      );
      if (n >= CUSTOMERS) break;
      if (Date.now() > setupDeadline) throw new Error(`only ${n} of ${CUSTOMERS} customers scored in time`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    // Customers whose segment a new order today must change.
    const wanted = Math.round(RATE * SECONDS);
    const targets = await db.prisma.$queryRawUnsafe<Array<{ id: string; segment: string }>>(
      `SELECT "customerId"::text AS id, segment FROM "CustomerScore" WHERE shop = $1 AND segment IN ('lapsed', 'prospect')
       ORDER BY md5("customerId"::text) LIMIT $2`,
      shop,
      wanted,
    );
    if (targets.length < wanted)
      log(`only ${targets.length} lapsed or prospect customers: sending ${targets.length}`);
    const store = demo.emulator.store(shop);
    const template = orderPayload(store.order(0), store.customer(0));
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const requests = targets.map((customer, i) => {
      const orderId = 8_000_000_000 + i;
      const payload = {
        ...template,
        id: orderId,
        admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
        created_at: now,
        updated_at: now,
        cancelled_at: null,
        test: false,
        customer: { id: Number(customer.id), admin_graphql_api_id: `gid://shopify/Customer/${customer.id}` },
      };
      return signedDelivery({ shop, secret, topic: "orders/create", payload });
    });
    const before = await db.prisma.segmentTransition.count({ where: { shop } });
    const cpu0 = cpuSecondsOf(demo.app.pid);
    const workerCpu0 = cpuSecondsOf(worker?.pid);
    const benchCpu0 = process.cpuUsage();
    const machine0 = machineBusySeconds();
    log(`sending ${requests.length} orders/create at ${RATE}/s over ${CONNECTIONS} connections`);
    const sent = await sendLoad(requests, {
      port: Number(new URL(demo.appUrl).port),
      path: "/webhooks/orders",
      connections: CONNECTIONS,
      rate: RATE,
      sendTimeoutMs: 120_000,
      requestTimeoutMs: 10_000,
    });
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (
      (await db.prisma.segmentTransition.count({ where: { shop } })) - before < requests.length &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const appCpuSeconds = cpuSecondsOf(demo.app.pid) - cpu0;
    const workerCpuSeconds = cpuSecondsOf(worker?.pid) - workerCpu0;
    const benchCpu = process.cpuUsage(benchCpu0);
    const machineCpuSeconds = machineBusySeconds() - machine0;

    const rows = await db.prisma.$queryRawUnsafe<
      Array<{
        id: string;
        receivedAt: Date;
        at: Date | null;
        moves: number;
        status: string;
        attempts: number;
      }>
    >(
      `SELECT d.id, d."receivedAt", min(t.at) AS at, count(t.id)::int AS moves, d.status, d.attempts
       FROM "WebhookDelivery" d
       LEFT JOIN "SegmentTransition" t ON t.shop = d.shop AND t."customerId" = (d.payload->'customer'->>'id')::bigint
         AND t."fromSegment" IN ('lapsed', 'prospect')
       WHERE d.shop = $1 AND d.topic = 'orders/create'
       GROUP BY d.id, d."receivedAt", d.status, d.attempts`,
      shop,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const fromDue: number[] = [];
    const fromReceipt: number[] = [];
    let missing = 0;
    requests.forEach((request, i) => {
      const row = byId.get(request.webhookId);
      if (!row?.at) {
        missing++;
        return;
      }
      fromDue.push(row.at.getTime() - (sent.firstSendMs + (i * 1000) / RATE));
      fromReceipt.push(row.at.getTime() - row.receivedAt.getTime());
    });
    const ok = sent.statuses.get(200) ?? 0;
    const result = {
      date: new Date().toISOString(),
      machine: {
        nproc: cpus().length,
        cpu: cpus()[0]?.model,
        memGb: round(totalmem() / 2 ** 30, 1),
        node: process.version,
      },
      settings: {
        customers: CUSTOMERS,
        rate: RATE,
        seconds: SECONDS,
        connections: CONNECTIONS,
        jobs:
          WORKER === "separate"
            ? "one worker process"
            : `in the app process, JOB_CONCURRENCY=${env.JOB_CONCURRENCY ?? 4}`,
      },
      sent: requests.length,
      sendSeconds: round(sent.seconds, 2),
      answered200: ok,
      answerMs: summarize(sent.latencies),
      freshnessMsFromDue: summarize(fromDue),
      freshnessMsFromReceipt: summarize(fromReceipt),
      segmentsMoved: fromDue.length,
      notMoved: missing,
      movedMoreThanOnce: rows.filter((row) => row.moves > 1).length,
      deliveriesNotProcessedOnce: rows.filter((row) => row.status !== "processed" || row.attempts !== 1)
        .length,
      appCpuSeconds: round(appCpuSeconds, 2),
      workerCpuSeconds: round(workerCpuSeconds, 2),
      loadGeneratorCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 2),
      // Everything busy on the machine from the first send until every segment moved (PostgreSQL,
      // Redis and anything else running here included).
      machineCpuSeconds: round(machineCpuSeconds, 2),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stopProcess(worker).catch(() => undefined);
    await demo?.stop().catch(() => undefined);
    await db.close();
    await target.cleanup();
    if (redisPrefix) await obliterate(REDIS_URL, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
