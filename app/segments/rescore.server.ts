import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { SEGMENTS, type Segment, type SegmentThresholds } from "./rules";
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

// T as a UTC timestamp: the columns are `timestamp(3)` holding UTC (Prisma's convention). In a
// subquery, so it is computed once: text → timestamptz is only stable, and would be parsed per row.
const T = `(SELECT ($2::text)::timestamptz AT TIME ZONE 'UTC')`;
// min(5, 1 + ⌊5·less/(n−1)⌋), 1 when n = 1; bigint division truncates, and less ≥ 0. Null when n
// is null (no buyer counted): least() would skip the null and say 5.
const scoreOf = (less: string) =>
  `(CASE WHEN n <= 1 THEN 1 WHEN n > 1 THEN least(5, 1 + (5 * (${less})) / (n - 1)) END)::int`;
// A buyer as scoreCustomers has it: orders but no last order date is inconsistent, hence a prospect.
const ACTIVE = (c: string) => `(${c}."orderCount" >= 1 AND ${c}."lastOrderAt" IS NOT NULL)`;
// recency_days = ⌊(T − last)/day⌋ = (T − key)/day − 1 for key = date_bin(day, last − 1 µs, T): the start
// of the day-long bin aligned on T that holds the instant just before the last order (timestamps are
// whole µs). A later key is a smaller recency, so R's `less` counts the buyers with a smaller key.
const dayKey = (c: string) => `date_bin('1 day', ${c}."lastOrderAt" - interval '1 microsecond', ${T})`;

/**
 * The rules of rules.ts/segmentFor over a `scored` relation (r null = prospect). The share is
 * compared as the exact decimal it prints as, like discountShareAtLeast.
 */
const SEGMENT = `CASE
    WHEN r IS NULL THEN 'prospect'
    WHEN rd > $3::int THEN 'lapsed'
    WHEN f >= $4::int AND m >= $5::int AND oc >= $6::int THEN 'vip'
    WHEN dc::numeric >= ($7::text)::numeric * oc THEN 'price_sensitive'
    WHEN rd <= $8::int THEN 'recent'
    ELSE 'regular'
  END`;

// What `scored` carries besides the new rd, r, f, m: the aggregates the rules read and the stored row.
const STORED = `s."customerId" IS NOT NULL AS was, s.r AS old_r, s.f AS old_f, s.m AS old_m, s.segment AS old_segment`;
const SCORE_JOIN = (c: string) => `LEFT JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = ${c}.id`;

/**
 * From `scored`: writes the changed score rows and records transitions. A row a webhook's rescore
 * rewrote since it was read is left alone (that rescore saw fresher aggregates). A customer's first
 * scoring is not a transition: after an install, hundreds of thousands of customers would otherwise
 * "become lapsed" at once and set off win-back automations. Never scored reads as prospect.
 */
const WRITE = `
  target AS (SELECT sc.*, ${SEGMENT} AS segment FROM scored sc),
  changed AS (
    SELECT * FROM target WHERE NOT was OR (old_r, old_f, old_m, old_segment) IS DISTINCT FROM (r, f, m, segment)),
  inserted AS (
    INSERT INTO "CustomerScore" (shop, "customerId", r, f, m, segment)
    SELECT $1, id, r, f, m, segment FROM changed WHERE NOT was
    ON CONFLICT (shop, "customerId") DO NOTHING
    RETURNING "customerId" AS id, segment <> 'prospect' AS moved),
  updated AS (
    UPDATE "CustomerScore" s SET r = ch.r, f = ch.f, m = ch.m, segment = ch.segment
    FROM changed ch
    WHERE ch.was AND s.shop = $1 AND s."customerId" = ch.id
      AND (s.r, s.f, s.m, s.segment) IS NOT DISTINCT FROM (ch.old_r, ch.old_f, ch.old_m, ch.old_segment)
    RETURNING s."customerId" AS id, ch.segment <> ch.old_segment AS moved),
  transitions AS (
    INSERT INTO "SegmentTransition" (id, shop, "customerId", "fromSegment", "toSegment", at)
    SELECT encode(sha256(convert_to(concat_ws('|', $1, ch.id::text, ch.old_segment, ch.segment, $2::text), 'UTF8')), 'hex'),
      $1, ch.id, ch.old_segment, ch.segment, ${T}
    FROM changed ch JOIN updated u ON u.id = ch.id
    WHERE u.moved
    ON CONFLICT (id) DO NOTHING
    RETURNING 1),
  written AS (SELECT * FROM inserted UNION ALL SELECT * FROM updated)`;

