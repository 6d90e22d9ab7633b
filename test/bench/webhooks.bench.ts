// Webhook ingestion benchmark (not part of `npm test`): `npm run bench:webhooks`.
//
// For each mode — scale (PostgreSQL in a fresh schema + BullMQ on Redis) and embedded (PGlite in a
// temp dir + the database job queue) — it starts the real app process wired to the emulator
// (`startDemo`), installs it on a generated store and waits for the backfill, then sends signed
// `orders/updated` deliveries for the store's real orders (the emulator's REST payloads, a few KB
// with line items, each with a later `updated_at`) to /webhooks/orders on loopback, over a bounded
// number of keep-alive connections. 10% of the requests are exact duplicates (same webhook id, same
// body, same signature) sent again at a random later point. Phases:
//   - paced: open loop at BENCH_RATE requests/s for BENCH_RATE_SECONDS (scale mode only by default);
//     latency is measured from each request's scheduled time, so client-side queueing counts;
//   - full: closed loop, as fast as the connections allow (latency from the socket being assigned).
// After each phase it waits for the queue to drain (the app's own sync-status counts), then checks in
// the database: one delivery row per unique id sent (0 lost), every one `processed` with
// `attempts = 1` (0 processed twice), every order's `shopifyUpdatedAt` equals the latest sent, and
// the dashboard counts still equal the generator's truth. Prints JSON.
//
// Env: BENCH_MODES (scale,embedded), BENCH_CUSTOMERS (2000), BENCH_CONNECTIONS (16),
// BENCH_RATE (1000), BENCH_RATE_SECONDS (5), BENCH_WARMUP_SECONDS (0: a paced phase at BENCH_RATE
// first, reported on its own), BENCH_SCALE_REQUESTS (10000),
// BENCH_EMBEDDED_REQUESTS (3000), BENCH_SCALE_WORKER (inprocess | separate | deferred, see below),
// BENCH_APP_NODE_OPTIONS (e.g. --cpu-prof for the app process), BENCH_EMBEDDED_RATE (0 = no paced phase), BENCH_DUPLICATES (0.1),
// DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test), REDIS_URL (redis://127.0.0.1:6379).
// JOB_CONCURRENCY is passed through to the app (its default: 4).

import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, freemem, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { postgresTarget, type DatabaseTarget } from "../integration/helpers/db";
import { createDatabase } from "../../app/db.server";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { syncStatus, waitForSync } from "../../scripts/demo/wait-for-sync";
import { summarizeStore, type GeneratedStore } from "../emulator/index";
import { orderPayload } from "../emulator/webhook-payloads";
import {
  cpuSecondsOf,
  log,
  obliterate,
  percentile,
  redisPrefixOf,
  round,
  sendLoad,
  signedDelivery,
  spawnWorker,
  stopProcess,
  type Prepared,
} from "./webhook-load";

const env = process.env;
const MODES = (env.BENCH_MODES ?? "scale,embedded")
  .split(",")
  .map((m) => m.trim())
  .filter(Boolean);
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 2_000);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 16);
const RATE = Number(env.BENCH_RATE ?? 1_000);
const RATE_SECONDS = Number(env.BENCH_RATE_SECONDS ?? 5);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 0);
const SCALE_REQUESTS = Number(env.BENCH_SCALE_REQUESTS ?? 10_000);
const EMBEDDED_REQUESTS = Number(env.BENCH_EMBEDDED_REQUESTS ?? 3_000);
const EMBEDDED_RATE = Number(env.BENCH_EMBEDDED_RATE ?? 0);
const DUPLICATES = Number(env.BENCH_DUPLICATES ?? 0.1);
const PG_BASE = env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const REDIS_URL = env.REDIS_URL || "redis://127.0.0.1:6379";
const SEND_TIMEOUT_MS = 180_000; // per phase
const REQUEST_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 240_000; // per phase
// Scale mode only: where jobs run. inprocess = in the app process (JOB_CONCURRENCY, default 4);
// separate = the app is web-only (JOB_CONCURRENCY=0) and one `scripts/worker.ts` process runs them;
// deferred = like separate, but the worker is stopped while requests are sent and started after
// each phase, so the answer path is measured alone and processing is timed from the worker's start.
const WORKER = (env.BENCH_SCALE_WORKER ?? "inprocess") as "inprocess" | "separate" | "deferred";
const WORKER_CONCURRENCY = env.JOB_CONCURRENCY || "4";

