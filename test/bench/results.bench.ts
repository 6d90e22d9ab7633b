// Results benchmark (not part of `npm test`): `npm run bench:results`.
//
// Two parts, each in both modes — scale (PostgreSQL in a fresh schema; the app also gets Redis) and
// embedded (PGlite in a temp dir):
//
// 1. Event ingestion. The real app process (`startDemo`, a small generated store, installed and
//    backfilled) answers the open pixels (`GET /t/o/<token>.gif`) and tracked links
//    (`GET /t/c/<token>`, 302 to the stored destination) of BENCH_MESSAGES sent emails seeded into
//    its database with their TrackedLinks (PostgreSQL: written beside the running app, the database
//    is shared; PGlite: the app owns the files, so they are written while the app is stopped, by
//    `restartApp`'s hook, as test/integration/app-sessions.test.ts does). Tokens are signed with the
//    app's tracking secret, derived here as app/secrets.server.ts derives it. Load: an open loop at
//    BENCH_RATE requests/s for BENCH_SECONDS (after BENCH_WARMUP_SECONDS at the same rate, reported
//    apart), 70% opens / 30% clicks, browser user agents, BENCH_REPEATS of the requests an exact
//    repeat of an earlier token of the phase, over BENCH_CONNECTIONS keep-alive connections; latency
//    from each request's scheduled time. Checks: every answer right (200 GIF / 302 to the link's
//    stored URL), and the MessageEvent rows hold exactly the requests sent: per kind, and per row
//    (message, kind, link) with repeats counted on the same row, none flagged a machine.
//
// 2. A 1,000,000-recipient report. A fresh database seeded with bulk SQL (generate_series and an
//    integer hash, replicated below in TypeScript so every expected figure is known): a campaign
//    with BENCH_RECIPIENTS outbox rows (90% sent over 3 days, email 80% / SMS 20%, 4 segments; 10%
//    holdout), its customers, MessageEvents (opens ~30% of emails with machine ones, clicks ~5%,
//    bounces 1%, SMS delivery reports, unsubscribes), orders of ~4% of treated and ~3% of holdout
//    customers within their window and others outside it, OrderAttributions for half the treated
//    orders. Then the app's own `maintainTables` (VACUUM ANALYZE of the grown tables, as the worker
//    does every minute when no autovacuum runs), and `loadSourceResults` timed: a first run, then
//    the median of BENCH_REPORT_RUNS; its totals are checked against the generator's.
//
// Prints JSON on stdout (progress on stderr).
//
// Env: BENCH_MODES (scale,embedded), BENCH_PARTS (ingestion,report), BENCH_CUSTOMERS (200),
// BENCH_MESSAGES (20000), BENCH_RATE (1000), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3),
// BENCH_CONNECTIONS (32), BENCH_REPEATS (0.05), BENCH_CLICKS (0.3), BENCH_RECIPIENTS (1000000),
// BENCH_REPORT_RUNS (3), BENCH_REPORT_MODES (the modes of part 2; default BENCH_MODES),
// BENCH_APP_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, the app process only),
// BENCH_APP_LOG (a file to append the app's output to), BENCH_KEEP=1 (keep part 2's database and print where it is, to EXPLAIN its queries),
// DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test), REDIS_URL (redis://127.0.0.1:6379).

import { hkdfSync, randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { PrismaClient } from "@prisma/client";
import { Redis } from "ioredis";
import { DEFAULT_ATTRIBUTION_WINDOWS } from "../../app/campaigns/settings/attribution-windows";
import { createDatabase } from "../../app/db.server";
import { maintainTables } from "../../app/db/maintain-tables.server";
import type { MessageEventKind } from "../../app/messaging/delivery-events/message-events.server";
import {
  createClickToken,
  createOpenToken,
  linkIdFor,
} from "../../app/messaging/tracking/tracking-token.server";
import { armRows, buyerRows, dailyRows, funnelRows } from "../../app/results/report/results-queries.server";
import {
  findResultsSource,
  loadSourceResults,
  type SourceResults,
} from "../../app/results/report/source-results.server";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { waitForSync } from "../../scripts/demo/wait-for-sync";
import { pgliteTarget, postgresTarget, type DatabaseTarget } from "../integration/helpers/db";
import { seedCampaign, seedCustomers } from "../support/outbox-factory";
import { messageId, seedMessages, type MessageFixture } from "../support/results-factory";
import { cpuSecondsOf, log, obliterate, percentile, redisPrefixOf, round, summarize } from "./webhook-load";

type Mode = "scale" | "embedded";

const env = process.env;
const list = (value: string) =>
  value
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
const MODES = list(env.BENCH_MODES ?? "scale,embedded") as Mode[];
const REPORT_MODES = list(env.BENCH_REPORT_MODES ?? MODES.join(",")) as Mode[];
const PARTS = new Set(list(env.BENCH_PARTS ?? "ingestion,report"));
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 200);
const MESSAGES = Number(env.BENCH_MESSAGES ?? 20_000);
const RATE = Number(env.BENCH_RATE ?? 1_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const REPEATS = Number(env.BENCH_REPEATS ?? 0.05);
const CLICKS = Number(env.BENCH_CLICKS ?? 0.3);
const RECIPIENTS = Number(env.BENCH_RECIPIENTS ?? 1_000_000);
const REPORT_RUNS = Number(env.BENCH_REPORT_RUNS ?? 3);
const KEEP = env.BENCH_KEEP === "1";
const PG_BASE = env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const REDIS_URL = env.REDIS_URL || "redis://127.0.0.1:6379";
const REQUEST_TIMEOUT_MS = 10_000;
const TARGET_P99_MS = 50;
const TARGET_REPORT_MS = 10_000;
const CAMPAIGN = "c_bench_results";

// ---------- part 1: event ingestion ----------

/** The app's tracking secret: app/secrets.server.ts `getTrackingSecret()` for the app's environment. */
const trackingSecretOf = (apiSecret: string) =>
  Buffer.from(
    hkdfSync("sha256", env.UNSUBSCRIBE_SECRET ?? apiSecret, "holiday-segments", "tracking-links", 32),
  );

const BROWSERS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
];

