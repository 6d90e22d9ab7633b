import { z } from "zod";
import { sortedIds, type ProductRow } from "../rows";
import {
  date,
  exactNumericId,
  graphqlEnum,
  money,
  NumericId,
  optionalDate,
  parsePayload,
  parseTags,
  resourceId,
  Timestamp,
} from "./payloads";

// products/create|update|delete payloads (REST shape) → the catalogue's rows. Pure. Shopify sends
// products/update whenever a product is ordered too, so stock stays current through it.

const Variant = z.object({
  id: NumericId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  price: z.string(),
  inventory_quantity: z.number().nullish(),
  inventory_policy: z.string().nullish(),
  // "shopify" when Shopify counts the variant's stock; absent from some API versions' payloads
  inventory_management: z.string().nullish(),
});
type Variant = z.infer<typeof Variant>;

export const ProductPayload = z.object({
  id: NumericId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  title: z.string(),
  handle: z.string(),
  product_type: z.string().nullish(),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  status: z.string(),
  published_at: Timestamp.nullish(),
  updated_at: Timestamp,
  variants: z.array(Variant).nullish(),
  image: z.object({ src: z.string() }).nullish(),
  images: z.array(z.object({ src: z.string() })).nullish(),
});

export const ProductDeletePayload = z.object({
  id: NumericId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
});

/**
 * Whether a variant can be bought now: stock left, sold when out of stock ("continue"), or stock not
 * counted at all (an explicit null inventory_management).
 */
export function variantInStock(variant: Variant, raw: unknown): boolean {
  if (variant.inventory_policy === "continue" || (variant.inventory_quantity ?? 0) > 0) return true;
  return hasKey(raw, "inventory_management") && variant.inventory_management === null;
}

const hasKey = (value: unknown, key: string): boolean =>
  typeof value === "object" && value !== null && key in value;

/** A variant's id: its gid when present (exact), else its numeric id when a JSON number holds it exactly. */
function variantId(variant: Variant): bigint | null {
  const gid = variant.admin_graphql_api_id
    ? /^gid:\/\/shopify\/ProductVariant\/(\d{1,18})$/.exec(variant.admin_graphql_api_id)
    : null;
  return gid?.[1] ? BigInt(gid[1]) : exactNumericId(variant.id);
}

/**
 * Whether Shopify counts the product's stock, when the payload says (any variant carries
 * inventory_management); undefined otherwise: the stored value stands.
 */
function tracksInventory(variants: readonly Variant[], raw: readonly unknown[]): boolean | undefined {
  if (!raw.some((v) => hasKey(v, "inventory_management"))) return undefined;
  return variants.some((v) => v.inventory_management !== null && v.inventory_management !== undefined);
}

/**
 * products/create|update → ProductRow, prices in the shop's currency (REST product prices are).
 * A payload lists at most 100 variants in full; a product whose listed ones are all out of stock is
 * taken as out of stock.
 */
export function productRowFromPayload(topic: string, payload: unknown, shopCurrency: string): ProductRow {
  const p = parsePayload(topic, ProductPayload, payload);
  const variants = p.variants ?? [];
  const rawVariants: unknown[] =
    typeof payload === "object" &&
    payload !== null &&
    "variants" in payload &&
    Array.isArray(payload.variants)
      ? payload.variants
      : [];
  const prices = variants.map((v, i) => money(topic, `variants.${i}.price`, v.price, shopCurrency));
  const lowest = prices.reduce<bigint | null>(
    (min, price) => (min === null || price < min ? price : min),
    null,
  );
  return {
    id: resourceId(topic, "Product", p),
    title: p.title,
    handle: p.handle,
    productType: p.product_type ?? "",
    tags: parseTags(p.tags),
    status: graphqlEnum(p.status) ?? "",
    publishedAt: optionalDate(topic, "published_at", p.published_at),
    priceMinor: lowest ?? 0n,
    currencyCode: shopCurrency,
    imageUrl: p.image?.src ?? p.images?.[0]?.src ?? null,
    inStock: variants.some((v, i) => variantInStock(v, rawVariants[i])),
    // a variant whose id cannot be read exactly is left out: never offered on a guess
    availableVariantIds: sortedIds(
      variants.flatMap((v, i) => {
        const id = variantInStock(v, rawVariants[i]) ? variantId(v) : null;
        return id === null ? [] : [id];
      }),
    ),
    tracksInventory: tracksInventory(variants, rawVariants),
    shopifyUpdatedAt: date(topic, "updated_at", p.updated_at),
  };
}

/** products/delete names the product by its numeric id only. */
export function deletedProductId(topic: string, payload: unknown): bigint {
  return resourceId(topic, "Product", parsePayload(topic, ProductDeletePayload, payload));
}
