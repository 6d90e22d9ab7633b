// The webhook benchmarks' load generator and process helpers (webhooks.bench.ts, freshness.bench.ts).

import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
export { cpuSecondsOf } from "./cpu";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { readAppConfig } from "../../scripts/demo/app-config";
import type { Demo } from "../../scripts/demo/start-demo";
import { API_VERSION } from "../emulator/index";

export const log = (line: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

export interface Prepared {
  webhookId: string;
  body: Buffer;
  headers: http.OutgoingHttpHeaders;
}

/** A delivery signed like Shopify signs it. */
export function signedDelivery(args: {
  shop: string;
  secret: string;
  topic: string;
  payload: unknown;
}): Prepared {
  const body = Buffer.from(JSON.stringify(args.payload), "utf8");
  const webhookId = randomUUID();
  return {
    webhookId,
    body,
    headers: {
      "Content-Type": "application/json",
      "Content-Length": String(body.byteLength),
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": args.topic,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", args.secret).update(body).digest("base64"),
      "X-Shopify-Shop-Domain": args.shop,
      "X-Shopify-API-Version": API_VERSION,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Event-Id": randomUUID(),
    },
  };
}

export interface LoadOptions {
  port: number;
  path: string;
  connections: number;
  /** Requests per second (open loop, latency from each request's scheduled time); 0 = closed loop. */
  rate: number;
  sendTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface LoadResult {
  latencies: Float64Array;
  statuses: Map<number, number>;
  seconds: number;
  firstSendMs: number;
  /** Wall-clock time each request was answered (NaN if never). */
  answeredAtMs: Float64Array;
}

function sendOne(
  agent: http.Agent,
  o: LoadOptions,
  p: Prepared,
  t0: number | null,
): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    let start = t0 ?? performance.now();
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      resolve({ status, ms: performance.now() - start });
    };
    const req = http.request(
      {
        host: "127.0.0.1",
        port: o.port,
        path: o.path,
        method: "POST",
        agent,
        headers: p.headers,
        timeout: o.requestTimeoutMs,
      },
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

/** Sends `requests` in order over a bounded number of keep-alive connections. */
export async function sendLoad(requests: readonly Prepared[], o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections, maxFreeSockets: o.connections });
  const latencies = new Float64Array(requests.length).fill(NaN);
  const answeredAtMs = new Float64Array(requests.length).fill(NaN);
  const statuses = new Map<number, number>();
  const deadline = Date.now() + o.sendTimeoutMs;
  const record = (i: number, r: { status: number; ms: number }) => {
    latencies[i] = r.ms;
    answeredAtMs[i] = Date.now();
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  };
  const firstSendMs = Date.now();
  const started = performance.now();
  if (o.rate > 0) {
    // Open loop: request i is due at started + i / rate; the agent queues it when all connections are busy.
    const pending: Promise<void>[] = [];
    let i = 0;
    while (i < requests.length && Date.now() < deadline) {
      const now = performance.now();
      while (i < requests.length && started + (i * 1000) / o.rate <= now) {
        const index = i++;
        const request = requests[index];
        if (request)
          pending.push(
            sendOne(agent, o, request, started + (index * 1000) / o.rate).then((r) => record(index, r)),
          );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(pending);
  } else {
    let next = 0;
    const worker = async () => {
      while (next < requests.length && Date.now() < deadline) {
        const index = next++;
        const request = requests[index];
        if (request) record(index, await sendOne(agent, o, request, null));
      }
    };
    await Promise.all(Array.from({ length: o.connections }, worker));
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, statuses, seconds, firstSendMs, answeredAtMs };
}

export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export function summarize(values: ArrayLike<number>) {
  const sorted = Float64Array.from(Array.from(values).filter((v) => !Number.isNaN(v))).sort();
  return {
    p50: round(percentile(sorted, 0.5), 2),
    p95: round(percentile(sorted, 0.95), 2),
    p99: round(percentile(sorted, 0.99), 2),
    max: round(sorted[sorted.length - 1] ?? NaN, 2),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
  };
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** startDemo gives each app its own BullMQ prefix (REDIS_PREFIX); read it from the process's environment. */
export function redisPrefixOf(pid: number | undefined): string {
  const entry = readFileSync(`/proc/${pid}/environ`, "utf8")
    .split("\0")
    .find((e) => e.startsWith("REDIS_PREFIX="));
  if (!entry) throw new Error("the app process has no REDIS_PREFIX");
  return entry.slice("REDIS_PREFIX=".length);
}

/** Deletes a run's BullMQ queue: the prefix is that demo's own, nothing shared is touched. */
export async function obliterate(redisUrl: string, prefix: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
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

export interface WorkerOptions {
  apiKey: string;
  apiSecret: string;
  databaseUrl: string;
  dataDir: string;
  redisUrl: string;
  redisPrefix: string;
  concurrency: string;
}

/** A job-only process (`scripts/worker.ts`) on the same PostgreSQL schema and Redis as the app. */
export function spawnWorker(demo: Demo, o: WorkerOptions): ChildProcess {
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
      REDIS_URL: o.redisUrl,
      REDIS_PREFIX: o.redisPrefix,
      JOB_CONCURRENCY: o.concurrency,
      // e.g. BENCH_WORKER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the worker
      NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const forward = (chunk: Buffer) => process.stderr.write(`[worker] ${chunk.toString()}`);
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  child.once("exit", (code, signal) => log(`worker exited (${signal ?? code})`));
  return child;
}
