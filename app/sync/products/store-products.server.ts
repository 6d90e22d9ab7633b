import type { ProductRow } from "../rows";
import { json, type Db, type Executor } from "../store.server";

// The catalogue's writes, batched and stale-safe like the other synced records (store.server.ts):
// one JSON parameter per batch, and a stored product is replaced only by a version Shopify updated at
// the same time or later. A deleted product becomes a tombstone that no later write revives.

/** Rows whose source says whether stock is tracked replace it; the others keep the stored value. */
export async function upsertProducts(db: Executor, shop: string, rows: ProductRow[]): Promise<number> {
  const known = rows.filter((row) => row.tracksInventory !== undefined);
  const unknown = rows.filter((row) => row.tracksInventory === undefined);
  return (await writeProducts(db, shop, known, true)) + (await writeProducts(db, shop, unknown, false));
}

async function writeProducts(
  db: Executor,
  shop: string,
  rows: ProductRow[],
  carriesTracking: boolean,
): Promise<number> {
  if (rows.length === 0) return 0;
  // A row without variant ids (undefined) says nothing of its variants: stored as not known, since
  // the ids kept from an older version could name a variant sold out since.
  const batch = rows.map((row) => ({ ...row, variantsKnown: row.availableVariantIds !== undefined }));
  return db.$executeRawUnsafe(
    `INSERT INTO "Product" AS p (shop, id, title, handle, "productType", tags, status, "publishedAt", "priceMinor",
       "currencyCode", "imageUrl", "inStock", "tracksInventory", "availableVariantIds", "variantsKnown",
       "shopifyUpdatedAt", "syncedAt")
     SELECT DISTINCT ON (r.id) $1, r.id, r.title, r.handle, r."productType", coalesce(r.tags, '{}'), r.status,
       r."publishedAt", r."priceMinor", r."currencyCode", r."imageUrl", r."inStock", coalesce(r."tracksInventory", true),
       coalesce(r."availableVariantIds", '{}'), r."variantsKnown", r."shopifyUpdatedAt", now()
     FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, title text, handle text, "productType" text, tags text[],
       status text, "publishedAt" timestamptz, "priceMinor" bigint, "currencyCode" text, "imageUrl" text,
       "inStock" boolean, "tracksInventory" boolean, "availableVariantIds" bigint[], "variantsKnown" boolean,
       "shopifyUpdatedAt" timestamptz)
     ORDER BY r.id, r."shopifyUpdatedAt" DESC
     ON CONFLICT (shop, id) DO UPDATE SET
       title = excluded.title, handle = excluded.handle, "productType" = excluded."productType", tags = excluded.tags,
       status = excluded.status, "publishedAt" = excluded."publishedAt", "priceMinor" = excluded."priceMinor",
       "currencyCode" = excluded."currencyCode", "imageUrl" = excluded."imageUrl", "inStock" = excluded."inStock",
       "tracksInventory" = CASE WHEN $3 THEN excluded."tracksInventory" ELSE p."tracksInventory" END,
       "availableVariantIds" = excluded."availableVariantIds", "variantsKnown" = excluded."variantsKnown",
       "shopifyUpdatedAt" = excluded."shopifyUpdatedAt", "syncedAt" = now()
     WHERE p."deletedAt" IS NULL AND p."shopifyUpdatedAt" <= excluded."shopifyUpdatedAt"`,
    shop,
    json(batch),
    carriesTracking,
  );
}

/**
 * products/delete: the product becomes a tombstone (or one is made, when the delete arrives before
 * the product), never sellable again. Its sales count stays for nobody: the row shows nothing.
 */
export async function markProductDeleted(db: Db, shop: string, id: bigint): Promise<number> {
  return db.$executeRawUnsafe(
    `INSERT INTO "Product" AS p (shop, id, title, handle, "productType", tags, status, "priceMinor", "currencyCode",
       "inStock", "shopifyUpdatedAt", "deletedAt", "syncedAt")
     VALUES ($1, $2::bigint, '', '', '', '{}', 'DELETED', 0, '', false, now(), now(), now())
     ON CONFLICT (shop, id) DO UPDATE SET status = 'DELETED', "inStock" = false, "availableVariantIds" = '{}',
       "deletedAt" = coalesce(p."deletedAt", now()), "syncedAt" = now()`,
    shop,
    id.toString(),
  );
}

/**
 * After a backfill's products file: a live product the file did not list (not written since
 * `loadedSince`) and that Shopify had last changed before the export began (`exportedAfter`) was
 * deleted while the app was not listening. It becomes a tombstone like a products/delete would make.
 * One changed after that moment is newer than the file and stays.
 */
export async function retireUnlistedProducts(
  db: Db,
  shop: string,
  loadedSince: Date,
  exportedAfter: Date,
): Promise<number> {
  return db.$executeRawUnsafe(
    `UPDATE "Product" SET status = 'DELETED', "inStock" = false, "availableVariantIds" = '{}', "deletedAt" = now(), "syncedAt" = now()
     WHERE shop = $1 AND "deletedAt" IS NULL AND "syncedAt" < $2::timestamptz AND "shopifyUpdatedAt" < $3::timestamptz`,
    shop,
    loadedSince.toISOString(),
    exportedAfter.toISOString(),
  );
}

/**
 * Each product's sales: counted orders (not test, not cancelled) containing it, recomputed from
 * the stored orders of the shop in one pass; only changed rows are written.
 */
export async function refreshProductSales(db: Db, shop: string): Promise<number> {
  return db.$executeRawUnsafe(
    `WITH sales AS (
       SELECT pid, count(*)::int AS n
       FROM "Order" o, unnest(o."productIds") AS pid
       WHERE o.shop = $1 AND NOT o.test AND o."cancelledAt" IS NULL
       GROUP BY pid),
     target AS (
       SELECT p.id, coalesce(s.n, 0) AS n FROM "Product" p LEFT JOIN sales s ON s.pid = p.id WHERE p.shop = $1)
     UPDATE "Product" p SET "salesCount" = t.n
     FROM target t
     WHERE p.shop = $1 AND p.id = t.id AND p."salesCount" <> t.n`,
    shop,
  );
}
