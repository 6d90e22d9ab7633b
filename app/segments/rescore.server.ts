import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { SEGMENTS, type Segment, type SegmentThresholds } from "./rules";
import { BUCKETED_RESCORE, COUNTED_RESCORE, SCORES_LOCK, SHOP_RESCORE, T } from "./rescore-sql";
import { getSegmentThresholds } from "./settings.server";

// Stores every customer's R, F, M and segment (issue 4's definition, app/segments/rfm.ts) in
// CustomerScore, from the stored aggregates (Customer.orderCount, spendMinor, discountedOrderCount,
// lastOrderAt), as of T; ShopScoring.scoredAt records T.
//
// Computed in SQL, not in JS: reading a million rows through Prisma and writing them back as JSON
// costs far more than the scoring itself. `less` (the buyers with a strictly smaller value) is a
// running count over the few distinct values of each metric, and the score is integer arithmetic,
// so the result is exactly scoreCustomers' (proved row for row in
// test/integration/segments-rescore.test.ts). One statement scores, writes only the rows whose
// scores or segment change and records the segment transitions, so a rescore is atomic and a
// retry with the same `now` writes nothing twice. Nothing stored moves with the clock alone (no
// per-row recency or time), so a nightly rescore writes only the customers who really moved.

export type RescoreDb = Pick<PrismaClient, "$queryRawUnsafe" | "shopSettings" | "$transaction">;

export interface RescoreDeps {
  prisma: RescoreDb;
  now(): Date;
  /** One line per rescore; never personal data. */
  log(line: string): void;
}

export interface RescoreShopResult {
  scoredAt: Date;
  /** all customers of the shop */
  customers: number;
  counts: Record<Segment, number>;
  /** score rows written (scores or segment changed, or never scored) */
  written: number;
  /** customers whose segment changed (one SegmentTransition each, except first scorings) */
  changed: number;
}

export interface RescoreCustomerResult {
  segment: Segment;
  /** the stored segment before; null when the customer had never been scored */
  from: Segment | null;
  /** the segment changed (never scored counts as prospect); a SegmentTransition was recorded unless `from` is null */
  changed: boolean;
}

const segment = z.enum(SEGMENTS);
const FullRow = z.object({
  counts: z.string().transform((text, ctx) => {
    const parsed = z.record(segment, z.coerce.number().int()).safeParse(JSON.parse(text));
    if (!parsed.success) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "counts per segment" });
      return z.NEVER;
    }
    return parsed.data;
  }),
  written: z.number().int(),
  moved: z.number().int(),
});
const OneRow = z.object({ id: z.string(), segment, from: segment.nullable(), changed: z.boolean() });

function params(shop: string, at: Date, t: SegmentThresholds): unknown[] {
  return [
    shop,
    at.toISOString(),
    t.lapsedAfterDays,
    t.vipMinF,
    t.vipMinM,
    t.vipMinOrders,
    String(t.priceSensitiveShare),
    t.recentWithinDays,
  ];
}

const emptyCounts = (): Record<Segment, number> => ({
  prospect: 0,
  lapsed: 0,
  vip: 0,
  price_sensitive: 0,
  recent: 0,
  regular: 0,
});

// Planner settings for the transaction of each statement. Both: no JIT. PostgreSQL compiles a
// statement whose estimated cost is high (these are: CTE estimates are blind) with LLVM; measured,
// that took 1–3 s of a 0.1 s single-customer rescore and 0.7 s of a full one.
const SHOP_SETTINGS: Record<string, string> = {
  jit: "off",
  // Hash tables in memory for the joins (a million score rows) and the materialised result.
  work_mem: "256MB",
  // The planner cannot estimate the grouped lookups and would sort a million rows for merge
  // joins with them (measured 4× slower); hash joins are what this statement needs.
  enable_mergejoin: "off",
};
const CUSTOMER_SETTINGS: Record<string, string> = {
  jit: "off",
  // Every scan of this statement has an index; without these, PGlite's planner (PostgreSQL 17)
  // builds bitmaps of a few hundred thousand rows and visits the heap for counts an index-only scan
  // answers, and PostgreSQL scans the table for `odd` (it expects a tenth of the shop there).
  enable_bitmapscan: "off",
  enable_seqscan: "off",
};

type Statement = { sql: string; params: unknown[]; settings: Record<string, string> };

/** rescoreShop's statement and settings (exported for the benchmark's EXPLAIN). */
export function rescoreShopStatement(shop: string, at: Date, t: SegmentThresholds): Statement {
  return { sql: SHOP_RESCORE, params: params(shop, at, t), settings: SHOP_SETTINGS };
}

/**
 * How a batch's customers are scored: `counted` scans, per customer, the smaller side of each
 * metric's distribution — cheapest for one or two; `bucketed` passes over the shop's buyers once per
 * metric for the whole batch. Both give exactly the full rescore's scores.
 */
export type BatchMethod = "counted" | "bucketed";
const COUNTED_UP_TO = 2;

