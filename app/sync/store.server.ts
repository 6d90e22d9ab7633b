import type { PrismaClient } from "@prisma/client";
import { anyOfJson } from "../db/sql";
import { notRedacted } from "./compliance/redaction-sql";
import { CUSTOMER_RECORD, ORDER_RECORD, upsertCustomersSql, upsertOrdersSql } from "./store-sql";
import { customersJson, ordersJson } from "./row-json";
import { lineItemsJson } from "./checkouts/checkout";
import type { CheckoutRow, CustomerRow, OrderRow } from "./rows";

// Batched writes of synced records. Each batch goes to the database as ONE JSON parameter expanded
// by jsonb_to_recordset: the same statement on PGlite and PostgreSQL, no parameter limits, and
// far fewer round trips than row-by-row upserts. A stored row is only replaced by a version that
// Shopify updated at the same time or later, so a stale or redelivered event never wins; and no
// version from before a customers/redact of its customer is written at all (CustomerRedaction).

export type Db = Pick<PrismaClient, "$executeRawUnsafe" | "$queryRawUnsafe">;

/**
 * What a batched write needs: Prisma (a client or a transaction), or the backfill's own connection
 * pool (`bulkWriter` in db.server.ts), which sends megabyte parameters without Prisma's engine.
 */
export interface Executor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

export const json = (rows: unknown[]) =>
  JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));

export interface UpsertCustomersOptions {
  /**
   * Write each customer's aggregates from the stored orders with the row (the backfill loads the
   * orders file first): no second pass rewrites every buyer and its index entries.
   */
  withAggregates?: boolean;
}

export async function upsertCustomers(
  db: Executor,
  shop: string,
  rows: CustomerRow[],
  options: UpsertCustomersOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const agg = options.withAggregates === true;
  // Webhook payloads lack timeZone and rfmGroup; a batch either carries both or neither.
  const carriesProfile = rows[0]?.timeZone !== undefined;
  if (
    rows.some(
      (row) =>
        (row.timeZone !== undefined) !== carriesProfile || (row.rfmGroup !== undefined) !== carriesProfile,
    )
  ) {
    throw new Error(
      "upsertCustomers: a batch must come from one source (all with timeZone/rfmGroup, or none)",
    );
  }
  return db.$executeRawUnsafe(
    upsertCustomersSql({
      source: `jsonb_to_recordset($2::jsonb) AS r(${CUSTOMER_RECORD})`,
      aggregates: agg ? "lateral" : "none",
      carriesProfile: "$3",
    }),
    shop,
    customersJson(rows),
    carriesProfile,
  );
}

/**
 * Orders whose source carries line items replace the stored products; the others (reconciliation)
 * keep them: at most two statements, one per kind.
 */
export async function upsertOrders(db: Executor, shop: string, rows: OrderRow[]): Promise<number> {
  const withProducts = rows.filter((row) => row.productIds !== undefined);
  const without = rows.filter((row) => row.productIds === undefined);
  return (await writeOrders(db, shop, withProducts, true)) + (await writeOrders(db, shop, without, false));
}

async function writeOrders(
  db: Executor,
  shop: string,
  rows: OrderRow[],
  carriesProducts: boolean,
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(
    upsertOrdersSql({ source: `jsonb_to_recordset($2::jsonb) AS r(${ORDER_RECORD})`, carriesProducts: "$3" }),
    shop,
    ordersJson(rows),
    carriesProducts,
  );
}

/**
 * Adds products to stored orders (a bulk file's line items found away from their order): a union,
 * so it errs on the side of "bought", never recommending an order's product again.
 */
export async function addOrderProducts(
  db: Executor,
  shop: string,
  products: Map<bigint, bigint[]>,
): Promise<number> {
  if (products.size === 0) return 0;
  const rows = [...products].map(([id, productIds]) => ({ id, productIds }));
  return db.$executeRawUnsafe(
    `UPDATE "Order" o SET "productIds" = (SELECT array_agg(DISTINCT x ORDER BY x) FROM unnest(o."productIds" || r."productIds") AS x)
     FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, "productIds" bigint[])
     WHERE o.shop = $1 AND o.id = r.id`,
    shop,
    json(rows),
  );
}

/**
 * Checkouts, stale-safe like orders. Rows whose source carries line items replace the stored ones;
 * the others keep them: at most two statements, one per kind.
 */
export async function upsertCheckouts(db: Executor, shop: string, rows: CheckoutRow[]): Promise<number> {
  const withItems = rows.filter((row) => row.lineItems !== undefined);
  const without = rows.filter((row) => row.lineItems === undefined);
  return (await writeCheckouts(db, shop, withItems, true)) + (await writeCheckouts(db, shop, without, false));
}

