// Rescore benchmark (not part of `npm test`): `npm run bench:rescore`.
//
// In a child process per database (PostgreSQL from DATABASE_URL in a fresh schema, and PGlite in
// a fresh directory), so peak RSS does not mix:
//   1. inserts BENCH_CUSTOMERS (default 1,000,000) customers with realistic stored aggregates
//      (≈ 12% prospects, order counts skewed to 1–3, spend in cents with ties, last orders over two
//      years skewed to recent, about a third of orders discounted), generated in SQL;
//      then VACUUM ANALYZE, as autovacuum would after a backfill (index-only scans need the
//      visibility map);
//   2. times rescoreShop (the app's function, in this process):
//      first  — never scored: a score row for every customer (first scorings are not transitions);
//      again  — same time, nothing changed: the cost of scoring alone;
//      nightly — one day later: every buyer's recency moves by a day, but only the customers
//      whose R, F, M or segment change are written;
//   3. times rescoreCustomer for 200 random customers (the webhook path) a minute later, and
//      EXPLAINs one of them (which scans it uses);
//   4. checks the stored result against scoreCustomers (rfm.ts) row for row, as of the nightly
//      time and, for the 200, as of their time (BENCH_VERIFY=0 skips).
// Prints one JSON line per database.
//
// Env: BENCH_CUSTOMERS, DATABASE_URL, BENCH_SKIP (e.g. "pglite"), BENCH_VERIFY=0, BENCH_PLAN=1 (print
// the single-customer plan to stderr), BENCH_PLAN=batch (the batch's plan, with each node's time), BENCH_BATCH
// (200), BENCH_DIRTY (customers updated and updated back before the batch, as webhooks leave pages).

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "@prisma/client";
import { createDatabase } from "../../app/db.server";
import { serverCpu } from "./cpu";
import {
  applySettings,
  rescoreCustomer,
  rescoreCustomers,
  rescoreCustomerStatement,
  rescoreShop,
  type RescoreDeps,
} from "../../app/segments/rescore.server";
import { scoreCustomers, type RfmCustomer } from "../../app/segments/rfm";
import { DEFAULT_THRESHOLDS } from "../../app/segments/rules";
import { pgliteTarget, postgresTarget, type DatabaseTarget } from "../integration/helpers/db";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const VERIFY = process.env.BENCH_VERIFY !== "0";
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const DIRTY = Number(process.env.BENCH_DIRTY ?? 0);
const SHOP = "bench-shop.myshopify.com";
const NOW = new Date("2026-11-20T03:00:00.000Z");
const DAY = 86_400_000;
const SELF = fileURLToPath(import.meta.url);