/** rescoreCustomers' statement and settings (exported for the benchmark's EXPLAIN). */
export function rescoreCustomerStatement(
  shop: string,
  at: Date,
  t: SegmentThresholds,
  customerIds: bigint | readonly bigint[],
  method?: BatchMethod,
): Statement {
  const ids = [...new Set((typeof customerIds === "bigint" ? [customerIds] : customerIds).map(String))];
  const chosen = method ?? (ids.length <= COUNTED_UP_TO ? "counted" : "bucketed");
  return {
    sql: chosen === "counted" ? COUNTED_RESCORE : BUCKETED_RESCORE,
    params: [...params(shop, at, t), JSON.stringify(ids)],
    settings: CUSTOMER_SETTINGS,
  };
}

/**
 * SET LOCAL of each setting, in one round trip, and the shop's scores lock when given; the
 * transaction's end restores the settings and releases the lock.
 */
export async function applySettings(
  tx: Pick<PrismaClient, "$queryRawUnsafe">,
  settings: Record<string, string>,
  lock?: { shop: string; mode: "exclusive" | "shared" },
): Promise<void> {
  const entries = Object.entries(settings);
  const calls = entries.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  const params: unknown[] = entries.flat();
  if (lock) calls.push(`${SCORES_LOCK(lock.mode, `$${params.push(lock.shop)}`)} IS NULL`);
  await tx.$queryRawUnsafe(`SELECT ${calls.join(", ")}`, ...params);
}

/** The full rescore of a shop as of now (after each backfill and nightly). */
export async function rescoreShop(deps: RescoreDeps, shop: string): Promise<RescoreShopResult> {
  const started = Date.now();
  const scoredAt = deps.now();
  const thresholds = await getSegmentThresholds(deps.prisma, shop);
  const statement = rescoreShopStatement(shop, scoredAt, thresholds);
  const rows = await deps.prisma.$transaction(
    async (tx) => {
      await applySettings(tx, statement.settings, { shop, mode: "exclusive" });
      const result = await tx.$queryRawUnsafe<unknown[]>(statement.sql, ...statement.params);
      await tx.$executeRawUnsafe(
        `INSERT INTO "ShopScoring" (shop, "scoredAt") VALUES ($1, ${T})
         ON CONFLICT (shop) DO UPDATE SET "scoredAt" = excluded."scoredAt"`,
        shop,
        scoredAt.toISOString(),
      );
      return result;
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
  const row = FullRow.parse(rows[0]);
  const counts = { ...emptyCounts(), ...row.counts };
  const customers = SEGMENTS.reduce((sum, s) => sum + counts[s], 0);
  deps.log(
    `rescore ${shop}: ${customers} customers, ${row.written} rows written, ${row.moved} segment changes in ${Date.now() - started} ms`,
  );
  return { scoredAt, customers, counts, written: row.written, changed: row.moved };
}

/**
 * One customer against the shop's current distribution and thresholds (after an order or customer
 * webhook recomputed its aggregates): its segment moves at once. Null when the customer is not stored.
 */
export async function rescoreCustomer(
  deps: RescoreDeps,
  shop: string,
  customerId: bigint,
): Promise<RescoreCustomerResult | null> {
  return (await rescoreCustomers(deps, shop, [customerId])).get(customerId) ?? null;
}

/**
 * Customers of one webhook batch, each exactly as `rescoreCustomer` alone would (every count reads
 * the others' aggregates, never their scores), in one statement: at peak a batch holds hundreds.
 * Customers not stored are absent from the result.
 */
export async function rescoreCustomers(
  deps: RescoreDeps,
  shop: string,
  customerIds: readonly bigint[],
  options: { method?: BatchMethod } = {},
): Promise<Map<bigint, RescoreCustomerResult>> {
  if (customerIds.length === 0) return new Map();
  return deps.prisma.$transaction((tx) => rescoreCustomersIn(tx, shop, deps.now(), customerIds, options));
}

/**
 * rescoreCustomers inside the caller's transaction — the one that recomputed these customers'
 * aggregates, so that scores and aggregates commit (or retry) together. Its planner settings last
 * until the transaction ends: run it last.
 */
export async function rescoreCustomersIn(
  tx: Pick<PrismaClient, "$queryRawUnsafe" | "shopSettings">,
  shop: string,
  at: Date,
  customerIds: readonly bigint[],
  options: { method?: BatchMethod } = {},
): Promise<Map<bigint, RescoreCustomerResult>> {
  const results = new Map<bigint, RescoreCustomerResult>();
  if (customerIds.length === 0) return results;
  const thresholds = await getSegmentThresholds(tx, shop);
  const statement = rescoreCustomerStatement(shop, at, thresholds, customerIds, options.method);
  await applySettings(tx, statement.settings, { shop, mode: "shared" });
  const rows = await tx.$queryRawUnsafe<unknown[]>(statement.sql, ...statement.params);
  for (const raw of rows) {
    const row = OneRow.parse(raw);
    results.set(BigInt(row.id), { segment: row.segment, from: row.from, changed: row.changed });
  }
  return results;
}
