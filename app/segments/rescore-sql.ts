import { anyOfJson } from "../db/sql";

// The rescore statements (issue 4's definition, app/segments/rfm.ts) over the stored aggregates as of
// T ($2), with the thresholds as $3..$8 (see rescore.server.ts's params) and, for customers, their ids
// as a JSON array in $9. Each statement scores, writes only the score rows that change and records
// the segment transitions, so it is atomic and a retry with the same T writes nothing twice.

// T as a UTC timestamp: the columns are `timestamp(3)` holding UTC (Prisma's convention). In a
// subquery, so it is computed once: text → timestamptz is only stable, and would be parsed per row.
export const T = `(SELECT ($2::text)::timestamptz AT TIME ZONE 'UTC')`;
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
/**
 * The shop's scores lock, taken by each rescore's transaction before its statement: exclusive for the
 * full rescore, shared for customers' rescores (which may run side by side; their customers' locks
 * keep them apart). So a webhook's rescore waits for a running full rescore and never interleaves.
 */
export const SCORES_LOCK = (mode: "exclusive" | "shared", shopParam: string) =>
  `pg_advisory_xact_lock${mode === "shared" ? "_shared" : ""}(hashtextextended(${shopParam} || '/scores', 0))`;

const STORED = `s."customerId" IS NOT NULL AS was, s.r AS old_r, s.f AS old_f, s.m AS old_m, s.segment AS old_segment`;
const SCORE_JOIN = (c: string) => `LEFT JOIN "CustomerScore" s ON s.shop = $1 AND s."customerId" = ${c}.id`;

/**
 * From `scored`: writes the changed score rows and records transitions. A row a webhook's rescore
 * rewrote since it was read is left alone (that rescore saw fresher aggregates). A customer's first
 * scoring is not a transition: after an install, hundreds of thousands of customers would otherwise
 * "become lapsed" at once and set off win-back automations. Never scored reads as prospect.
 * The full rescore inserts plainly (no conflict can arise: it holds the shop's scores lock, see
 * SCORES_LOCK): a million first scorings insert ~45% faster than with ON CONFLICT's speculative
 * insertion.
 */
const write = (exclusive: boolean) => `
  target AS (SELECT sc.*, ${SEGMENT} AS segment FROM scored sc),
  changed AS (
    SELECT * FROM target WHERE NOT was OR (old_r, old_f, old_m, old_segment) IS DISTINCT FROM (r, f, m, segment)),
  inserted AS (
    INSERT INTO "CustomerScore" (shop, "customerId", r, f, m, segment)
    SELECT $1, id, r, f, m, segment FROM changed WHERE NOT was ORDER BY id
    ${exclusive ? "" : `ON CONFLICT (shop, "customerId") DO NOTHING`}
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
export const SHOP_RESCORE = `
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
  ${write(true)}
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
export const COUNTED_RESCORE = `
WITH me AS (
    SELECT c.id, c."orderCount" AS oc, c."spendMinor" AS sm, c."discountedOrderCount" AS dc, ${ACTIVE("c")} AS active,
      floor(extract(epoch FROM (${T} - c."lastOrderAt")) / 86400)::int AS rd0, ${STORED}
    FROM "Customer" c ${SCORE_JOIN("c")}
    WHERE c.shop = $1 AND c.id ${anyOfJson("$9", "bigint")}),
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
  ${write(false)}
SELECT t.id::text AS id, t.segment, CASE WHEN t.was THEN t.old_segment END AS "from",
  EXISTS (SELECT 1 FROM written w WHERE w.id = t.id AND w.moved) AS changed
FROM target t`;

