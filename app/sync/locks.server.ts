import type { Db } from "./store.server";

/**
 * Serialises concurrent workers touching the same order or customer (transaction-scoped advisory
 * locks, taken in sorted order so two workers cannot deadlock). Without it, two order events of
 * one customer processed at once could each recompute aggregates before seeing the other's order.
 */
export async function lock(tx: Db, shop: string, kind: "order" | "customer", ids: bigint[]): Promise<void> {
  if (ids.length === 0) return;
  const keys = [...new Set(ids.map((id) => `${shop}/${kind}/${id}`))].sort();
  // The sorted subquery fixes the order in which the outer projection takes the locks.
  await tx.$queryRawUnsafe(
    `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))::int AS n
     FROM (SELECT k FROM jsonb_array_elements_text($1::jsonb) AS k ORDER BY k COLLATE "C") AS sorted`,
    JSON.stringify(keys),
  );
}
