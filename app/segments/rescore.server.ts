import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { SEGMENTS, type Segment, type SegmentThresholds } from "./rules";
import { getSegmentThresholds } from "./settings.server";

// Stores every customer's R, F, M, recency and segment (issue 4's definition, app/segments/rfm.ts)
// from the stored aggregates (Customer.orderCount, spendMinor, discountedOrderCount, lastOrderAt).
//
// Computed in SQL, not in JS: reading a million rows through Prisma and writing them back as JSON
// costs far more than the scoring itself. rank() − 1 over a metric is `less` (the customers with a
// strictly smaller value), and the score is integer arithmetic, so the result is exactly
// scoreCustomers' (proved row for row in test/integration/segments-rescore.test.ts). One statement
// scores, writes only the rows whose values change and records the segment transitions, so a
// rescore is atomic and a retry with the same `now` writes nothing twice.

export type RescoreDb = Pick<PrismaClient, "$queryRawUnsafe" | "shopSettings">;
export type RescoreShopDb = RescoreDb & Pick<PrismaClient, "$transaction">;

export interface RescoreDeps<Db extends RescoreDb = RescoreDb> {
  prisma: Db;
  now(): Date;
  /** One line per rescore; never personal data. */
  log(line: string): void;
}

export interface RescoreShopResult {
  scoredAt: Date;
  /** all customers of the shop */
  customers: number;
  counts: Record<Segment, number>;
  /** rows written (any of recency, scores or segment changed, or never scored) */
  written: number;
  /** customers whose stored segment changed (one SegmentTransition each, except first scorings) */
  changed: number;
}

export interface RescoreCustomerResult {
  segment: Segment;
  /** the stored segment before; null when the customer had never been scored */
  from: Segment | null;
  /** the stored segment changed; a SegmentTransition was recorded unless `from` is null */
  changed: boolean;
}

// T as a UTC timestamp: the columns are `timestamp(3)` holding UTC (Prisma's convention).
const T = `(($2::text)::timestamptz AT TIME ZONE 'UTC')`;
const recencyOf = (column: string) => `floor(extract(epoch FROM (${T} - ${column})) / 86400)::int`;
// min(5, 1 + ⌊5·less/(n−1)⌋), 1 when n = 1; bigint division truncates, and less ≥ 0.
const scoreOf = (less: string) => `(CASE WHEN n <= 1 THEN 1 ELSE least(5, 1 + (5 * ${less}) / (n - 1)) END)::int`;
const ACTIVE = `"orderCount" >= 1 AND "lastOrderAt" IS NOT NULL`;
const CURRENT = `id, "orderCount" AS oc, "spendMinor" AS sm, "discountedOrderCount" AS dc, "lastOrderAt" AS last,
  segment AS old_segment, "recencyDays" AS old_rd, "rScore" AS old_r, "fScore" AS old_f, "mScore" AS old_m, "scoredAt" AS old_at`;

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

/**
 * From `scored` (current values + new rd/r/f/m): writes the changed rows and records transitions.
 * A row a webhook changed since it was read (aggregates or segment differ) is left to that
 * webhook's own rescore, so a full rescore never overwrites a fresher result with a stale one.
 * A customer's first scoring is not a transition: after an install, hundreds of thousands of
 * customers would otherwise "become lapsed" at once and set off win-back automations.
 */
const WRITE = `
  target AS (SELECT s.*, ${SEGMENT} AS segment FROM scored s),
  changed AS (
    SELECT * FROM target
    WHERE old_at IS NULL OR (old_rd, old_r, old_f, old_m, old_segment) IS DISTINCT FROM (rd, r, f, m, segment)),
  written AS (
    UPDATE "Customer" c SET "recencyDays" = ch.rd, "rScore" = ch.r, "fScore" = ch.f, "mScore" = ch.m,
      segment = ch.segment, "scoredAt" = ${T}
    FROM changed ch
    WHERE c.shop = $1 AND c.id = ch.id AND c.segment = ch.old_segment AND c."orderCount" = ch.oc
      AND c."spendMinor" = ch.sm AND c."discountedOrderCount" = ch.dc AND c."lastOrderAt" IS NOT DISTINCT FROM ch.last
    RETURNING c.id, ch.segment <> ch.old_segment AS moved),
  moved AS (
    INSERT INTO "SegmentTransition" (id, shop, "customerId", "fromSegment", "toSegment", at)
    SELECT encode(sha256(convert_to(concat_ws('|', $1, ch.id::text, ch.old_segment, ch.segment, $2::text), 'UTF8')), 'hex'),
      $1, ch.id, ch.old_segment, ch.segment, ${T}
    FROM changed ch JOIN written w ON w.id = ch.id
    WHERE ch.old_at IS NOT NULL AND ch.segment <> ch.old_segment
    ON CONFLICT (id) DO NOTHING
    RETURNING 1)`;