// One pass over the buyers counts each distinct value of each metric (a few thousand groups at most:
// days, order counts, spends); a running sum over them is `less`. The customers then look their
// scores up by value.
const FULL_RESCORE = `
WITH dist AS (
    SELECT GROUPING(rk, oc, sm) AS g, rk, oc, sm, count(*) AS k
    FROM (SELECT ${dayKey("c")} AS rk, c."orderCount" AS oc, c."spendMinor" AS sm
          FROM "Customer" c WHERE c.shop = $1 AND ${ACTIVE("c")}) buyers
    GROUP BY GROUPING SETS ((rk), (oc), (sm))),
  total AS (SELECT coalesce(sum(k), 0)::bigint AS n FROM dist WHERE g = 3),
  by_day AS (
    SELECT rk, (extract(epoch FROM (${T} - rk)) / 86400)::int - 1 AS rd, ${scoreOf("(sum(k) OVER (ORDER BY rk))::bigint - k")} AS r
    FROM dist, total WHERE g = 3),
  by_orders AS (SELECT oc, ${scoreOf("(sum(k) OVER (ORDER BY oc))::bigint - k")} AS f FROM dist, total WHERE g = 5),
  by_spend AS (SELECT sm, ${scoreOf("(sum(k) OVER (ORDER BY sm))::bigint - k")} AS m FROM dist, total WHERE g = 6),
  scored AS (
    SELECT c.id, c."orderCount" AS oc, c."discountedOrderCount" AS dc, d.rd, d.r, o.f, p.m, ${STORED}
    FROM "Customer" c
    LEFT JOIN by_day d ON ${ACTIVE("c")} AND d.rk = ${dayKey("c")}
    LEFT JOIN by_orders o ON ${ACTIVE("c")} AND o.oc = c."orderCount"
    LEFT JOIN by_spend p ON ${ACTIVE("c")} AND p.sm = c."spendMinor"
    ${SCORE_JOIN("c")}
    WHERE c.shop = $1),
  ${WRITE}
SELECT (SELECT coalesce(json_object_agg(segment, k), '{}'::json)::text
          FROM (SELECT segment, count(*) AS k FROM target GROUP BY segment) g) AS counts,
  (SELECT count(*) FROM written)::int AS written,
  (SELECT count(*) FILTER (WHERE moved) FROM written)::int AS moved`;

