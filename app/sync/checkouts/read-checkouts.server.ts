import type { PrismaClient } from "@prisma/client";
import { CheckoutLineItems, type Checkout, type CheckoutLineItem } from "./checkout";
import { cartStock, type CartItem, type ProductStock } from "./item-stock";

// What a flow reads of a checkout just before it sends: the stored checkout with its cart, each
// line's stock as stored now (kept current by products/* webhooks and the hourly reconciliation).
// Every query is scoped by the shop.

export type CheckoutWithStock = Omit<Checkout, "lineItems"> & {
  lineItems: Array<CartItem<CheckoutLineItem>>;
};

type Db = Pick<PrismaClient, "checkout" | "product">;

/** The checkouts of `shop` with these ids (missing ones are left out), each line's stock checked at `now`. */
export async function readCheckoutsWithStock(
  db: Db,
  shop: string,
  ids: readonly bigint[],
  now: Date,
): Promise<Map<bigint, CheckoutWithStock>> {
  if (ids.length === 0) return new Map();
  const rows = await db.checkout.findMany({ where: { shop, id: { in: [...ids] } } });
  const checkouts = rows.map((row): Checkout => ({
    id: row.id,
    token: row.token,
    customerId: row.customerId,
    email: row.email,
    phone: row.phone,
    createdAt: row.shopifyCreatedAt,
    updatedAt: row.shopifyUpdatedAt,
    completedAt: row.completedAt,
    recoveryUrl: row.recoveryUrl,
    totalMinor: row.totalMinor,
    currencyCode: row.currencyCode,
    // JSON from the database is validated again when read
    lineItems: CheckoutLineItems.parse(row.lineItems),
  }));
  const products = await readProductStock(
    db,
    shop,
    checkouts.flatMap((c) =>
      c.lineItems.flatMap((item) => (item.productId === null ? [] : [item.productId])),
    ),
  );
  return new Map(
    checkouts.map((checkout) => [
      checkout.id,
      { ...checkout, lineItems: cartStock(checkout.lineItems, products, now) },
    ]),
  );
}

/** One checkout of `shop` with its cart's stock, or null (also for another shop's id). */
export async function readCheckoutWithStock(
  db: Db,
  shop: string,
  id: bigint,
  now: Date,
): Promise<CheckoutWithStock | null> {
  return (await readCheckoutsWithStock(db, shop, [id], now)).get(id) ?? null;
}

/** What is stored of these products' stock, by id. */
export async function readProductStock(
  db: Pick<PrismaClient, "product">,
  shop: string,
  ids: readonly bigint[],
): Promise<Map<bigint, ProductStock>> {
  if (ids.length === 0) return new Map();
  const rows = await db.product.findMany({
    where: { shop, id: { in: [...new Set(ids)] } },
    select: {
      id: true,
      status: true,
      deletedAt: true,
      publishedAt: true,
      inStock: true,
      tracksInventory: true,
      availableVariantIds: true,
      variantsKnown: true,
    },
  });
  return new Map(rows.map((row) => [row.id, row]));
}
