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
// BENCH_RATE (1000), BENCH_RATE_SECONDS (5), BENCH_SCALE_REQUESTS (10000),
// BENCH_EMBEDDED_REQUESTS (3000), BENCH_SCALE_WORKER (inprocess | separate | deferred, see below),
// BENCH_APP_NODE_OPTIONS (e.g. --cpu-prof for the app process), BENCH_EMBEDDED_RATE (0 = no paced phase), BENCH_DUPLICATES (0.1),
// DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test), REDIS_URL (redis://127.0.0.1:6379).
// JOB_CONCURRENCY is passed through to the app (its default: 4).

import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { cpus, freemem, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { postgresTarget, type DatabaseTarget } from "../integration/helpers/db";
import { createDatabase } from "../../app/db.server";
import { readAppConfig } from "../../scripts/demo/app-config";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { syncStatus, waitForSync } from "../../scripts/demo/wait-for-sync";
import { API_VERSION, summarizeStore, type GeneratedStore } from "../emulator/index";
import { orderPayload } from "../emulator/webhook-payloads";

const env = process.env;
const MODES = (env.BENCH_MODES ?? "scale,embedded").split(",").map((m) => m.trim()).filter(Boolean);
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 2_000);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 16);
const RATE = Number(env.BENCH_RATE ?? 1_000);
const RATE_SECONDS = Number(env.BENCH_RATE_SECONDS ?? 5);
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

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

// ---------- requests ----------

interface Prepared {
  webhookId: string;
  orderId: string;
  updatedAtMs: number;
  body: Buffer;
  headers: http.OutgoingHttpHeaders;
}

interface Plan {
  name: "paced" | "full";
  rate: number; // 0 = as fast as possible
  requests: Prepared[]; // in send order, duplicates included
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
  make(): Prepared {
    const j = Math.floor(Math.random() * this.store.orderCount);
    let base = this.cache.get(j);
    if (!base) {
      const order = this.store.order(j);
      const c = this.store.timeline.orderCustomer[j] ?? -1;
      base = orderPayload(order, c >= 0 ? this.store.customer(c) : null);
      this.cache.set(j, base);
    }
    const updatedAtMs = this.baseMs + 1_000 * this.next++;
    const json = JSON.stringify({ ...base, updated_at: new Date(updatedAtMs).toISOString().replace(".000Z", "Z") });
    const body = Buffer.from(json, "utf8");
    const webhookId = randomUUID();
    return {
      webhookId,
      orderId: String(base.id),
      updatedAtMs,
      body,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": String(body.byteLength),
        "User-Agent": "Shopify-Captain-Hook",
        "X-Shopify-Topic": "orders/updated",
        "X-Shopify-Hmac-Sha256": createHmac("sha256", this.secret).update(body).digest("base64"),
        "X-Shopify-Shop-Domain": this.shop,
        "X-Shopify-API-Version": API_VERSION,
        "X-Shopify-Webhook-Id": webhookId,
        "X-Shopify-Triggered-At": new Date().toISOString(),
        "X-Shopify-Event-Id": randomUUID(),
      },
    };
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
  mode: "paced" | "full";
  targetRate: number | null;
  connections: number;
  requests: number;
  unique: number;
  duplicates: number;
  bodyBytesMean: number;
  sendSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  statuses: Record<string, number>;
  non200: number;
  errors: number;
  drainSeconds: number | null;
  drainFrom: "first send" | "worker start";
  processedPerSecond: number | null;
  appCpuSeconds: number;
  benchCpuSeconds: number;
}

/** A job-only process (`scripts/worker.ts`) on the same PostgreSQL schema and Redis as the app. */
function spawnWorker(demo: Demo, o: { apiKey: string; apiSecret: string; databaseUrl: string; dataDir: string; redisPrefix: string }): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "development",
      SHOPIFY_API_KEY: o.apiKey,
      SHOPIFY_API_SECRET: o.apiSecret,
      SHOPIFY_APP_URL: demo.appUrl,
      SCOPES: readAppConfig().scopes,
      SHOPIFY_EMULATOR_URL: demo.emulator.url,
      DATA_DIR: o.dataDir,
      DATABASE_URL: o.databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: o.redisPrefix,
      JOB_CONCURRENCY: WORKER_CONCURRENCY,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const forward = (chunk: Buffer) => process.stderr.write(`[worker] ${chunk.toString()}`);
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  child.once("exit", (code, signal) => log(`worker exited (${signal ?? code})`));
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

function sendOne(agent: http.Agent, port: number, p: Prepared, t0: number | null): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    let start = t0 ?? performance.now();
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      resolve({ status, ms: performance.now() - start });
    };
    const req = http.request(
      { host: "127.0.0.1", port, path: "/webhooks/orders", method: "POST", agent, headers: p.headers, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode ?? 0));
        res.on("error", () => done(0));
      },
    );
    // Closed loop: time from the moment a connection takes the request.
    if (t0 === null) req.on("socket", () => (start = performance.now()));
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => done(0));
    req.end(p.body);
  });
}