/** mulberry32: the same requests every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(n: number, random: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j] ?? 0, a[i] ?? 0];
  }
  return a;
}

interface Hit {
  path: string;
  kind: Extract<MessageEventKind, "opened" | "clicked">;
  outboxId: string;
  linkId: string | null;
  /** clicks: the stored destination the 302 must name */
  location: string | null;
  userAgent: string;
  repeat: boolean;
}

interface Seeded {
  ids: string[];
  links: string[];
}

/** Fresh tokens in a shuffled order of messages (cycling if a run asks for more than there are). */
class Hits {
  private readonly random = rng(20261206);
  private readonly openOrder: number[];
  private readonly clickOrder: number[];
  private nextOpen = 0;
  private nextClick = 0;
  constructor(
    private readonly seeded: Seeded,
    private readonly secret: Buffer,
  ) {
    this.openOrder = shuffled(seeded.ids.length, this.random);
    this.clickOrder = shuffled(seeded.ids.length, this.random);
  }

  private browser(): string {
    return BROWSERS[Math.floor(this.random() * BROWSERS.length)] ?? BROWSERS[0] ?? "";
  }

  private fresh(): Hit {
    const { ids, links } = this.seeded;
    if (this.random() >= CLICKS) {
      const outboxId = ids[this.openOrder[this.nextOpen++ % ids.length] ?? 0] ?? "";
      return {
        path: `/t/o/${createOpenToken(outboxId, this.secret)}.gif`,
        kind: "opened",
        outboxId,
        linkId: null,
        location: null,
        userAgent: this.browser(),
        repeat: false,
      };
    }
    const outboxId = ids[this.clickOrder[this.nextClick++ % ids.length] ?? 0] ?? "";
    const url = links[Math.floor(this.random() * links.length)] ?? "";
    const linkId = linkIdFor(url);
    return {
      path: `/t/c/${createClickToken({ outboxId, linkId }, this.secret)}`,
      kind: "clicked",
      outboxId,
      linkId,
      location: url,
      userAgent: this.browser(),
      repeat: false,
    };
  }

  /** One phase's requests: a share REPEATS of them repeat an earlier request of the phase exactly. */
  phase(count: number): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < count; i++) {
      const earlier =
        hits.length > 0 && this.random() < REPEATS
          ? hits[Math.floor(this.random() * hits.length)]
          : undefined;
      hits.push(earlier ? { ...earlier, repeat: true } : this.fresh());
    }
    return hits;
  }
}

/** N sent emails (sentAt a minute ago) of a finished campaign, their customers, and the campaign's links. */
async function seedEngagement(prisma: PrismaClient, shop: string): Promise<Seeded> {
  await seedCampaign(prisma, { shop, id: CAMPAIGN, status: "completed", channels: ["email"] });
  await seedCustomers(prisma, shop, 1, MESSAGES);
  const sentAt = new Date(Date.now() - 60_000);
  const ids: string[] = [];
  for (let from = 1; from <= MESSAGES; from += 2_000) {
    const batch: MessageFixture[] = [];
    for (let n = from; n < Math.min(from + 2_000, MESSAGES + 1); n++) {
      const id = messageId(`bench-${n}`);
      ids.push(id);
      batch.push({ id, campaignId: CAMPAIGN, customerId: n, channel: "email", sendAt: sentAt, sentAt });
    }
    await seedMessages(prisma, shop, batch);
  }
  const links = ["products/wool-scarf", "collections/cyber-week", "pages/gift-guide"].map(
    (page) =>
      `https://bench-store.example/${page}?utm_source=holiday-segments&utm_medium=email&utm_campaign=${CAMPAIGN}&utm_content=launch`,
  );
  await prisma.trackedLink.createMany({ data: links.map((url) => ({ shop, id: linkIdFor(url), url })) });
  return { ids, links };
}

interface Answer {
  status: number;
  location: string | null;
  contentType: string | null;
}

interface Sent {
  latencies: Float64Array;
  answers: Array<Answer | undefined>;
  seconds: number;
}

