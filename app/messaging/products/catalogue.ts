import { z } from "zod";
import { formatMinorUnits, MoneyError } from "../../sync/money";
import { TemplateProduct } from "../templates/variables";
import type { CatalogueEntry } from "./pick-products";

// A stored product as a message shows it: its storefront link, its price in the shop's currency and
// its image. Pure. A product that cannot be shown faithfully (another currency, a title or link a
// template refuses) is not offered at all, rather than shown wrong.

/** What the dispatcher reads of a Product row (ids and money as decimal strings). */
export const StoredProduct = z.object({
  id: z.string().regex(/^\d+$/),
  title: z.string(),
  handle: z.string(),
  productType: z.string(),
  tags: z.array(z.string()),
  priceMinor: z.string().regex(/^-?\d+$/),
  currencyCode: z.string(),
  imageUrl: z.string().nullable(),
  salesCount: z.number().int(),
  sellable: z.boolean(),
});
export type StoredProduct = z.infer<typeof StoredProduct>;

export interface Storefront {
  /** the storefront's host, e.g. shop.example (templates link to https://<domain>) */
  domain: string;
  currencyCode: string;
}

export type OfferedProduct = CatalogueEntry & { product: TemplateProduct | null };

/** The product as templates read it, or null when it cannot be shown as it is. */
export function templateProduct(stored: StoredProduct, storefront: Storefront): TemplateProduct | null {
  if (stored.currencyCode !== storefront.currencyCode || stored.handle === "") return null;
  let price: string;
  try {
    price = formatMinorUnits(BigInt(stored.priceMinor), stored.currencyCode);
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
  const base = {
    title: stored.title,
    url: `https://${storefront.domain}/products/${encodeURIComponent(stored.handle)}`,
    price,
  };
  const withImage = TemplateProduct.safeParse({
    ...base,
    ...(stored.imageUrl ? { imageUrl: stored.imageUrl } : {}),
  });
  if (withImage.success) return withImage.data;
  // An image URL a template cannot use is left out; the product itself still shows.
  const plain = TemplateProduct.safeParse(base);
  return plain.success ? plain.data : null;
}

/** A stored product as a catalogue entry: sellable only when it can also be shown. */
export function offeredProduct(stored: StoredProduct, storefront: Storefront): OfferedProduct {
  const product = stored.sellable ? templateProduct(stored, storefront) : null;
  return {
    id: stored.id,
    productType: stored.productType,
    tags: stored.tags,
    salesCount: stored.salesCount,
    sellable: product !== null,
    product,
  };
}

/**
 * The storefront's host from Shop.primaryDomain (Shopify gives a URL, https://shop.example), else
 * the myshopify domain: templates put "https://" in front of it themselves.
 */
export function storefrontHost(primaryDomain: string | null | undefined, shop: string): string {
  if (!primaryDomain) return shop;
  try {
    return new URL(primaryDomain).host || shop;
  } catch {
    // not a URL: taken as a host
    return primaryDomain;
  }
}
