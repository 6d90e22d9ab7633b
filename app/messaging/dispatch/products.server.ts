import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { offeredProduct, StoredProduct, type OfferedProduct, type Storefront } from "../products/catalogue";
import { pickFor, prepareCatalogue } from "../products/pick-products";
import type { TemplateProduct } from "../templates/variables";

// The products of a claimed batch's cross-sell messages, read just before sending (stock changes
// by the minute): the shop's sellable catalogue once, the batch's customers' bought products in one
// query, then a pure choice per customer. Every query is scoped by the shop.

/** What the default templates show (`limit: 3`). */
export const PRODUCTS_PER_MESSAGE = 3;
/** The best sellers considered; a large catalogue's long tail is left out of cross-sells. */
export const CANDIDATES = 1_000;

const Bought = z.object({ customerId: z.string(), productIds: z.array(z.string()) });
const Profile = z.object({ id: z.string(), productType: z.string(), tags: z.array(z.string()) });

/** Active, on the Online Store, not deleted, and in stock (or stock not counted). */
const SELLABLE = `status = 'ACTIVE' AND "deletedAt" IS NULL AND "publishedAt" IS NOT NULL AND "publishedAt" <= $2::timestamp
  AND ("inStock" OR NOT "tracksInventory")`;

/** Each customer's bought products (every order of theirs but test orders). */
export async function loadBoughtProducts(
  prisma: PrismaClient,
  shop: string,
  customerIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (customerIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT o."customerId"::text AS "customerId", array_agg(DISTINCT pid::text) AS "productIds"
    FROM "Order" o, unnest(o."productIds") AS pid
    WHERE o.shop = ${shop} AND NOT o.test
      AND o."customerId" = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(customerIds)}::jsonb)::bigint))
    GROUP BY o."customerId"`;
  return new Map(rows.map((raw) => Bought.parse(raw)).map((row) => [row.customerId, row.productIds]));
}

/** The shop's best-selling sellable products, at most CANDIDATES. */
async function loadCandidates(prisma: PrismaClient, shop: string, now: Date): Promise<StoredProduct[]> {
  const rows = await prisma.$queryRawUnsafe<unknown[]>(
    `SELECT id::text AS id, title, handle, "productType", tags, "priceMinor"::text AS "priceMinor", "currencyCode",
       "imageUrl", "salesCount", true AS sellable
     FROM "Product" WHERE shop = $1 AND ${SELLABLE}
     ORDER BY "salesCount" DESC, id LIMIT ${CANDIDATES}`,
    shop,
    now.toISOString(),
  );
  return rows.map((raw) => StoredProduct.parse(raw));
}

/** Type and tags of bought products that are not candidates (sold out, deleted…): what they go with. */
async function loadProfiles(
  prisma: PrismaClient,
  shop: string,
  ids: readonly string[],
): Promise<OfferedProduct[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT id::text AS id, "productType", tags FROM "Product"
    WHERE shop = ${shop} AND id = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint))`;
  return rows.map((raw) => ({ ...Profile.parse(raw), salesCount: 0, sellable: false, product: null }));
}

/** Up to PRODUCTS_PER_MESSAGE products per customer (an empty list when none qualifies). */
export async function recommendProducts(
  prisma: PrismaClient,
  input: { shop: string; customerIds: readonly string[]; storefront: Storefront; now: Date },
): Promise<Map<string, TemplateProduct[]>> {
  const { shop, customerIds, storefront } = input;
  const [bought, candidates] = await Promise.all([
    loadBoughtProducts(prisma, shop, customerIds),
    loadCandidates(prisma, shop, input.now),
  ]);
  const offered = candidates.map((stored) => offeredProduct(stored, storefront));
  const known = new Set(offered.map((entry) => entry.id));
  const missing = [...new Set([...bought.values()].flat())].filter((id) => !known.has(id));
  const catalogue = prepareCatalogue([...offered, ...(await loadProfiles(prisma, shop, missing))]);
  const result = new Map<string, TemplateProduct[]>();
  for (const id of customerIds) {
    const picked = pickFor(catalogue, bought.get(id) ?? [], PRODUCTS_PER_MESSAGE);
    result.set(
      id,
      picked.flatMap((entry) => (entry.product ? [entry.product] : [])),
    );
  }
  return result;
}
