import { z } from "zod";
import { MoneyError, toMinorUnits } from "../money";
import { idFromGid, sortedIds, SyncInputError, type ProductRow } from "../rows";
import { familyReader, type ChildResult, type FamilyReader } from "./families";
import { describeIssues, gid, timestamp, type LineResult } from "./parse-lines";

// The products file of the backfill: a product line, then its variants' lines (`__parentId`). A
// product is in stock when any variant is available for sale (Shopify counts stock, the "continue
// selling when out of stock" policy and untracked inventory); the available variants are kept by id,
// so a cart's variant is checked on its own. Pure. Catalogues are small next to order histories, so
// every line goes through zod.

export const ProductLine = z.object({
  id: gid("Product"),
  title: z.string(),
  handle: z.string(),
  productType: z.string(),
  tags: z.array(z.string()),
  status: z.string(),
  publishedAt: timestamp.nullable(),
  updatedAt: timestamp,
  tracksInventory: z.boolean(),
  priceRangeV2: z.object({ minVariantPrice: z.object({ amount: z.string(), currencyCode: z.string() }) }),
  featuredMedia: z
    .object({ preview: z.object({ image: z.object({ url: z.string() }).nullable() }).nullable() })
    .nullable()
    .optional(),
});

const VariantLine = z.object({ id: gid("ProductVariant"), availableForSale: z.boolean() });

/** A variant line: the variant, and whether it can be bought now. */
export interface VariantStock {
  id: bigint;
  available: boolean;
}

/** A product line (not a variant) → its row, out of stock until a variant says otherwise. */
export function productFromJson(value: Record<string, unknown>, line: number): LineResult<ProductRow> {
  const parsed = ProductLine.safeParse(value);
  if (!parsed.success) return { kind: "error", line, reason: describeIssues(parsed.error) };
  const p = parsed.data;
  const price = p.priceRangeV2.minVariantPrice;
  try {
    return {
      kind: "row",
      row: {
        id: idFromGid(p.id, "Product"),
        title: p.title,
        handle: p.handle,
        productType: p.productType,
        tags: p.tags,
        status: p.status,
        publishedAt: p.publishedAt ? new Date(p.publishedAt) : null,
        priceMinor: toMinorUnits(price.amount, price.currencyCode),
        currencyCode: price.currencyCode,
        imageUrl: p.featuredMedia?.preview?.image?.url ?? null,
        inStock: false,
        tracksInventory: p.tracksInventory,
        availableVariantIds: [],
        shopifyUpdatedAt: new Date(p.updatedAt),
      },
    };
  } catch (error) {
    if (error instanceof SyncInputError || error instanceof MoneyError)
      return { kind: "error", line, reason: error.message };
    throw error;
  }
}

export function variantAvailability(value: Record<string, unknown>): ChildResult<VariantStock> {
  const parsed = VariantLine.safeParse(value);
  if (!parsed.success) return { kind: "error", reason: describeIssues(parsed.error) };
  try {
    return {
      kind: "child",
      child: { id: idFromGid(parsed.data.id, "ProductVariant"), available: parsed.data.availableForSale },
    };
  } catch (error) {
    if (error instanceof SyncInputError) return { kind: "error", reason: `id: ${error.message}` };
    throw error;
  }
}

/** A product with its variants read: in stock when one can be bought, and which ones. */
export function withVariants(row: ProductRow, variants: readonly VariantStock[]): ProductRow {
  const available = variants.filter((v) => v.available).map((v) => v.id);
  return { ...row, inStock: available.length > 0, availableVariantIds: sortedIds(available) };
}

/**
 * Reads the BackfillProducts file. Strays (a variant away from its product) are not applied: the
 * product keeps what its own variants said, erring on the side of "not in stock".
 */
export function productFamilies(): FamilyReader<ProductRow, VariantStock> {
  return familyReader<ProductRow, VariantStock>({
    parent: productFromJson,
    child: variantAvailability,
    adopt: withVariants,
  });
}