async function run(plan: Plan, port: number): Promise<{ latencies: Float64Array; statuses: Map<number, number>; seconds: number; firstSendMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
  const latencies = new Float64Array(plan.requests.length).fill(NaN);
  const statuses = new Map<number, number>();
  const deadline = Date.now() + SEND_TIMEOUT_MS;
  const record = (i: number, r: { status: number; ms: number }) => {
    latencies[i] = r.ms;
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  };
  const firstSendMs = Date.now();
  const started = performance.now();
  if (plan.rate > 0) {
    // Open loop: request i is due at started + i / rate; the agent queues it when all connections are busy.
    const pending: Promise<void>[] = [];
    let i = 0;
    while (i < plan.requests.length && Date.now() < deadline) {
      const now = performance.now();
      while (i < plan.requests.length && started + (i * 1000) / plan.rate <= now) {
        const index = i++;
        const due = started + (index * 1000) / plan.rate;
        const request = plan.requests[index];
        if (request) pending.push(sendOne(agent, port, request, due).then((r) => record(index, r)));
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(pending);
  } else {
    let next = 0;
    const worker = async () => {
      while (next < plan.requests.length && Date.now() < deadline) {
        const index = next++;
        const request = plan.requests[index];
        if (request) record(index, await sendOne(agent, port, request, null));
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, statuses, seconds, firstSendMs };
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** startDemo gives each app its own BullMQ prefix (REDIS_PREFIX); read it from the process's environment. */
function redisPrefixOf(pid: number | undefined): string {
  const entry = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").find((e) => e.startsWith("REDIS_PREFIX="));
  if (!entry) throw new Error("the app process has no REDIS_PREFIX");
  return entry.slice("REDIS_PREFIX=".length);
}

/** user + system CPU seconds of a process, from /proc (Linux). */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return NaN;
  }
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

async function benchMode(mode: "scale" | "embedded"): Promise<{ mode: string; phases: PhaseResult[]; verification: Verification; settings: Record<string, unknown> }> {
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
    const workerOptions = { apiKey: `bench-key-${tag}`, apiSecret: secret, databaseUrl: databaseUrl ?? "", dataDir, redisPrefix: redisPrefix ?? "" };
    if (separateWorker) worker = spawnWorker(d, workerOptions); // the install's backfill needs one
    const installed = await waitForSync(d.appUrl, d.emulator, shop, { timeoutMs: 180_000 });
    if (installed.backfill?.status !== "completed") throw new Error(`backfill ${installed.backfill?.status}: ${installed.backfill?.error}`);
    const store = d.emulator.store(shop);
    log(`${mode}: backfill done (${installed.counts.customers} customers, ${installed.counts.orders} orders)`);
    if (WORKER === "deferred") {
      await stopProcess(worker);
      worker = undefined;
    }
    const port = Number(new URL(d.appUrl).port);
    const payloads = new Payloads(store, shop, secret);

    const plans: Plan[] = [];
    const pacedRate = mode === "scale" ? RATE : EMBEDDED_RATE;
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
      log(`${mode}/${p.name}: sending ${p.requests.length} requests (${p.unique} unique) ${p.rate ? `at ${p.rate}/s` : "at full speed"} over ${CONNECTIONS} connections`);
      const sent = await run(p, port);
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
        if (w.processed + w.failed - before.webhooks.processed - before.webhooks.failed >= p.unique && w.received === 0) {
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
        statuses: Object.fromEntries([...sent.statuses].map(([s, n]) => [s === 0 ? "error" : String(s), n])),
        non200: total - ok,
        errors: sent.statuses.get(0) ?? 0,
        drainSeconds: drainSeconds === null ? null : round(drainSeconds, 2),
        drainFrom: drainFromMs === sent.firstSendMs ? "first send" : "worker start",
        processedPerSecond: drainSeconds === null ? null : Math.round(p.unique / drainSeconds),
        appCpuSeconds: round(appCpuSend, 2),
        benchCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 2),
      };
      if (total !== p.requests.length) log(`${mode}/${p.name}: only ${total} of ${p.requests.length} sent before the time limit`);
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
      const deliveries = await db.prisma.$queryRawUnsafe<Array<{ id: string; status: string; attempts: number }>>(
        `SELECT id, status, attempts FROM "WebhookDelivery" WHERE shop = $1`,
        shop,
      );
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
        jobs: separateWorker ? `${WORKER} worker process, JOB_CONCURRENCY=${WORKER_CONCURRENCY}; app web-only` : `in the app process, JOB_CONCURRENCY=${WORKER_CONCURRENCY}`,
        queue: mode === "scale" ? `BullMQ on ${REDIS_URL} (this run's own prefix ${redisPrefix})` : "database queue (PGlite)",
        database: mode === "scale" ? `PostgreSQL, schema ${new URL(databaseUrl ?? PG_BASE).searchParams.get("schema")}` : "PGlite",
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
    if (redisPrefix) await obliterate(redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Deletes this run's BullMQ queue: the prefix is this demo's own, nothing shared is touched. */
async function obliterate(prefix: string): Promise<void> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("jobs", { connection, prefix });
  try {
    await queue.obliterate({ force: true });
  } catch (error) {
    log(`could not remove this run's queue ${prefix} from Redis: ${String(error)}`);
  } finally {
    await queue.close();
    connection.disconnect();
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
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), machine, totalSeconds: Math.round((Date.now() - started) / 1000), results }, null, 2)}\n`);
}

await main();