/** Open loop: request i is due at start + i / rate; latency from that time (queueing in the client counts). */
async function sendHits(hits: readonly Hit[], port: number): Promise<Sent> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
  const latencies = new Float64Array(hits.length).fill(NaN);
  const answers: Array<Answer | undefined> = new Array(hits.length);
  const one = (hit: Hit, index: number, due: number) =>
    new Promise<void>((resolve) => {
      let settled = false;
      const done = (answer: Answer) => {
        if (settled) return;
        settled = true;
        latencies[index] = performance.now() - due;
        answers[index] = answer;
        resolve();
      };
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path: hit.path,
          method: "GET",
          agent,
          headers: { "User-Agent": hit.userAgent, Accept: "*/*" },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          res.resume();
          const answer = {
            status: res.statusCode ?? 0,
            location: res.headers.location ?? null,
            contentType: res.headers["content-type"] ?? null,
          };
          res.on("end", () => done(answer));
          res.on("error", () => done({ ...answer, status: 0 }));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => done({ status: 0, location: null, contentType: null }));
      req.end();
    });
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let i = 0;
  while (i < hits.length) {
    const now = performance.now();
    while (i < hits.length && started + (i * 1000) / RATE <= now) {
      const hit = hits[i];
      if (hit) pending.push(one(hit, i, started + (i * 1000) / RATE));
      i++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, answers, seconds };
}

const answeredRight = (hit: Hit, a: Answer | undefined) =>
  hit.kind === "opened"
    ? a?.status === 200 && a.contentType === "image/gif"
    : a?.status === 302 && a.location === hit.location;

