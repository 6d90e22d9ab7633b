// Rescore benchmark (not part of `npm test`): `npm run bench:rescore`.
//
// In a child process per database (PostgreSQL from DATABASE_URL in a fresh schema, and PGlite in
// a fresh directory), so peak RSS does not mix:
//   1. inserts BENCH_CUSTOMERS (default 1,000,000) customers with realistic stored aggregates
//      (≈ 12% prospects, order counts skewed to 1–3, spend in cents with ties, last orders over two
//      years skewed to recent, about a third of orders discounted), generated in SQL;
//   2. times rescoreShop (the app's function, in this process):
//      first  — never scored: every row written, every non-prospect gets a transition;
//      again  — same time, nothing changed: the cost of scoring alone;
//      nightly — one day later: recency moves for every buyer, so most rows are written;
//   3. times rescoreCustomer for 200 random customers (the webhook path);
//   4. checks the stored result against scoreCustomers (rfm.ts) row for row (BENCH_VERIFY=0 skips).
// Prints one JSON line per database.
//
// Env: BENCH_CUSTOMERS, DATABASE_URL, BENCH_SKIP (e.g. "pglite").

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "@prisma/client";
import { createDatabase } from "../../app/db.server";
import { rescoreCustomer, rescoreShop, type RescoreDeps, type RescoreShopDb } from "../../app/segments/rescore.server";
import { scoreCustomers, type RfmCustomer } from "../../app/segments/rfm";
import { DEFAULT_THRESHOLDS } from "../../app/segments/rules";
import { pgliteTarget, postgresTarget, type DatabaseTarget } from "../integration/helpers/db";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const SKIP = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const VERIFY = process.env.BENCH_VERIFY !== "0";
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
  await prisma.$executeRawUnsafe(`ANALYZE "Customer"`);
}

interface StoredRow {
  id: bigint;
  orderCount: number;
  spendMinor: bigint;
  discountedOrderCount: number;
  lastOrderAt: Date | null;
  recencyDays: number | null;
  rScore: number | null;
  fScore: number | null;
  mScore: number | null;
  segment: string;
}

/** Reads the stored result in pages and compares it with scoreCustomers on the same aggregates. */
async function verify(prisma: PrismaClient, asOf: Date): Promise<{ rows: number; mismatches: number }> {
  const rows: StoredRow[] = [];
  let after = 0n;
  for (;;) {
    const page = await prisma.customer.findMany({
      where: { shop: SHOP, id: { gt: after } },
      orderBy: { id: "asc" },
      take: 100_000,
      select: {
        id: true,
        orderCount: true,
        spendMinor: true,
        discountedOrderCount: true,
        lastOrderAt: true,
        recencyDays: true,
        rScore: true,
        fScore: true,
        mScore: true,
        segment: true,
      },
    });
    if (page.length === 0) break;
    rows.push(...page);
    after = page[page.length - 1]?.id ?? after;
  }
  const input: RfmCustomer[] = rows.map((r) => ({
    id: r.id.toString(),
    frequency: r.orderCount,
    monetaryMinor: r.spendMinor,
    lastOrderAt: r.lastOrderAt,
    discountedOrders: r.discountedOrderCount,
  }));
  const want = scoreCustomers(input, asOf, DEFAULT_THRESHOLDS);
  let mismatches = 0;
  rows.forEach((r, i) => {
    const w = want[i];
    if (
      !w ||
      w.recencyDays !== r.recencyDays ||
      w.r !== r.rScore ||
      w.f !== r.fScore ||
      w.m !== r.mScore ||
      w.segment !== r.segment
    ) {
      mismatches++;
    }
  });
  return { rows: rows.length, mismatches };
}

async function measure(mode: "postgres" | "pglite"): Promise<Record<string, unknown>> {
  const url = process.env.DATABASE_URL;
  if (mode === "postgres" && !url) throw new Error("DATABASE_URL is needed for the PostgreSQL run");
  const target: DatabaseTarget = mode === "postgres" && url ? await postgresTarget(url) : await pgliteTarget();
  const db = await createDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
  try {
    const prisma = db.prisma;
    let t = Date.now();
    await seed(prisma);
    const seedMs = Date.now() - t;
    const rssBefore = maxRssMb();

    let now = NOW;
    const deps: RescoreDeps<RescoreShopDb> = { prisma, now: () => now, log: (line) => process.stderr.write(`${line}\n`) };
    const timed = async () => {
      const started = Date.now();
      const result = await rescoreShop(deps, SHOP);
      return { seconds: seconds(Date.now() - started), written: result.written, changed: result.changed, counts: result.counts };
    };
    const first = await timed();
    const again = await timed();
    now = new Date(NOW.getTime() + DAY);
    const nightly = await timed();

    const ids = await prisma.$queryRawUnsafe<Array<{ id: bigint }>>(
      `SELECT id FROM "Customer" WHERE shop = $1 ORDER BY md5(id::text) LIMIT 200`,
      SHOP,
    );
    now = new Date(now.getTime() + 60_000);
    const latencies: number[] = [];
    for (const { id } of ids) {
      t = performance.now();
      await rescoreCustomer(deps, SHOP, BigInt(id));
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
    const peakRssMb = maxRssMb();

    // The single-customer rescores moved a few rows as of a later time: compare as of the nightly run.
    now = new Date(NOW.getTime() + DAY);
    await rescoreShop(deps, SHOP);
    const check = VERIFY ? await verify(prisma, now) : null;
    return {
      mode,
      node: process.version,
      customers: CUSTOMERS,
      seedSeconds: seconds(seedMs),
      first,
      again,
      nightly,
      rescoreCustomerMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
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
  const result = spawnSync(tsx, [SELF, mode], { encoding: "utf8", env: process.env, maxBuffer: 1 << 24, stdio: ["ignore", "pipe", "inherit"] });
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
  const modes = (["postgres", "pglite"] as const).filter((m) => !SKIP.has(m) && (m !== "postgres" || process.env.DATABASE_URL));
  for (const m of modes) process.stdout.write(`${JSON.stringify(child(m))}\n`);
}

await main();