async function writeCheckouts(db: Executor, shop: string, rows: CheckoutRow[], carriesItems: boolean): Promise<number> {
  if (rows.length === 0) return 0;
  const batch = rows.map(({ lineItems, ...row }) => ({ ...row, lineItems: lineItemsJson(lineItems ?? []) }));
  return db.$executeRawUnsafe(
    `INSERT INTO "Checkout" AS k (shop, id, token, "customerId", email, phone, "shopifyCreatedAt", "shopifyUpdatedAt",
       "completedAt", "totalMinor", "currencyCode", "recoveryUrl", "lineItems", "syncedAt")
     SELECT DISTINCT ON (r.id) $1, r.id, r.token, r."customerId", r.email, r.phone, r."shopifyCreatedAt",
       r."shopifyUpdatedAt", r."completedAt", r."totalMinor", r."currencyCode", r."recoveryUrl", r."lineItems", now()
     FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, token text, "customerId" bigint, email text, phone text,
       "shopifyCreatedAt" timestamptz, "shopifyUpdatedAt" timestamptz, "completedAt" timestamptz, "totalMinor" bigint,
       "currencyCode" text, "recoveryUrl" text, "lineItems" jsonb)
     WHERE ${notRedacted({ shop: "$1", customerColumn: `r."customerId"`, updatedAt: `(r."shopifyUpdatedAt" AT TIME ZONE 'UTC')` })}
     ORDER BY r.id, r."shopifyUpdatedAt" DESC
     ON CONFLICT (shop, id) DO UPDATE SET
       token = excluded.token, "customerId" = excluded."customerId", email = excluded.email, phone = excluded.phone,
       "shopifyUpdatedAt" = excluded."shopifyUpdatedAt", "completedAt" = excluded."completedAt",
       "totalMinor" = excluded."totalMinor", "currencyCode" = excluded."currencyCode",
       "recoveryUrl" = excluded."recoveryUrl",
       "lineItems" = CASE WHEN $3 THEN excluded."lineItems" ELSE k."lineItems" END,
       "syncedAt" = now()
     WHERE k."shopifyUpdatedAt" <= excluded."shopifyUpdatedAt"`,
    shop,
    json(batch),
    carriesItems,
  );
}

/** The customers whose aggregates an order batch may change: the orders' current and previous owners. */
export async function ownersOfOrders(db: Db, shop: string, orderIds: bigint[]): Promise<bigint[]> {
  if (orderIds.length === 0) return [];
  const rows = await db.$queryRawUnsafe<Array<{ customerId: bigint | null }>>(
    `SELECT "customerId" FROM "Order" WHERE shop = $1 AND id ${anyOfJson("$2", "bigint")}`,
    shop,
    json(orderIds),
  );
  return rows.flatMap((row) => (row.customerId === null ? [] : [BigInt(row.customerId)]));
}

/**
 * Recomputes customers' aggregates from their stored orders (all of the shop's customers when no
 * ids are given). Recomputing rather than incrementing is what makes the result equal a full
 * backfill whatever order events arrived in. Only rows whose values change are written.
 */
export async function recomputeAggregates(db: Db, shop: string, customerIds?: bigint[]): Promise<number> {
  if (customerIds && customerIds.length === 0) return 0;
  const only = (column: string) => (customerIds ? `AND ${column} ${anyOfJson("$2", "bigint")}` : "");
  const params: unknown[] = customerIds ? [shop, json(customerIds)] : [shop];
  return db.$executeRawUnsafe(
    `WITH agg AS (
       SELECT "customerId" AS id, count(*)::int AS n, sum("totalMinor")::bigint AS spend,
         (count(*) FILTER (WHERE "discountMinor" > 0))::int AS discounted,
         min("shopifyCreatedAt") AS first, max("shopifyCreatedAt") AS last
       FROM "Order"
       WHERE shop = $1 AND "customerId" IS NOT NULL AND NOT test AND "cancelledAt" IS NULL ${only(`"customerId"`)}
       GROUP BY "customerId"),
     target AS (
       SELECT cu.id, coalesce(agg.n, 0) AS n, coalesce(agg.spend, 0) AS spend, coalesce(agg.discounted, 0) AS discounted,
         agg.first, agg.last
       FROM "Customer" cu LEFT JOIN agg ON agg.id = cu.id
       WHERE cu.shop = $1 ${only("cu.id")})
     UPDATE "Customer" c SET "orderCount" = t.n, "spendMinor" = t.spend, "discountedOrderCount" = t.discounted,
       "firstOrderAt" = t.first, "lastOrderAt" = t.last
     FROM target t
     WHERE c.shop = $1 AND c.id = t.id ${only("c.id")} AND (c."orderCount", c."spendMinor", c."discountedOrderCount", c."firstOrderAt", c."lastOrderAt")
       IS DISTINCT FROM (t.n, t.spend, t.discounted, t.first, t.last)`,
    ...params,
  );
}