const FULL_RESCORE = `
WITH active AS (
    SELECT ${CURRENT}, ${recencyOf(`"lastOrderAt"`)} AS rd FROM "Customer" WHERE shop = $1 AND ${ACTIVE}),
  ranked AS (
    SELECT a.*, count(*) OVER () AS n,
      rank() OVER (ORDER BY rd DESC) - 1 AS r_less,
      rank() OVER (ORDER BY oc) - 1 AS f_less,
      rank() OVER (ORDER BY sm) - 1 AS m_less
    FROM active a),
  scored AS (
    SELECT id, oc, sm, dc, last, old_segment, old_rd, old_r, old_f, old_m, old_at, rd,
      ${scoreOf("r_less")} AS r, ${scoreOf("f_less")} AS f, ${scoreOf("m_less")} AS m
    FROM ranked
    UNION ALL
    SELECT ${CURRENT}, NULL::int, NULL::int, NULL::int, NULL::int FROM "Customer" WHERE shop = $1 AND NOT (${ACTIVE})),
  ${WRITE}
SELECT (SELECT coalesce(json_object_agg(segment, k), '{}'::json)::text
          FROM (SELECT segment, count(*) AS k FROM target GROUP BY segment) g) AS counts,
  (SELECT count(*) FROM written)::int AS written,
  (SELECT count(*) FILTER (WHERE moved) FROM written)::int AS moved`;

// Others' values as of T from their stored aggregates: `less` per metric is a COUNT. R compares
// recency_days; "their recency > mine" is "their last order ≤ T − (mine + 1) days".
const ONE_RESCORE = `
WITH me AS (
    SELECT ${CURRENT}, (${ACTIVE}) AS active, ${recencyOf(`"lastOrderAt"`)} AS rd0
    FROM "Customer" WHERE shop = $1 AND id = ($9::text)::bigint),
  dist AS (
    SELECT count(*) AS n,
      count(*) FILTER (WHERE c."lastOrderAt" <= ${T} - (me.rd0 + 1) * interval '86400 seconds') AS r_less,
      count(*) FILTER (WHERE c."orderCount" < me.oc) AS f_less,
      count(*) FILTER (WHERE c."spendMinor" < me.sm) AS m_less
    FROM "Customer" c, me
    WHERE me.active AND c.shop = $1 AND c."orderCount" >= 1 AND c."lastOrderAt" IS NOT NULL),
  scored AS (
    SELECT id, oc, sm, dc, last, old_segment, old_rd, old_r, old_f, old_m, old_at,
      CASE WHEN active THEN rd0 END AS rd,
      CASE WHEN active THEN ${scoreOf("r_less")} END AS r,
      CASE WHEN active THEN ${scoreOf("f_less")} END AS f,
      CASE WHEN active THEN ${scoreOf("m_less")} END AS m
    FROM me CROSS JOIN dist),
  ${WRITE}
SELECT t.segment, CASE WHEN t.old_at IS NULL THEN NULL ELSE t.old_segment END AS "from",
  EXISTS (SELECT 1 FROM written WHERE moved) AS changed
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
const OneRow = z.object({ segment, from: segment.nullable(), changed: z.boolean() });

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

/** The full rescore of a shop as of now (after each backfill and nightly). */
export async function rescoreShop(deps: RescoreDeps<RescoreShopDb>, shop: string): Promise<RescoreShopResult> {
  const started = Date.now();
  const scoredAt = deps.now();
  const thresholds = await getSegmentThresholds(deps.prisma, shop);
  const rows = await deps.prisma.$transaction(
    async (tx) => {
      // Three sorts of up to a million rows: in memory they take a third of the time of on disk.
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '256MB'`);
      return tx.$queryRawUnsafe<unknown[]>(FULL_RESCORE, ...params(shop, scoredAt, thresholds));
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
  const thresholds = await getSegmentThresholds(deps.prisma, shop);
  const rows = await deps.prisma.$queryRawUnsafe<unknown[]>(
    ONE_RESCORE,
    ...params(shop, deps.now(), thresholds),
    customerId.toString(),
  );
  if (rows.length === 0) return null;
  const row = OneRow.parse(rows[0]);
  return { segment: row.segment, from: row.from, changed: row.changed };
}