// A batch of customers at once, exactly as COUNTED_RESCORE would score each, reading each of the
// shop's buyers at most once per metric whatever the batch's size. The batch's distinct values of a
// metric, sorted, are cut points; one index-only range count per gap between consecutive cut points
// (the first from the lowest value) and a running sum over the gaps give `less` at each cut point.
// R's cut point for a customer is its day key + 1 µs: another buyer's key is smaller exactly when its
// last order is at or before the customer's key; n is R's count below its highest cut point plus the
// buyers at or above it. (The running sum is cast back to bigint: sum() gives numeric, and scoreOf's
// division must truncate.) Counting one customer at a time would cost a range scan per metric per
// customer; bucketing every buyer by a binary search over the cut points (width_bucket) cost 2.5×
// these counts (516–619 against 193–224 ms for a batch of 200 at a million customers).
const lookup = (metric: string, column: string, lowest: string, oddWhere: string) => `
  ${metric}_look AS (
    SELECT g.v, (sum(k.n) OVER (ORDER BY g.i))::bigint - (SELECT count(*) FROM odd WHERE ${oddWhere}) AS less
    FROM (SELECT u.v, u.i, coalesce(lag(u.v) OVER (ORDER BY u.i), ${lowest}) AS lo
          FROM cuts, unnest(cuts.${metric}) WITH ORDINALITY AS u(v, i)) g
    CROSS JOIN LATERAL (
      SELECT count(*) AS n FROM "Customer" c
      WHERE c.shop = $1 AND c.${column} >= g.lo AND c.${column} < g.v AND c."orderCount" >= 1) k)`;

export const BUCKETED_RESCORE = `
WITH me AS (
    SELECT c.id, c."orderCount" AS oc, c."spendMinor" AS sm, c."discountedOrderCount" AS dc, ${ACTIVE("c")} AS active,
      floor(extract(epoch FROM (${T} - c."lastOrderAt")) / 86400)::int AS rd0,
      ${dayKey("c")} + interval '1 microsecond' AS rcut, ${STORED}
    FROM "Customer" c ${SCORE_JOIN("c")}
    WHERE c.shop = $1 AND c.id ${anyOfJson("$9", "bigint")}),
  cuts AS MATERIALIZED (
    SELECT array_agg(DISTINCT oc ORDER BY oc) AS f, array_agg(DISTINCT sm ORDER BY sm) AS m,
      array_agg(DISTINCT rcut ORDER BY rcut) AS r
    FROM me WHERE active),
  odd AS (SELECT c."orderCount" AS oc, c."spendMinor" AS sm FROM "Customer" c
    WHERE c.shop = $1 AND c."lastOrderAt" IS NULL AND c."orderCount" >= 1),
  ${lookup("f", `"orderCount"`, "(-2147483648)::int", "oc < g.v")},
  ${lookup("m", `"spendMinor"`, "(-9223372036854775808)::bigint", "sm < g.v")},
  ${lookup("r", `"lastOrderAt"`, "'-infinity'::timestamp", "false")},
  total AS MATERIALIZED (SELECT coalesce((SELECT max(less) FROM r_look), 0) + (SELECT count(*) FROM "Customer" c, cuts
    WHERE c.shop = $1 AND c."lastOrderAt" >= cuts.r[cardinality(cuts.r)] AND c."orderCount" >= 1) AS n),
  scored AS (
    SELECT id, oc, dc, was, old_r, old_f, old_m, old_segment, rd,
      ${scoreOf("r_less")} AS r, ${scoreOf("f_less")} AS f, ${scoreOf("m_less")} AS m
    FROM (SELECT me.*, CASE WHEN me.active THEN me.rd0 END AS rd, CASE WHEN me.active THEN total.n END AS n,
            rl.less AS r_less, fl.less AS f_less, ml.less AS m_less
          FROM me CROSS JOIN total
          LEFT JOIN f_look fl ON me.active AND fl.v = me.oc
          LEFT JOIN m_look ml ON me.active AND ml.v = me.sm
          LEFT JOIN r_look rl ON me.active AND rl.v = me.rcut) k),
  ${write(false)}
SELECT t.id::text AS id, t.segment, CASE WHEN t.was THEN t.old_segment END AS "from",
  EXISTS (SELECT 1 FROM written w WHERE w.id = t.id AND w.moved) AS changed
FROM target t`;