const seconds = (ms: number) => Math.round(ms / 10) / 100;
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function seed(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe(`SELECT setseed(0.42)`);
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Customer" (shop, id, email, tags, "shopifyCreatedAt", "shopifyUpdatedAt", "orderCount", "spendMinor",
       "discountedOrderCount", "firstOrderAt", "lastOrderAt")
     WITH u AS (
       SELECT g, random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS u5 FROM generate_series(1, $2::int) g),
     c AS (
       SELECT g, u3, u4, u5, CASE WHEN u1 < 0.12 THEN 0 ELSE 1 + floor(-ln(1 - u2) * 1.6)::int END AS oc FROM u)
     SELECT $1, 7000000000 + g, 'c' || g || '@example.com', '{}', $3::timestamp - interval '3 years', $3::timestamp - interval '1 day',
       oc,
       CASE WHEN oc = 0 THEN 0 ELSE (oc * (1500 + 25 * floor(exp(u3 * 4.5) * 20)))::bigint END,
       CASE WHEN oc = 0 THEN 0 ELSE least(oc, floor((oc + 1) * u4 * u4))::int END,
       CASE WHEN oc = 0 THEN NULL ELSE $3::timestamp - make_interval(secs => (u5 * u5 * 730 + oc * 20) * 86400) END,
       CASE WHEN oc = 0 THEN NULL ELSE $3::timestamp - make_interval(secs => u5 * u5 * 730 * 86400) END
     FROM c`,
    SHOP,
    CUSTOMERS,
    NOW.toISOString().replace("T", " ").replace("Z", ""),
  );
  await settle(prisma);
}

/**
 * VACUUM ANALYZE until the visibility map covers the table, as autovacuum ends up doing: a VACUUM
 * cannot mark pages all-visible while another session's older snapshot is open (on a shared server,
 * someone else's long transaction), and index-only scans then read the heap. Returns the share of
 * pages all-visible.
 */
async function settle(prisma: PrismaClient): Promise<number> {
  let share = 0;
  for (let attempt = 0; attempt < 30; attempt++) {
    // Not in a transaction: VACUUM refuses to run in one.
    await prisma.$executeRawUnsafe(`VACUUM ANALYZE "Customer"`);
    share = await visibleShare(prisma);
    if (share >= 0.99) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return share;
}

async function visibleShare(prisma: PrismaClient): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<Array<{ share: number }>>(
    `SELECT (relallvisible::float8 / greatest(relpages, 1)) AS share FROM pg_class WHERE oid = '"Customer"'::regclass`,
  );
  return Math.round((rows[0]?.share ?? 0) * 1000) / 1000;
}

/** Reads every customer's aggregates in pages, by id. */
async function aggregates(prisma: PrismaClient): Promise<RfmCustomer[]> {
  const rows: RfmCustomer[] = [];
  let after = 0n;
  for (;;) {
    const page = await prisma.customer.findMany({
      where: { shop: SHOP, id: { gt: after } },
      orderBy: { id: "asc" },
      take: 100_000,
      select: { id: true, orderCount: true, spendMinor: true, discountedOrderCount: true, lastOrderAt: true },
    });
    const last = page.at(-1);
    if (!last) break;
    for (const r of page) {
      rows.push({
        id: r.id.toString(),
        frequency: r.orderCount,
        monetaryMinor: r.spendMinor,
        lastOrderAt: r.lastOrderAt,
        discountedOrders: r.discountedOrderCount,
      });
    }
    after = last.id;
  }
  return rows;
}

/**
 * Compares the stored scores with scoreCustomers on the same aggregates: as of `asOf` for everyone,
 * and as of `singleAt` for the customers rescored one by one then.
 */
async function verify(
  prisma: PrismaClient,
  asOf: Date,
  singles: ReadonlySet<string>,
  singleAt: Date,
): Promise<{ rows: number; mismatches: number }> {
  const input = await aggregates(prisma);
  const want = scoreCustomers(input, asOf, DEFAULT_THRESHOLDS);
  const wantSingle = scoreCustomers(input, singleAt, DEFAULT_THRESHOLDS);
  const stored = new Map<string, { r: number | null; f: number | null; m: number | null; segment: string }>();
  let after = -1n;
  for (;;) {
    const page = await prisma.customerScore.findMany({
      where: { shop: SHOP, customerId: { gt: after } },
      orderBy: { customerId: "asc" },
      take: 100_000,
    });
    const last = page.at(-1);
    if (!last) break;
    for (const s of page) stored.set(s.customerId.toString(), s);
    after = last.customerId;
  }
  let mismatches = 0;
  input.forEach((c, i) => {
    const w = singles.has(c.id) ? wantSingle[i] : want[i];
    const s = stored.get(c.id);
    if (!w || !s || w.r !== s.r || w.f !== s.f || w.m !== s.m || w.segment !== s.segment) mismatches++;
  });
  return { rows: input.length, mismatches };
}

/** The scans rescoreCustomers' statement ran, from EXPLAIN ANALYZE (nothing changes: they were just rescored). */
async function explainOne(
  prisma: PrismaClient,
  ids: bigint | readonly bigint[],
  at: Date,
  print: boolean,
): Promise<Record<string, number>> {
  const statement = rescoreCustomerStatement(SHOP, at, DEFAULT_THRESHOLDS, ids);
  const rows = await prisma.$transaction(async (tx) => {
    await applySettings(tx, statement.settings);
    return tx.$queryRawUnsafe<Array<Record<string, unknown>>>(
      `EXPLAIN (ANALYZE, COSTS OFF) ${statement.sql}`,
      ...statement.params,
    );
  });
  const plan = rows.map((r) => String(Object.values(r)[0])).join("\n");
  if (print) process.stderr.write(`${plan}\n`);
  const scans: Record<string, number> = {};
  const executed = plan
    .split("\n")
    .filter((line) => !line.includes("never executed"))
    .join("\n");
  for (const m of executed.matchAll(
    /(Index Only Scan|Index Scan|Bitmap Heap Scan|Seq Scan) (?:Backward )?(?:using (\S+) )?on "?(\w+)"?/g,
  )) {
    const key = `${m[1] ?? ""} ${m[2] ?? m[3] ?? ""}`;
    scans[key] = (scans[key] ?? 0) + 1;
  }
  const heap = [...plan.matchAll(/Heap Fetches: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { ...scans, "heap fetches": heap };
}

function withApplicationName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("application_name", name);
  return url.toString();
}

/** CPU milliseconds of this process since the last call (PGlite runs in it). */
function processCpu(): () => Promise<number | null> {
  let last = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    return Promise.resolve((used.user + used.system) / 1000);
  };
}

async function measure(mode: "postgres" | "pglite"): Promise<Record<string, unknown>> {
  const url = process.env.DATABASE_URL;
  if (mode === "postgres" && !url) throw new Error("DATABASE_URL is needed for the PostgreSQL run");
  const target: DatabaseTarget =
    mode === "postgres" && url ? await postgresTarget(url) : await pgliteTarget();
  // Named, so the server's backends serving this run can be found for their CPU time.
  const app = `rescore-bench-${process.pid}`;
  const databaseUrl = target.databaseUrl && withApplicationName(target.databaseUrl, app);
  const db = await createDatabase({ databaseUrl, dataDir: target.dataDir });
  try {
    const prisma = db.prisma;
    const cpu = mode === "postgres" ? serverCpu(prisma, app) : processCpu();
    let t = Date.now();
    await seed(prisma);
    const seedMs = Date.now() - t;
    const rssBefore = maxRssMb();

    let now = NOW;
    const deps: RescoreDeps = { prisma, now: () => now, log: (line) => process.stderr.write(`${line}\n`) };
    const timed = async () => {
      await cpu();
      const started = Date.now();
      const result = await rescoreShop(deps, SHOP);
      const wall = Date.now() - started;
      const cpuMs = await cpu();
      return {
        seconds: seconds(wall),
        cpuSeconds: cpuMs === null ? null : seconds(cpuMs),
        written: result.written,
        changed: result.changed,
        counts: result.counts,
      };
    };
    const first = await timed();
    const again = await timed();
    now = new Date(NOW.getTime() + DAY);
    const nightly = await timed();
    const nightlyAt = now;

    const ids = await prisma.$queryRawUnsafe<Array<{ id: bigint }>>(
      `SELECT id FROM "Customer" WHERE shop = $1 ORDER BY md5(id::text) LIMIT 200`,
      SHOP,
    );
    const batch = await prisma.$queryRawUnsafe<Array<{ id: bigint }>>(
      `SELECT id FROM "Customer" WHERE shop = $1 ORDER BY md5(id::text) OFFSET 200 LIMIT $2`,
      SHOP,
      BATCH,
    );
    now = new Date(now.getTime() + 60_000);
    const singleAt = now;
    const allVisible = await visibleShare(prisma);
    const latencies: number[] = [];
    await cpu();
    for (const { id } of ids) {
      t = performance.now();
      await rescoreCustomer(deps, SHOP, BigInt(id));
      latencies.push(performance.now() - t);
    }
    const singlesCpuMs = await cpu();
    // Webhooks keep updating customers between vacuums, and an updated page is no longer all-visible:
    // index-only scans must read the heap for it. Each dirtied customer is changed and changed back.
    if (DIRTY > 0)
      for (const step of ["+", "-"])
        await prisma.$executeRawUnsafe(
          `UPDATE "Customer" SET "orderCount" = "orderCount" ${step} 1, "spendMinor" = "spendMinor" ${step} 1
           WHERE shop = $1 AND id IN (SELECT id FROM "Customer" WHERE shop = $1 ORDER BY md5(id::text || 'd') LIMIT $2)`,
          SHOP,
          DIRTY,
        );
    await cpu();
    // A webhook pass's batch, at the same time as the singles (verified with them).
    t = performance.now();
    await rescoreCustomers(
      deps,
      SHOP,
      batch.map(({ id }) => BigInt(id)),
    );
    const batchMs = performance.now() - t;
    const batchCpuMs = await cpu();
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) /
      10;
    const firstId = ids[0]?.id;
    const plan =
      firstId === undefined
        ? {}
        : await explainOne(prisma, BigInt(firstId), singleAt, process.env.BENCH_PLAN === "1");
    if (process.env.BENCH_PLAN === "batch")
      await explainOne(
        prisma,
        batch.map(({ id }) => BigInt(id)),
        singleAt,
        true,
      );
    const peakRssMb = maxRssMb();

    const singles = new Set([...ids, ...batch].map(({ id }) => id.toString()));
    const check = VERIFY ? await verify(prisma, nightlyAt, singles, singleAt) : null;
    return {
      mode,
      node: process.version,
      customers: CUSTOMERS,
      seedSeconds: seconds(seedMs),
      first,
      again,
      nightly,
      rescoreCustomerMs: {
        p50: at(0.5),
        p99: at(0.99),
        max: at(1),
        cpuMean:
          singlesCpuMs === null ? null : Math.round((singlesCpuMs / Math.max(1, ids.length)) * 10) / 10,
      },
      rescoreCustomerPlan: plan,
      rescoreBatch: {
        customers: batch.length,
        dirtied: DIRTY,
        ms: Math.round(batchMs),
        cpuMs: batchCpuMs === null ? null : Math.round(batchCpuMs),
      },
      customerPagesAllVisible: allVisible,
      rssAfterSeedMb: rssBefore,
      peakRssMb,
      check,
    };
  } finally {
    await db.close();
    await target.cleanup();
  }
}

function child(mode: string): Record<string, unknown> {
  const tsx = join(process.cwd(), "node_modules/.bin/tsx");
  const result = spawnSync(tsx, [SELF, mode], {
    encoding: "utf8",
    env: process.env,
    maxBuffer: 1 << 24,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) throw new Error(`${mode} measurement failed (exit ${String(result.status)})`);
  const last = result.stdout.trim().split("\n").pop() ?? "{}";
  const parsed: unknown = JSON.parse(last);
  return typeof parsed === "object" && parsed !== null ? { ...parsed } : {};
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === "postgres" || mode === "pglite") {
    process.stdout.write(`${JSON.stringify(await measure(mode))}\n`);
    return;
  }
  const modes = (["postgres", "pglite"] as const).filter(
    (m) => !SKIP.has(m) && (m !== "postgres" || process.env.DATABASE_URL),
  );
  for (const m of modes) process.stdout.write(`${JSON.stringify(child(m))}\n`);
}

await main();