function phaseSummary(name: string, hits: readonly Hit[], sent: Sent, appCpuSeconds: number) {
  const statuses = new Map<string, number>();
  for (const a of sent.answers) {
    const key = a === undefined || a.status === 0 ? "error" : String(a.status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const bySecond: number[][] = [];
  sent.latencies.forEach((ms, i) => {
    if (!Number.isNaN(ms)) (bySecond[Math.floor(i / RATE)] ??= []).push(ms);
  });
  return {
    phase: name,
    targetRate: RATE,
    connections: CONNECTIONS,
    requests: hits.length,
    opens: hits.filter((h) => h.kind === "opened").length,
    clicks: hits.filter((h) => h.kind === "clicked").length,
    repeats: hits.filter((h) => h.repeat).length,
    sendSeconds: round(sent.seconds, 2),
    achievedPerSecond: Math.round(hits.length / sent.seconds),
    latencyMs: summarize(sent.latencies),
    p99BySecondMs: bySecond.map((values) => round(percentile(Float64Array.from(values).sort(), 0.99), 1)),
    statuses: Object.fromEntries(statuses),
    wrongAnswers: hits.filter((hit, i) => !answeredRight(hit, sent.answers[i])).length,
    appCpuSeconds: round(appCpuSeconds, 2),
    appCpuMsPerRequest: round((appCpuSeconds * 1000) / hits.length, 3),
  };
}

interface EventRow {
  outboxId: string;
  kind: string;
  linkId: string | null;
  machine: boolean;
  count: number;
}

/** Stored events against the requests sent: per kind, and row by row. */
async function verifyEvents(prisma: PrismaClient, shop: string, hits: readonly Hit[]) {
  const rows = await prisma.$queryRaw<EventRow[]>`
    SELECT "outboxId", "kind", "linkId", "machine", "count" FROM "MessageEvent"
    WHERE "shop" = ${shop} AND "campaignId" = ${CAMPAIGN}`;
  const key = (r: { outboxId: string; kind: string; linkId: string | null }) =>
    `${r.outboxId}|${r.kind}|${r.linkId ?? ""}`;
  const expected = new Map<string, number>();
  for (const h of hits) expected.set(key(h), (expected.get(key(h)) ?? 0) + 1);
  const stored = new Map<string, number>();
  for (const r of rows) stored.set(key(r), (stored.get(key(r)) ?? 0) + r.count);
  let rowsWrong = 0;
  for (const [k, n] of expected) if (stored.get(k) !== n) rowsWrong++;
  for (const k of stored.keys()) if (!expected.has(k)) rowsWrong++;
  const sum = (kind: string, from: Iterable<[string, number]>) =>
    [...from].filter(([k]) => k.split("|")[1] === kind).reduce((s, [, n]) => s + n, 0);
  const sent = { opened: sum("opened", expected), clicked: sum("clicked", expected) };
  const recorded = { opened: sum("opened", stored), clicked: sum("clicked", stored) };
  return {
    requestsSent: sent,
    eventCountsStored: recorded,
    lost: { opened: sent.opened - recorded.opened, clicked: sent.clicked - recorded.clicked },
    eventRows: rows.length,
    expectedRows: expected.size,
    rowsWithWrongCount: rowsWrong,
    machineRows: rows.filter((r) => r.machine).length,
    ok: rowsWrong === 0 && recorded.opened === sent.opened && recorded.clicked === sent.clicked,
  };
}

async function withDatabase<T>(
  options: { databaseUrl?: string; dataDir?: string },
  work: (prisma: PrismaClient) => Promise<T>,
): Promise<T> {
  const db = await createDatabase(options);
  try {
    return await work(db.prisma);
  } finally {
    await db.close();
  }
}

/**
 * Deletes this run's queues from Redis: "jobs" (obliterated as the other benches do) and the
 * lanes' ("jobs-messages", "jobs-shopify"), whose keys obliterate leaves. The prefix is this
 * demo's own (startDemo), so nothing shared is touched.
 */
async function removeQueues(prefix: string): Promise<void> {
  await obliterate(REDIS_URL, prefix);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function ingestion(mode: Mode) {
  const tag = randomBytes(4).toString("hex");
  const shop = `bench-results-${tag}.myshopify.com`;
  const apiSecret = `bench-results-secret-${tag}`;
  const dataDir = mkdtempSync(join(tmpdir(), `holiday-results-bench-${mode}-`));
  const target = mode === "scale" ? await postgresTarget(PG_BASE) : undefined;
  const databaseUrl = target?.databaseUrl;
  const redisBefore = process.env.REDIS_URL;
  if (mode === "scale") process.env.REDIS_URL = REDIS_URL;
  else delete process.env.REDIS_URL;
  let appLog: string[] = [];
  let demo: Demo | undefined;
  let redisPrefix: string | undefined;
  try {
    log(`ingestion/${mode}: starting the app on a store of ${CUSTOMERS} customers`);
    const parentNodeOptions = process.env.NODE_OPTIONS;
    if (env.BENCH_APP_NODE_OPTIONS) process.env.NODE_OPTIONS = env.BENCH_APP_NODE_OPTIONS;
    try {
      demo = await startDemo({
        apiKey: `bench-results-key-${tag}`,
        apiSecret,
        shop,
        customers: CUSTOMERS,
        seed: 7,
        dataDir,
        databaseUrl,
        install: true,
        log: (line) => {
          appLog.push(line);
          if (appLog.length > 200) appLog = appLog.slice(-100);
          if (env.BENCH_APP_LOG) appendFileSync(env.BENCH_APP_LOG, `${line}\n`);
        },
      });
    } finally {
      if (parentNodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = parentNodeOptions;
    }
    const d = demo;
    if (mode === "scale") redisPrefix = redisPrefixOf(d.app.pid);
    const synced = await waitForSync(d.appUrl, d.emulator, shop, { timeoutMs: 180_000 });
    if (synced.backfill?.status !== "completed")
      throw new Error(`backfill ${synced.backfill?.status}: ${synced.backfill?.error}`);
    log(`ingestion/${mode}: backfill done; seeding ${MESSAGES} sent messages`);

    // PostgreSQL is shared: write beside the running app. PGlite's files are the app's: write them
    // while it is stopped (its own restart hook), then it starts again on them.
    const seedStarted = performance.now();
    let seeded: Seeded | undefined;
    if (mode === "scale") {
      seeded = await withDatabase({ databaseUrl }, (prisma) => seedEngagement(prisma, shop));
    } else {
      const parentNodeOptions = process.env.NODE_OPTIONS;
      if (env.BENCH_APP_NODE_OPTIONS) process.env.NODE_OPTIONS = env.BENCH_APP_NODE_OPTIONS;
      try {
        await d.restartApp("SIGTERM", async () => {
          seeded = await withDatabase({ dataDir }, (prisma) => seedEngagement(prisma, shop));
        });
      } finally {
        if (parentNodeOptions === undefined) delete process.env.NODE_OPTIONS;
        else process.env.NODE_OPTIONS = parentNodeOptions;
      }
    }
    if (!seeded) throw new Error("nothing seeded");
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const hits = new Hits(seeded, trackingSecretOf(apiSecret));
    const port = Number(new URL(d.appUrl).port);
    const phases = [];
    const allHits: Hit[] = [];
    for (const [name, seconds] of [
      ["warmup", WARMUP_SECONDS],
      ["paced", SECONDS],
    ] as const) {
      if (seconds <= 0) continue;
      const planned = hits.phase(Math.round(RATE * seconds));
      allHits.push(...planned);
      log(
        `ingestion/${mode}/${name}: ${planned.length} requests at ${RATE}/s over ${CONNECTIONS} connections`,
      );
      const cpu0 = cpuSecondsOf(d.app.pid);
      const sent = await sendHits(planned, port);
      const summary = phaseSummary(`${mode}/${name}`, planned, sent, cpuSecondsOf(d.app.pid) - cpu0);
      log(`ingestion/${mode}/${name}: ${JSON.stringify(summary)}`);
      phases.push(summary);
    }

    // Every request was answered before this: the events are already stored (recorded before the answer).
    let verification;
    if (mode === "scale") {
      verification = await withDatabase({ databaseUrl }, (prisma) => verifyEvents(prisma, shop, allHits));
      await d.stop();
    } else {
      await d.stop();
      verification = await withDatabase({ dataDir }, (prisma) => verifyEvents(prisma, shop, allHits));
    }
    demo = undefined;
    log(`ingestion/${mode}: verification ${JSON.stringify(verification)}`);
    const paced = phases.find((p) => p.phase.endsWith("/paced"));
    return {
      mode,
      database:
        mode === "scale"
          ? "PostgreSQL (fresh schema), BullMQ on Redis"
          : "PGlite in a temp dir, database queue",
      store: { customers: CUSTOMERS, orders: synced.counts.orders },
      seeded: {
        messages: seeded.ids.length,
        links: seeded.links.length,
        seconds: round(seedSeconds, 1),
        how:
          mode === "scale"
            ? "bulk SQL beside the running app (shared PostgreSQL)"
            : "bulk SQL into the app's PGlite files while the app was stopped (restartApp hook), then the app started again",
      },
      phases,
      verification,
      target: {
        p99Ms: TARGET_P99_MS,
        met:
          paced !== undefined &&
          paced.latencyMs.p99 <= TARGET_P99_MS &&
          paced.wrongAnswers === 0 &&
          verification.ok,
      },
    };
  } catch (error) {
    log(`ingestion/${mode}: failed; last app lines:\n${appLog.slice(-30).join("\n")}`);
    throw error;
  } finally {
    await demo?.stop().catch(() => undefined);
    if (redisBefore === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = redisBefore;
    if (redisPrefix) await removeQueues(redisPrefix);
    await target?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------- part 2: a million-recipient report ----------

// The generator's integer hash, the same in SQL (bigint arithmetic, exact) and here (32-bit).
const mixSql = (x: string) => `(((((${x}) >> 16) # (${x})) * 73244475) & 4294967295)`;
const hashSql = (n: string, k: number) => {
  const x = mixSql(mixSql(`((${n}) * 2654435761 + ${k} * 40503) & 4294967295`));
  return `((((${x}) >> 16) # (${x})))`;
};
function hash(n: number, k: number): number {
  let x = (Math.imul(n, 0x9e3779b1) + k * 40503) >>> 0;
  x = Math.imul((x >>> 16) ^ x, 0x45d9f3b) >>> 0;
  x = Math.imul((x >>> 16) ^ x, 0x45d9f3b) >>> 0;
  return ((x >>> 16) ^ x) >>> 0;
}

const SEGMENTS = ["lapsed", "price_sensitive", "recent", "vip"];
const T0 = Date.UTC(2026, 10, 27); // first send: Black Friday, 00:00 UTC
const MINUTE = 60_000;
const DAY = 86_400_000;

/** One recipient n (1…R) as the SQL below writes it. */
function recipient(n: number) {
  const h = (k: number) => hash(n, k);
  const holdout = n % 10 === 0;
  const channel = h(3) % 5 === 0 ? "sms" : "email";
  const bounced = h(8) % 100 < 1;
  const opened = h(5) % 100;
  const clicked = h(7) % 100;
  const orderedInWindow = h(10) % 100 < (holdout ? 3 : 4);
  return {
    holdout,
    segment: SEGMENTS[h(2) % 4] ?? "",
    channel,
    sendAtMs: T0 + (h(4) % 4320) * MINUTE,
    bounced,
    openedHuman: channel === "email" && !bounced && opened < 25,
    openedMachine: channel === "email" && !bounced && opened >= 20 && opened < 30,
    clickedHuman: !bounced && clicked < 5,
    clickedMachine: !bounced && clicked >= 5 && clicked < 7,
    unsubscribed: !bounced && h(9) % 1000 < 3,
    orderedInWindow,
    cancelled: h(12) % 50 === 0,
    totalMinor: 1_500 + (h(14) % 20_000),
    orderedOutside: h(13) % 100 < 5,
    credited: !holdout && orderedInWindow && h(15) % 2 === 0,
  };
}

/** Every figure loadSourceResults must give, from the generator. */
function expectedReport() {
  const e = {
    planned: 0,
    holdout: 0,
    sent: 0,
    delivered: 0,
    bounced: 0,
    openedHuman: 0,
    openedMachineOnly: 0,
    clickedHuman: 0,
    clickedMachineOnly: 0,
    unsubscribed: 0,
    orders: 0,
    revenueMinor: 0,
    treated: { n: 0, conversions: 0, revenue: 0 },
    control: { n: 0, conversions: 0, revenue: 0 },
    segments: new Map<string, number>(),
    ordersInWindow: 0,
    ordersOutside: 0,
    events: 0,
  };
  for (let n = 1; n <= RECIPIENTS; n++) {
    const r = recipient(n);
    e.segments.set(r.segment, (e.segments.get(r.segment) ?? 0) + 1);
    if (r.orderedInWindow) e.ordersInWindow++;
    if (r.orderedOutside) e.ordersOutside++;
    const counted = r.orderedInWindow && !r.cancelled;
    const arm = r.holdout ? e.control : e.treated;
    arm.n++;
    if (counted) {
      arm.conversions++;
      arm.revenue += r.totalMinor;
    }
    if (r.holdout) {
      e.holdout++;
      continue;
    }
    e.planned++;
    e.sent++;
    if (r.bounced) e.bounced++;
    else e.delivered++;
    if (r.openedHuman) e.openedHuman++;
    if (r.openedMachine && !r.openedHuman) e.openedMachineOnly++;
    if (r.clickedHuman) e.clickedHuman++;
    if (r.clickedMachine) e.clickedMachineOnly++;
    if (r.unsubscribed) e.unsubscribed++;
    if (r.credited && !r.cancelled) {
      e.orders++;
      e.revenueMinor += r.totalMinor;
    }
    e.events +=
      Number(r.openedHuman) +
      Number(r.openedMachine) +
      Number(r.clickedHuman) +
      Number(r.clickedMachine) +
      Number(r.unsubscribed) +
      1; // bounced / undelivered / delivered: one of them for a text, an email only when bounced
    if (r.channel === "email" && !r.bounced) e.events--;
  }
  return e;
}

const ts = (ms: number) => `'${new Date(ms).toISOString().replace("T", " ").replace("Z", "")}'::timestamp`;

/** The generator: a staging table of every recipient's draws, then each table from it in one statement. */
async function seedMillion(prisma: PrismaClient, shop: string): Promise<Record<string, number>> {
  const seconds: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    seconds[name] = round((performance.now() - t) / 1000, 1);
    log(`report: seeded ${name} in ${seconds[name]} s`);
  };
  await step("campaign", () => seedCampaign(prisma, { shop, id: CAMPAIGN, status: "completed" }));
  await step("customers", () => seedCustomers(prisma, shop, 1, RECIPIENTS));
  const h = (k: number) => hashSql("n", k);
  await step("draws", () =>
    prisma.$executeRawUnsafe(`
      CREATE TABLE bench_gen AS
      SELECT n, 'm_' || lpad(to_hex(n), 40, '0') AS id, n % 10 = 0 AS holdout,
        (ARRAY['${SEGMENTS.join("','")}'])[(h2 % 4) + 1] AS segment,
        CASE WHEN h3 % 5 = 0 THEN 'sms' ELSE 'email' END AS channel,
        ${ts(T0)} + make_interval(mins => (h4 % 4320)::int) AS send_at,
        ${ts(T0)} + make_interval(mins => (h4 % 4320)::int, secs => (h6 % 60)::int) AS sent_at,
        h5 % 100 AS opened, h6, h7 % 100 AS clicked, h8 % 100 < 1 AS bounced, h9 % 1000 AS unsub,
        h10 % 100 AS ordered, h11, h12 % 50 = 0 AS cancelled, h13 % 100 < 5 AS outside,
        h14, 1500 + h14 % 20000 AS total, h15 % 2 = 0 AS credited
      FROM (
        SELECT n, ${[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((k) => `${h(k)} AS h${k}`).join(", ")}
        FROM generate_series(1::bigint, ${RECIPIENTS}::bigint) AS n
      ) s`),
  );
  await step("outbox", () =>
    prisma.$executeRawUnsafe(
      `INSERT INTO "OutboxMessage" (id, shop, "campaignId", "sendKey", "customerId", segment, channel, status,
         "skipReason", "sendAt", "timeZone", attempts, "sentAt", "createdAt", "updatedAt")
       SELECT id, $1, $2, 'launch', n, segment, channel, CASE WHEN holdout THEN 'holdout' ELSE 'sent' END,
         CASE WHEN holdout THEN 'holdout' END, send_at, 'America/New_York', CASE WHEN holdout THEN 0 ELSE 1 END,
         CASE WHEN holdout THEN NULL ELSE sent_at END, ${ts(T0 - DAY)}, COALESCE(sent_at, send_at)
       FROM bench_gen`,
      shop,
      CAMPAIGN,
    ),
  );
  await step("events", () =>
    prisma.$executeRawUnsafe(
      `INSERT INTO "MessageEvent" (id, shop, "outboxId", "campaignId", "customerId", kind, machine, "machineReason",
         "linkId", count, "firstAt", "lastAt")
       SELECT 'v_' || g.n || '_' || e.tag, $1, g.id, $2, g.n, e.kind, e.machine, e.reason, e.link, e.count,
         g.sent_at + e.after, g.sent_at + e.after + make_interval(hours => e.count - 1)
       FROM bench_gen g CROSS JOIN LATERAL (VALUES
         ('oh', 'opened', false, NULL, NULL, 1 + (g.h6 % 3)::int, make_interval(mins => 1 + (g.h6 % 2880)::int),
           g.channel = 'email' AND NOT g.bounced AND g.opened < 25),
         ('om', 'opened', true, 'apple_mpp', NULL, 1, make_interval(secs => 1),
           g.channel = 'email' AND NOT g.bounced AND g.opened >= 20 AND g.opened < 30),
         ('ch', 'clicked', false, NULL, 'AAAAAAAAAAA' || (g.h11 % 3), 1, make_interval(mins => 5 + (g.h11 % 2880)::int),
           NOT g.bounced AND g.clicked < 5),
         ('cm', 'clicked', true, 'scanner', 'AAAAAAAAAAA' || (g.h11 % 3), 1, make_interval(secs => 1),
           NOT g.bounced AND g.clicked >= 5 AND g.clicked < 7),
         ('bo', CASE WHEN g.channel = 'sms' THEN 'undelivered' ELSE 'bounced' END, false, NULL, NULL, 1,
           make_interval(secs => 5), g.bounced),
         ('dl', 'delivered', false, NULL, NULL, 1, make_interval(secs => 5), g.channel = 'sms' AND NOT g.bounced),
         ('un', 'unsubscribed', false, NULL, NULL, 1, make_interval(mins => 30), NOT g.bounced AND g.unsub < 3)
       ) AS e(tag, kind, machine, reason, link, count, after, present)
       WHERE NOT g.holdout AND e.present`,
      shop,
      CAMPAIGN,
    ),
  );
  await step("orders", () =>
    prisma.$executeRawUnsafe(
      `INSERT INTO "Order" (shop, id, "customerId", "shopifyCreatedAt", "shopifyUpdatedAt", "cancelledAt", test,
         "totalMinor", "discountMinor", "currencyCode", "discountCodes")
       SELECT $1, o.id, g.n, o.at, o.at, CASE WHEN o.inside AND g.cancelled THEN o.at + interval '1 day' END, false,
         o.total, 0, 'USD', ARRAY[]::text[]
       FROM bench_gen g CROSS JOIN LATERAL (VALUES
         (g.n * 10 + 1, true, g.send_at + make_interval(mins => (g.h11 % 7000)::int), g.total,
           g.ordered < CASE WHEN g.holdout THEN 3 ELSE 4 END),
         (g.n * 10 + 2, false, CASE WHEN g.h11 % 2 = 0 THEN g.send_at - make_interval(days => 1 + (g.h14 % 10)::int)
           ELSE g.send_at + make_interval(days => 6 + (g.h14 % 3)::int) END, 2500 + g.h14 % 9000, g.outside)
       ) AS o(id, inside, at, total, present)
       WHERE o.present`,
      shop,
    ),
  );
  await step("attributions", () =>
    prisma.$executeRawUnsafe(
      `INSERT INTO "OrderAttribution" (shop, "orderId", "outboxId", "campaignId", model, "touchAt")
       SELECT $1, n * 10 + 1, id, $2, 'click', sent_at + interval '30 minutes'
       FROM bench_gen WHERE NOT holdout AND ordered < 4 AND credited`,
      shop,
      CAMPAIGN,
    ),
  );
  await prisma.$executeRawUnsafe(`DROP TABLE bench_gen`);
  return seconds;
}

async function report(mode: Mode) {
  const shop = "bench-results-million.myshopify.com";
  const target: DatabaseTarget = mode === "scale" ? await postgresTarget(PG_BASE) : await pgliteTarget();
  let db: Awaited<ReturnType<typeof createDatabase>> | undefined;
  try {
    log(`report/${mode}: generating the expected figures`);
    const expected = expectedReport();
    db = await createDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
    const prisma = db.prisma;
    // the generator's hash agrees with SQL's on a few values
    const probe = await prisma.$queryRawUnsafe<Array<{ h: bigint | number }>>(
      `SELECT ${hashSql("n", 7)} AS h FROM generate_series(1::bigint, 5::bigint) AS n ORDER BY n`,
    );
    const hashesAgree = probe.every((row, i) => Number(row.h) === hash(i + 1, 7));
    if (!hashesAgree)
      throw new Error(`the SQL hash differs: ${JSON.stringify(probe.map((r) => String(r.h)))}`);
    log(`report/${mode}: seeding ${RECIPIENTS} recipients`);
    const seedStarted = performance.now();
    const seedSeconds = await seedMillion(prisma, shop);
    const seedTotal = (performance.now() - seedStarted) / 1000;
    const maintainStarted = performance.now();
    const maintained = await maintainTables(prisma);
    const maintainSeconds = (performance.now() - maintainStarted) / 1000;
    log(`report/${mode}: maintainTables ${JSON.stringify(maintained)} in ${round(maintainSeconds, 1)} s`);
    const counts = (
      await prisma.$queryRawUnsafe<Array<Record<string, bigint | number>>>(
        `SELECT (SELECT count(*) FROM "OutboxMessage") AS outbox, (SELECT count(*) FROM "MessageEvent") AS events,
           (SELECT count(*) FROM "Order") AS orders, (SELECT count(*) FROM "OrderAttribution") AS attributions,
           (SELECT count(*) FROM "Customer") AS customers`,
      )
    )[0];
    const tableRows = Object.fromEntries(Object.entries(counts ?? {}).map(([k, v]) => [k, Number(v)]));

    const source = await findResultsSource(prisma, shop, CAMPAIGN);
    if (!source) throw new Error("no source");
    const options = { timeZone: "America/New_York", windows: DEFAULT_ATTRIBUTION_WINDOWS };
    const timed = async () => {
      const t = performance.now();
      const result = await loadSourceResults(prisma, shop, source, options);
      return { ms: performance.now() - t, result };
    };
    const first = await timed();
    log(`report/${mode}: first run ${round(first.ms)} ms`);
    const runs: number[] = [];
    let last: SourceResults = first.result;
    for (let i = 0; i < REPORT_RUNS; i++) {
      const run = await timed();
      runs.push(run.ms);
      last = run.result;
      log(`report/${mode}: run ${i + 1} ${round(run.ms)} ms`);
    }
    // Where the time goes: each query alone, then the four together as loadSourceResults runs them.
    const conversionDays = options.windows.conversionDays;
    const alone = async (work: () => Promise<unknown>) => {
      const t = performance.now();
      await work();
      return round(performance.now() - t);
    };
    const queriesMs = {
      funnel: await alone(() => funnelRows(prisma, shop, CAMPAIGN)),
      daily: await alone(() => dailyRows(prisma, shop, CAMPAIGN, options.timeZone)),
      arms: await alone(() => armRows(prisma, shop, [CAMPAIGN], conversionDays)),
      buyers: await alone(() => buyerRows(prisma, shop, [CAMPAIGN], conversionDays)),
      allFourTogether: await alone(() =>
        Promise.all([
          funnelRows(prisma, shop, CAMPAIGN),
          dailyRows(prisma, shop, CAMPAIGN, options.timeZone),
          armRows(prisma, shop, [CAMPAIGN], conversionDays),
          buyerRows(prisma, shop, [CAMPAIGN], conversionDays),
        ]),
      ),
    };
    log(`report/${mode}: queries ${JSON.stringify(queriesMs)}`);

    // The figures against the generator's.
    const t = last.funnel.total;
    const lift = last.lift.overall;
    const daily = last.daily.reduce(
      (s, d) => ({
        sent: s.sent + d.sent,
        orders: s.orders + d.orders,
        openedHuman: s.openedHuman + d.openedHuman,
        clickedHuman: s.clickedHuman + d.clickedHuman,
      }),
      { sent: 0, orders: 0, openedHuman: 0, clickedHuman: 0 },
    );
    const pairs: Array<[string, number, number]> = [
      ["funnel.planned", expected.planned, t.planned],
      ["funnel.holdout", expected.holdout, t.holdout],
      ["funnel.sent", expected.sent, t.sent],
      ["funnel.delivered", expected.delivered, t.delivered],
      ["funnel.bounced", expected.bounced, t.bounced],
      ["funnel.openedHuman", expected.openedHuman, t.openedHuman],
      ["funnel.openedMachineOnly", expected.openedMachineOnly, t.openedMachineOnly],
      ["funnel.clickedHuman", expected.clickedHuman, t.clickedHuman],
      ["funnel.clickedMachineOnly", expected.clickedMachineOnly, t.clickedMachineOnly],
      ["funnel.unsubscribed", expected.unsubscribed, t.unsubscribed],
      ["funnel.orders", expected.orders, t.orders],
      ["funnel.revenueMinor", expected.revenueMinor, Number(t.revenueMinor)],
      ["daily.sent", expected.sent, daily.sent],
      ["daily.orders", expected.orders, daily.orders],
      ["daily.openedHuman", expected.openedHuman, daily.openedHuman],
      ["daily.clickedHuman", expected.clickedHuman, daily.clickedHuman],
      ["lift.treated.n", expected.treated.n, lift.treated.n],
      ["lift.treated.conversions", expected.treated.conversions, lift.treated.conversions],
      ["lift.treated.revenue", expected.treated.revenue, lift.treated.revenue],
      ["lift.control.n", expected.control.n, lift.control.n],
      ["lift.control.conversions", expected.control.conversions, lift.control.conversions],
      ["lift.control.revenue", expected.control.revenue, lift.control.revenue],
      ["table.outbox", RECIPIENTS, tableRows.outbox ?? NaN],
      ["table.events", expected.events, tableRows.events ?? NaN],
      ["table.orders", expected.ordersInWindow + expected.ordersOutside, tableRows.orders ?? NaN],
    ];
    for (const [segment, n] of expected.segments) {
      const s = last.lift.bySegment.find((b) => b.segment === segment)?.lift;
      pairs.push([`lift.${segment}.recipients`, n, (s?.treated.n ?? 0) + (s?.control.n ?? 0)]);
    }
    const mismatches = pairs
      .filter(([, e, a]) => e !== a)
      .map(([name, e, a]) => ({ name, expected: e, actual: a }));
    const sorted = [...runs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
    const result = {
      mode,
      database: mode === "scale" ? "PostgreSQL (fresh schema)" : "PGlite in a temp dir",
      recipients: RECIPIENTS,
      tableRows,
      seedSeconds: { ...seedSeconds, total: round(seedTotal, 1) },
      maintenance: { how: "maintainTables (the app's)", ...maintained, seconds: round(maintainSeconds, 1) },
      firstRunMs: round(first.ms),
      runsMs: runs.map((ms) => round(ms)),
      medianMs: round(median),
      queriesMs,
      figures: {
        planned: t.planned,
        holdout: t.holdout,
        sent: t.sent,
        delivered: t.delivered,
        openedHuman: t.openedHuman,
        clickedHuman: t.clickedHuman,
        orders: t.orders,
        days: last.daily.length,
        treated: lift.treated,
        control: lift.control,
        conversionLift: lift.conversionLift,
        verdict: lift.verdict.verdict,
      },
      checks: { compared: pairs.length, mismatches, ok: mismatches.length === 0 },
      target: { ms: TARGET_REPORT_MS, met: median <= TARGET_REPORT_MS && mismatches.length === 0 },
      ...(KEEP ? { keptAt: target.databaseUrl ?? target.dataDir } : {}),
    };
    log(`report/${mode}: ${JSON.stringify({ ...result, figures: undefined })}`);
    return result;
  } finally {
    await db?.close();
    if (!KEEP) await target.cleanup();
  }
}

// ---------- main ----------

async function main(): Promise<void> {
  const started = Date.now();
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model,
    memGb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadavgAtStart: loadavg().map((l) => round(l, 2)),
  };
  const output: Record<string, unknown> = { date: new Date().toISOString(), machine };
  if (PARTS.has("ingestion")) {
    const results = [];
    for (const mode of MODES) results.push(await ingestion(mode));
    output.ingestion = results;
  }
  if (PARTS.has("report")) {
    const results = [];
    for (const mode of REPORT_MODES) results.push(await report(mode));
    output.report = results;
  }
  output.loadavgAtEnd = loadavg().map((l) => round(l, 2));
  output.totalSeconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(
    `${JSON.stringify(output, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v), 2)}\n`,
  );
}

await main();
