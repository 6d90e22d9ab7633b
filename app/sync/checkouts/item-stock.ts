// Whether a cart's item can be offered again right now: the product on sale in the Online Store and
// the variant in the cart buyable. Anything the app does not know for sure counts as not offerable,
// so a message never recommends a sold-out item on a guess. Pure.

/** What the app stores of a product's stock (the Product row). */
export interface ProductStock {
  id: bigint;
  /** Shopify's ProductStatus, or DELETED */
  status: string;
  deletedAt: Date | null;
  publishedAt: Date | null;
  /** some variant can be bought now */
  inStock: boolean;
  tracksInventory: boolean;
  availableVariantIds: readonly bigint[];
  /** false: availableVariantIds was never read for this product (only inStock speaks) */
  variantsKnown: boolean;
}

export type ItemStock =
  /** the variant can be bought now */
  | "in_stock"
  /** the variant cannot be bought (sold out, or no longer a variant of the product) */
  | "sold_out"
  /** the product is deleted, a draft, archived or not on the Online Store */
  | "not_for_sale"
  /** a custom item, or a product the app has not stored */
  | "unknown";

export function itemStock(
  item: { productId: bigint | null; variantId: bigint | null },
  product: ProductStock | undefined,
  now: Date,
): ItemStock {
  if (item.productId === null || !product || product.id !== item.productId) return "unknown";
  if (
    product.deletedAt !== null ||
    product.status !== "ACTIVE" ||
    product.publishedAt === null ||
    product.publishedAt.getTime() > now.getTime()
  )
    return "not_for_sale";
  if (!product.variantsKnown || item.variantId === null)
    return product.inStock || !product.tracksInventory ? "in_stock" : "sold_out";
  return product.availableVariantIds.includes(item.variantId) ? "in_stock" : "sold_out";
}

/** Only an item known to be in stock may be shown or recommended. */
export function isOfferable(stock: ItemStock): boolean {
  switch (stock) {
    case "in_stock":
      return true;
    case "sold_out":
    case "not_for_sale":
    case "unknown":
      return false;
    default: {
      const unreachable: never = stock;
      throw new Error(`unknown stock ${String(unreachable)}`);
    }
  }
}

/** A cart's line with what is known of its stock now. */
export type CartItem<Item> = Item & { stock: ItemStock };

/** Each line of the cart with its stock, from the products stored (by id). */
export function cartStock<Item extends { productId: bigint | null; variantId: bigint | null }>(
  items: readonly Item[],
  products: ReadonlyMap<bigint, ProductStock>,
  now: Date,
): Array<CartItem<Item>> {
  return items.map((item) => ({
    ...item,
    stock: itemStock(item, item.productId === null ? undefined : products.get(item.productId), now),
  }));
}