// ---------- requests ----------

interface OrderUpdate extends Prepared {
  orderId: string;
  updatedAtMs: number;
}

interface Plan {
  name: "warmup" | "paced" | "full";
  rate: number; // 0 = as fast as possible
  requests: OrderUpdate[]; // in send order, duplicates included
  unique: number;
}

class Payloads {
  private readonly cache = new Map<number, Record<string, unknown>>();
  private next = 0;
  private readonly baseMs: number;
  constructor(
    private readonly store: GeneratedStore,
    private readonly shop: string,
    private readonly secret: string,
  ) {
    // Later than anything the store holds, so every delivery is a real update.
    this.baseMs = Math.max(store.untilMs, Date.now() - 86_400_000) + 60_000;
  }

  /** A fresh delivery of orders/updated for a random order of the store, newer than all before it. */
  make(): OrderUpdate {
    const j = Math.floor(Math.random() * this.store.orderCount);
    let base = this.cache.get(j);
    if (!base) {
      const order = this.store.order(j);
      const c = this.store.timeline.orderCustomer[j] ?? -1;
      base = orderPayload(order, c >= 0 ? this.store.customer(c) : null);
      this.cache.set(j, base);
    }
    const updatedAtMs = this.baseMs + 1_000 * this.next++;
    const payload = { ...base, updated_at: new Date(updatedAtMs).toISOString().replace(".000Z", "Z") };
    const delivery = signedDelivery({
      shop: this.shop,
      secret: this.secret,
      topic: "orders/updated",
      payload,
    });
    return { ...delivery, orderId: String(base.id), updatedAtMs };
  }
}

/** `total` requests of which a fraction DUPLICATES are exact copies sent again at a random later point. */
function plan(name: Plan["name"], rate: number, total: number, payloads: Payloads): Plan {
  const dups = Math.round(total * DUPLICATES);
  const unique = total - dups;
  const originals = Array.from({ length: unique }, () => payloads.make());
  const keyed = originals.map((p, i) => ({ key: i, p }));
  for (let d = 0; d < dups; d++) {
    // Each duplicated delivery is picked once; its copy goes anywhere after the original.
    const i = Math.floor(((d + Math.random()) * unique) / dups);
    const original = keyed[i];
    if (!original) continue;
    keyed.push({ key: i + 0.5 + Math.random() * (unique - i - 0.5), p: original.p });
  }
  keyed.sort((a, b) => a.key - b.key);
  return { name, rate, requests: keyed.map((k) => k.p), unique };
}

// ---------- the load generator ----------

interface PhaseResult {
  phase: string;
  mode: "warmup" | "paced" | "full";
  targetRate: number | null;
  connections: number;
  requests: number;
  unique: number;
  duplicates: number;
  bodyBytesMean: number;
  sendSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Paced phases: p99 of the requests due in each second, to tell a start-up stall from a backlog. */
  p99BySecondMs?: number[];
  statuses: Record<string, number>;
  non200: number;
  errors: number;
  drainSeconds: number | null;
  drainFrom: "first send" | "worker start";
  processedPerSecond: number | null;
  appCpuSeconds: number;
  benchCpuSeconds: number;
}

function p99BySecond(latencies: Float64Array, rate: number): number[] {
  const seconds: number[][] = [];
  latencies.forEach((ms, i) => {
    if (!Number.isNaN(ms)) (seconds[Math.floor(i / rate)] ??= []).push(ms);
  });
  return seconds.map((values) => round(percentile(Float64Array.from(values).sort(), 0.99), 1));
}

// ---------- one mode ----------