// One customer against the others' stored aggregates as of T: `less` per metric is a count, each an
// index-only scan of ("shop", metric, "orderCount"), and n comes with F's (below + the rest). M and R
// count whichever side of the customer is likely smaller (by its stored score; for R also: a recent
// buyer, as after an order, has few buyers more recent): less = n − the rest.
// Buyers without a last order date (`odd`, inconsistent aggregates; normally none) are no buyers.
// "Their recency > mine" is "their last order ≤ T − (mine + 1) days". The counts are MATERIALIZED
// so that each runs once, not once per place n or a `less` is used.
const cutoffOf = (me: string) => `${T} - (${me}.rd0 + 1) * interval '1 day'`;
const countOf = (where: string) => `(SELECT count(*) FROM "Customer" c WHERE c.shop = $1 AND ${where})`;
const oddOf = (where: string) => `(SELECT count(*) FROM odd WHERE ${where})`;
const ONE_RESCORE = `
WITH me AS (
    SELECT c.id, c."orderCount" AS oc, c."spendMinor" AS sm, c."discountedOrderCount" AS dc, ${ACTIVE("c")} AS active,
      floor(extract(epoch FROM (${T} - c."lastOrderAt")) / 86400)::int AS rd0, ${STORED}
    FROM (SELECT DISTINCT x::bigint AS id FROM jsonb_array_elements_text($9::jsonb) AS x) wanted
    JOIN "Customer" c ON c.shop = $1 AND c.id = wanted.id
    ${SCORE_JOIN("c")}),
  odd AS (SELECT c."orderCount" AS oc, c."spendMinor" AS sm FROM "Customer" c
    WHERE c.shop = $1 AND c."lastOrderAt" IS NULL AND c."orderCount" >= 1),
  f_counts AS MATERIALIZED (
    SELECT me.*,
      ${countOf(`c."orderCount" >= 1 AND c."orderCount" < me.oc`)} - ${oddOf("oc < me.oc")} AS f_less,
      ${countOf(`c."orderCount" >= me.oc`)} - ${oddOf("oc >= me.oc")} AS f_rest
    FROM me WHERE me.active),
  counts AS MATERIALIZED (
    SELECT f.*, f_less + f_rest AS n,
      CASE WHEN coalesce(old_m, 1) <= 3
        THEN ${countOf(`c."spendMinor" < f.sm AND c."orderCount" >= 1`)} - ${oddOf("sm < f.sm")}
        ELSE f_less + f_rest - (${countOf(`c."spendMinor" >= f.sm AND c."orderCount" >= 1`)} - ${oddOf("sm >= f.sm")})
      END AS m_less,
      CASE WHEN coalesce(old_r, 1) <= 3 AND rd0 > $8::int
        THEN ${countOf(`c."lastOrderAt" <= ${cutoffOf("f")} AND c."orderCount" >= 1`)}
        ELSE f_less + f_rest - ${countOf(`c."lastOrderAt" > ${cutoffOf("f")} AND c."orderCount" >= 1`)}
      END AS r_less
    FROM f_counts f),
  scored AS (
    SELECT me.id, me.oc, me.dc, me.was, me.old_r, me.old_f, me.old_m, me.old_segment,
      k.rd0 AS rd, ${scoreOf("k.r_less")} AS r, ${scoreOf("k.f_less")} AS f, ${scoreOf("k.m_less")} AS m
    FROM me LEFT JOIN counts k ON k.id = me.id),
  ${WRITE}
SELECT t.id::text AS id, t.segment, CASE WHEN t.was THEN t.old_segment END AS "from",
  EXISTS (SELECT 1 FROM written w WHERE w.id = t.id AND w.moved) AS changed
FROM target t`;

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
  return { sql: FULL_RESCORE, params: params(shop, at, t), settings: SHOP_SETTINGS };
}

/** rescoreCustomers' statement and settings (exported for the benchmark's EXPLAIN). */
export function rescoreCustomerStatement(
  shop: string,
  at: Date,
  t: SegmentThresholds,
  customerIds: bigint | readonly bigint[],
): Statement {
  const ids = (typeof customerIds === "bigint" ? [customerIds] : customerIds).map(String);
  return {
    sql: ONE_RESCORE,
    params: [...params(shop, at, t), JSON.stringify(ids)],
    settings: CUSTOMER_SETTINGS,
  };
}

/** SET LOCAL of each setting, in one round trip; the transaction's end restores them. */
export async function applySettings(
  tx: Pick<PrismaClient, "$queryRawUnsafe">,
  settings: Record<string, string>,
): Promise<void> {
  const entries = Object.entries(settings);
  const calls = entries.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  await tx.$queryRawUnsafe(`SELECT ${calls.join(", ")}`, ...entries.flat());
}

/** The full rescore of a shop as of now (after each backfill and nightly). */
export async function rescoreShop(deps: RescoreDeps, shop: string): Promise<RescoreShopResult> {
  const started = Date.now();
  const scoredAt = deps.now();
  const thresholds = await getSegmentThresholds(deps.prisma, shop);
  const statement = rescoreShopStatement(shop, scoredAt, thresholds);
  const rows = await deps.prisma.$transaction(
    async (tx) => {
      await applySettings(tx, statement.settings);
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
): Promise<Map<bigint, RescoreCustomerResult>> {
  const results = new Map<bigint, RescoreCustomerResult>();
  if (customerIds.length === 0) return results;
  const thresholds = await getSegmentThresholds(deps.prisma, shop);
  const statement = rescoreCustomerStatement(shop, deps.now(), thresholds, [...new Set(customerIds)]);
  const rows = await deps.prisma.$transaction(async (tx) => {
    await applySettings(tx, statement.settings);
    return tx.$queryRawUnsafe<unknown[]>(statement.sql, ...statement.params);
  });
  for (const raw of rows) {
    const row = OneRow.parse(raw);
    results.set(BigInt(row.id), { segment: row.segment, from: row.from, changed: row.changed });
  }
  return results;
}
