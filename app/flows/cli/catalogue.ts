import { isOfferable, itemStock, type ProductStock } from "../../sync/checkouts/item-stock";
import type { ProductRow } from "../../sync/rows";
import type { FileOrder } from "./orders-file";

// What the replay knows of the catalogue: which products and variants can be bought (from a
// products file, fixed for the whole window; without one, every product can) and the cross-sell
// candidates — the app's: active, in-stock products by sales (counted orders holding them, as the
// app counts them after its backfill: here, the orders placed before --from), best first. Pure.

/** How many best sellers a step's facts carry, as the app's (step-facts.server.ts). */
export const CROSS_SELL_CANDIDATES = 24;

export interface Catalogue {
  /** whether the cart line (variantId null: the product) can be bought at `now` */
  offerable(productId: bigint, variantId: bigint | null, now: Date): boolean;
  /** cross-sell candidates, best first */
  bestSellers: readonly string[];
  /** false: no products file, every product counts as in stock */
  fromFile: boolean;
}

const byId = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function salesBefore(orders: readonly FileOrder[], from: Date): Map<bigint, number> {
  const sales = new Map<bigint, number>();
  for (const o of orders) {
    if (o.test || o.cancelledAt !== null || o.shopifyCreatedAt >= from) continue;
    for (const id of o.productIds) sales.set(id, (sales.get(id) ?? 0) + 1);
  }
  return sales;
}

/** A products file's row as the app stores it (a variant list read from a file is always known). */
export function productStock(row: ProductRow): ProductStock {
  return {
    id: row.id,
    status: row.status,
    deletedAt: null,
    publishedAt: row.publishedAt,
    inStock: row.inStock,
    tracksInventory: row.tracksInventory ?? true,
    availableVariantIds: row.availableVariantIds ?? [],
    variantsKnown: row.availableVariantIds !== undefined,
  };
}

export function catalogueOf(
  products: readonly ProductRow[] | null,
  orders: readonly FileOrder[],
  from: Date,
): Catalogue {
  const sales = salesBefore(orders, from);
  const ranked = (ids: bigint[]) =>
    ids
      .sort((a, b) => (sales.get(b) ?? 0) - (sales.get(a) ?? 0) || byId(a, b))
      .slice(0, CROSS_SELL_CANDIDATES)
      .map(String);
  if (products === null)
    return { offerable: () => true, bestSellers: ranked([...sales.keys()]), fromFile: false };
  // a product listed twice: its latest version, as the app's stale-safe upsert keeps
  const latest = new Map<bigint, ProductRow>();
  for (const p of products) {
    const seen = latest.get(p.id);
    if (!seen || seen.shopifyUpdatedAt <= p.shopifyUpdatedAt) latest.set(p.id, p);
  }
  const stock = new Map([...latest.values()].map((p) => [p.id, productStock(p)]));
  const candidates = [...latest.values()].filter((p) => p.status === "ACTIVE" && p.inStock).map((p) => p.id);
  return {
    offerable: (productId, variantId, now) =>
      isOfferable(itemStock({ productId, variantId }, stock.get(productId), now)),
    bestSellers: ranked(candidates),
    fromFile: true,
  };
}