interface Verification {
  uniqueSent: number;
  deliveryRows: number;
  lost: number;
  notProcessed: number;
  processedMoreThanOnce: number;
  attemptsOtherThanOne: number;
  ordersUpdated: number;
  ordersWithWrongUpdatedAt: number;
  countsEqualTruth: boolean;
  countsAfter: unknown;
}

async function benchMode(mode: "scale" | "embedded"): Promise<{
  mode: string;
  phases: PhaseResult[];
  verification: Verification;
  settings: Record<string, unknown>;
}> {
  const tag = randomBytes(4).toString("hex");
  const shop = `bench-${tag}.myshopify.com`;
  const secret = `bench-secret-${tag}`;
  const dataDir = mkdtempSync(join(tmpdir(), `holiday-webhooks-bench-${mode}-`));
  let databaseUrl: string | undefined;
  let target: DatabaseTarget | undefined;
  if (mode === "scale") {
    target = await postgresTarget(PG_BASE);
    databaseUrl = target.databaseUrl;
    process.env.REDIS_URL = REDIS_URL;
  } else {
    delete process.env.REDIS_URL;
  }
  let appLog: string[] = [];
  let demo: Demo | undefined;
  let worker: ChildProcess | undefined;
  let redisPrefix: string | undefined;
  const separateWorker = mode === "scale" && WORKER !== "inprocess";
  const appJobConcurrency = process.env.JOB_CONCURRENCY;
  if (separateWorker) process.env.JOB_CONCURRENCY = "0";
  const sentIds = new Set<string>();
  const latestByOrder = new Map<string, number>();
  try {
    log(`${mode}: starting the app on a store of ${CUSTOMERS} customers`);
    // Profiling: e.g. BENCH_APP_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" (the app process only).
    const parentNodeOptions = process.env.NODE_OPTIONS;
    if (env.BENCH_APP_NODE_OPTIONS) process.env.NODE_OPTIONS = env.BENCH_APP_NODE_OPTIONS;
    demo = await startDemo({
      apiKey: `bench-key-${tag}`,
      apiSecret: secret,
      shop,
      customers: CUSTOMERS,
      seed: 7,
      dataDir,
      databaseUrl,
      install: true,
      log: (line) => {
        appLog.push(line);
        if (appLog.length > 200) appLog = appLog.slice(-100);
      },
    });
    if (parentNodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = parentNodeOptions;
    if (appJobConcurrency === undefined) delete process.env.JOB_CONCURRENCY;
    else process.env.JOB_CONCURRENCY = appJobConcurrency;
    const d = demo;
    if (mode === "scale") redisPrefix = redisPrefixOf(d.app.pid);
    const workerOptions = {
      apiKey: `bench-key-${tag}`,
      apiSecret: secret,
      databaseUrl: databaseUrl ?? "",
      dataDir,
      redisUrl: REDIS_URL,
      redisPrefix: redisPrefix ?? "",
      concurrency: WORKER_CONCURRENCY,
    };
    if (separateWorker) worker = spawnWorker(d, workerOptions); // the install's backfill needs one
    const installed = await waitForSync(d.appUrl, d.emulator, shop, { timeoutMs: 180_000 });
    if (installed.backfill?.status !== "completed")
      throw new Error(`backfill ${installed.backfill?.status}: ${installed.backfill?.error}`);
    const store = d.emulator.store(shop);
    log(
      `${mode}: backfill done (${installed.counts.customers} customers, ${installed.counts.orders} orders)`,
    );
    if (WORKER === "deferred") {
      await stopProcess(worker);
      worker = undefined;
    }
    const port = Number(new URL(d.appUrl).port);
    const payloads = new Payloads(store, shop, secret);

    const plans: Plan[] = [];
    const pacedRate = mode === "scale" ? RATE : EMBEDDED_RATE;
    if (pacedRate > 0 && WARMUP_SECONDS > 0)
      plans.push(plan("warmup", pacedRate, Math.round(pacedRate * WARMUP_SECONDS), payloads));
    if (pacedRate > 0) plans.push(plan("paced", pacedRate, Math.round(pacedRate * RATE_SECONDS), payloads));
    plans.push(plan("full", 0, mode === "scale" ? SCALE_REQUESTS : EMBEDDED_REQUESTS, payloads));

    const phases: PhaseResult[] = [];
    for (const p of plans) {
      for (const r of p.requests) {
        sentIds.add(r.webhookId);
        latestByOrder.set(r.orderId, Math.max(latestByOrder.get(r.orderId) ?? 0, r.updatedAtMs));
      }
      const before = await syncStatus(d.appUrl, d.emulator, shop);
      const appCpu0 = cpuSecondsOf(d.app.pid);
      const benchCpu0 = process.cpuUsage();
      log(
        `${mode}/${p.name}: sending ${p.requests.length} requests (${p.unique} unique) ${p.rate ? `at ${p.rate}/s` : "at full speed"} over ${CONNECTIONS} connections`,
      );
      const sent = await sendLoad(p.requests, {
        port,
        path: "/webhooks/orders",
        connections: CONNECTIONS,
        rate: p.rate,
        sendTimeoutMs: SEND_TIMEOUT_MS,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
      });
      const benchCpu = process.cpuUsage(benchCpu0);
      const appCpuSend = cpuSecondsOf(d.app.pid) - appCpu0;
      let drainFromMs = sent.firstSendMs;
      if (separateWorker && !worker) {
        drainFromMs = Date.now();
        worker = spawnWorker(d, workerOptions);
      }
      // Drain: every delivery of this phase processed (the app's own counts by status).
      let drainSeconds: number | null = null;
      const drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
      for (;;) {
        const now = await syncStatus(d.appUrl, d.emulator, shop);
        const w = now.webhooks;
        if (
          w.processed + w.failed - before.webhooks.processed - before.webhooks.failed >= p.unique &&
          w.received === 0
        ) {
          drainSeconds = (Date.now() - drainFromMs) / 1000;
          break;
        }
        if (Date.now() > drainDeadline) {
          log(`${mode}/${p.name}: queue not drained in time: ${JSON.stringify(w)}`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const sorted = sent.latencies.filter((ms) => !Number.isNaN(ms)).sort();
      const ok = sent.statuses.get(200) ?? 0;
      const total = [...sent.statuses.values()].reduce((a, b) => a + b, 0);
      const result: PhaseResult = {
        phase: `${mode}/${p.name}`,
        mode: p.name,
        targetRate: p.rate || null,
        connections: CONNECTIONS,
        requests: total,
        unique: p.unique,
        duplicates: p.requests.length - p.unique,
        bodyBytesMean: Math.round(p.requests.reduce((a, r) => a + r.body.byteLength, 0) / p.requests.length),
        sendSeconds: round(sent.seconds, 2),
        requestsPerSecond: Math.round(total / sent.seconds),
        latencyMs: {
          p50: round(percentile(sorted, 0.5), 2),
          p95: round(percentile(sorted, 0.95), 2),
          p99: round(percentile(sorted, 0.99), 2),
          max: round(sorted[sorted.length - 1] ?? NaN, 2),
          mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
        },
        ...(p.rate ? { p99BySecondMs: p99BySecond(sent.latencies, p.rate) } : {}),
        statuses: Object.fromEntries([...sent.statuses].map(([s, n]) => [s === 0 ? "error" : String(s), n])),
        non200: total - ok,
        errors: sent.statuses.get(0) ?? 0,
        drainSeconds: drainSeconds === null ? null : round(drainSeconds, 2),
        drainFrom: drainFromMs === sent.firstSendMs ? "first send" : "worker start",
        processedPerSecond: drainSeconds === null ? null : Math.round(p.unique / drainSeconds),
        appCpuSeconds: round(appCpuSend, 2),
        benchCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 2),
      };
      if (total !== p.requests.length)
        log(`${mode}/${p.name}: only ${total} of ${p.requests.length} sent before the time limit`);
      log(`${mode}/${p.name}: ${JSON.stringify(result)}`);
      phases.push(result);
      if (WORKER === "deferred") {
        await stopProcess(worker);
        worker = undefined;
      }
    }

    // The dashboard's counts: the updates changed only updated_at, so they still equal the truth.
    const after = await syncStatus(d.appUrl, d.emulator, shop);
    const truth = summarizeStore(store);
    const expectedCounts = {
      customers: truth.customers,
      orders: truth.orders,
      countedOrders: truth.countedOrders,
      buyers: truth.customersWithCountedOrders,
      revenueMinor: String(truth.countedRevenueMinor),
    };
    const countsEqualTruth = JSON.stringify(after.counts) === JSON.stringify(expectedCounts);

    // PGlite belongs to the app process: stop it before opening the files (harmless for PostgreSQL).
    await stopProcess(worker);
    worker = undefined;
    await d.stop();
    demo = undefined;
    const db = await createDatabase({ databaseUrl, dataDir });
    let verification: Verification;
    try {
      const deliveries = await db.prisma.$queryRawUnsafe<
        Array<{ id: string; status: string; attempts: number }>
      >(`SELECT id, status, attempts FROM "WebhookDelivery" WHERE shop = $1`, shop);
      const mine = deliveries.filter((row) => sentIds.has(row.id));
      const orders = await db.prisma.$queryRawUnsafe<Array<{ id: string; updated: Date }>>(
        `SELECT id::text AS id, "shopifyUpdatedAt" AS updated FROM "Order" WHERE shop = $1`,
        shop,
      );
      const stored = new Map(orders.map((o) => [o.id, o.updated.getTime()]));
      let wrong = 0;
      for (const [id, ms] of latestByOrder) if (stored.get(id) !== ms) wrong++;
      verification = {
        uniqueSent: sentIds.size,
        deliveryRows: mine.length,
        lost: sentIds.size - mine.length,
        notProcessed: mine.filter((row) => row.status !== "processed").length,
        processedMoreThanOnce: mine.filter((row) => row.attempts > 1).length,
        attemptsOtherThanOne: mine.filter((row) => row.attempts !== 1).length,
        ordersUpdated: latestByOrder.size,
        ordersWithWrongUpdatedAt: wrong,
        countsEqualTruth,
        countsAfter: after.counts,
      };
    } finally {
      await db.close();
    }
    log(`${mode}: verification ${JSON.stringify(verification)}`);
    return {
      mode,
      phases,
      verification,
      settings: {
        customers: CUSTOMERS,
        orders: store.orderCount,
        jobs: separateWorker
          ? `${WORKER} worker process, JOB_CONCURRENCY=${WORKER_CONCURRENCY}; app web-only`
          : `in the app process, JOB_CONCURRENCY=${WORKER_CONCURRENCY}`,
        queue:
          mode === "scale"
            ? `BullMQ on ${REDIS_URL} (this run's own prefix ${redisPrefix})`
            : "database queue (PGlite)",
        database:
          mode === "scale"
            ? `PostgreSQL, schema ${new URL(databaseUrl ?? PG_BASE).searchParams.get("schema")}`
            : "PGlite",
      },
    };
  } catch (error) {
    log(`${mode}: failed; last app lines:\n${appLog.slice(-30).join("\n")}`);
    throw error;
  } finally {
    await stopProcess(worker).catch(() => undefined);
    await demo?.stop().catch(() => undefined);
    if (appJobConcurrency === undefined) delete process.env.JOB_CONCURRENCY;
    else process.env.JOB_CONCURRENCY = appJobConcurrency;
    await target?.cleanup();
    if (redisPrefix) await obliterate(REDIS_URL, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------- main ----------

async function main(): Promise<void> {
  const started = Date.now();
  const results = [];
  for (const mode of MODES) {
    if (mode !== "scale" && mode !== "embedded") throw new Error(`unknown mode ${mode}`);
    results.push(await benchMode(mode));
  }
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model,
    memGb: round(totalmem() / 2 ** 30, 1),
    freeGb: round(freemem() / 2 ** 30, 1),
    node: process.version,
  };
  process.stdout.write(
    `${JSON.stringify({ date: new Date().toISOString(), machine, totalSeconds: Math.round((Date.now() - started) / 1000), results }, null, 2)}\n`,
  );
}

await main();
