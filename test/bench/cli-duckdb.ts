// The segments definition (issue 4) in DuckDB SQL, as an independent reference for the CLI:
// `less` = rank() − 1 over the metric (rank counts the rows strictly before a value, so ties share
// it; percent_rank = less / (n − 1)), computed in integers. (least() skips NULLs: prospects are
// guarded explicitly.) Writes the same CSV as the CLI.
// Amounts are read as DECIMAL(18,2): the generated stores are in USD.

import type { SegmentThresholds } from "../../app/segments/rules";

export interface DuckdbSegmentsArgs {
  customers: string;
  orders: string;
  asOf: Date;
  out: string;
  thresholds: SegmentThresholds;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** priceSensitiveShare as num/den of its decimal digits (0.5 → 5/10), so SQL compares in integers. */
function shareFraction(share: number): { num: string; den: string } {
  const [whole = "0", fraction = ""] = String(share).split(".");
  return { num: String(BigInt(whole + fraction)), den: `1${"0".repeat(fraction.length)}` };
}

export function duckdbSegmentsSql(a: DuckdbSegmentsArgs): string {
  const t = a.thresholds;
  const asOf = `TIMESTAMPTZ ${sqlString(a.asOf.toISOString())}`;
  const money = "STRUCT(shopMoney STRUCT(amount VARCHAR, currencyCode VARCHAR))";
  const share = shareFraction(t.priceSensitiveShare);
  const score = (less: string) =>
    `CASE WHEN ${less} IS NULL THEN NULL WHEN n = 1 THEN 1 ELSE least(5, 1 + (5 * ${less}) // (n - 1)) END`;
  return `
COPY (
  WITH customers AS (
    SELECT id AS customer_id, CAST(split_part(id, '/', 5) AS BIGINT) AS cid
    FROM read_json(${sqlString(a.customers)}, format = 'newline_delimited', columns = {id: 'VARCHAR'})),
  orders AS (
    SELECT CAST(split_part(customer.id, '/', 5) AS BIGINT) AS cid,
      CAST(createdAt AS TIMESTAMPTZ) AS created,
      CAST(CAST(currentTotalPriceSet.shopMoney.amount AS DECIMAL(18, 2)) * 100 AS BIGINT) AS total,
      CAST(totalDiscountsSet.shopMoney.amount AS DECIMAL(18, 2)) > 0 AS discounted
    FROM read_json(${sqlString(a.orders)}, format = 'newline_delimited', columns = {
      createdAt: 'VARCHAR', cancelledAt: 'VARCHAR', test: 'BOOLEAN', customer: 'STRUCT(id VARCHAR)',
      currentTotalPriceSet: '${money}', totalDiscountsSet: '${money}'})
    WHERE NOT test AND cancelledAt IS NULL AND customer IS NOT NULL AND CAST(createdAt AS TIMESTAMPTZ) <= ${asOf}),
  per AS (
    SELECT cid, count(*) AS frequency, sum(total) AS monetary, count(*) FILTER (WHERE discounted) AS discounted,
      (epoch_ms(${asOf}) - epoch_ms(max(created))) // 86400000 AS recency_days
    FROM orders GROUP BY cid),
  base AS (
    SELECT c.customer_id, p.recency_days, coalesce(p.frequency, 0) AS frequency, coalesce(p.monetary, 0) AS monetary,
      coalesce(p.discounted, 0) AS discounted
    FROM customers c LEFT JOIN per p USING (cid)),
  ranked AS (
    SELECT customer_id, count(*) OVER () AS n,
      rank() OVER (ORDER BY -recency_days) - 1 AS less_r,
      rank() OVER (ORDER BY frequency) - 1 AS less_f,
      rank() OVER (ORDER BY monetary) - 1 AS less_m
    FROM base WHERE frequency > 0),
  scored AS (
    SELECT b.*, ${score("less_r")} AS r, ${score("less_f")} AS f, ${score("less_m")} AS m
    FROM base b LEFT JOIN ranked USING (customer_id))
  SELECT customer_id, recency_days, frequency,
    printf('%d.%02d', monetary // 100, monetary % 100) AS monetary,
    r, f, m,
    CASE WHEN frequency > 0 THEN
      printf('%d.%04d', ((discounted * 20000 + frequency) // (2 * frequency)) // 10000, ((discounted * 20000 + frequency) // (2 * frequency)) % 10000)
    END AS discount_share,
    CASE
      WHEN frequency = 0 THEN 'prospect'
      WHEN recency_days > ${t.lapsedAfterDays} THEN 'lapsed'
      WHEN f >= ${t.vipMinF} AND m >= ${t.vipMinM} AND frequency >= ${t.vipMinOrders} THEN 'vip'
      WHEN discounted * ${share.den} >= ${share.num} * frequency THEN 'price_sensitive'
      WHEN recency_days <= ${t.recentWithinDays} THEN 'recent'
      ELSE 'regular'
    END AS segment
  FROM scored
  ORDER BY customer_id
) TO ${sqlString(a.out)} (FORMAT csv, HEADER true, DELIMITER ',')`;
}

/** Runs the SQL into `a.out`; returns the seconds DuckDB took. */
export async function duckdbSegmentsCsv(a: DuckdbSegmentsArgs): Promise<number> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const started = performance.now();
    await connection.run(duckdbSegmentsSql(a));
    return (performance.now() - started) / 1000;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
