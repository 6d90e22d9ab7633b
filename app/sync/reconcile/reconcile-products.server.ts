import { z } from "zod";
import { callAdmin, type CallAdminOptions } from "../../admin-api/graphql-client.server";
import {
  productFromJson,
  variantAvailability,
  withVariants,
  type VariantStock,
} from "../backfill/product-lines";
import type { Executor } from "../store.server";
import { upsertProducts } from "../products/store-products.server";
import type { ProductRow } from "../rows";
import type { AdminGraphql } from "../store-overview.server";

// The catalogue's part of the hourly reconciliation: products Shopify updated since the last sync
// (a sale that sells a product out updates it), so a missed products/update cannot leave a sold-out
// product in a cross-sell. Rows are read by the backfill's product parser; stock comes from the
// variants read with the product. A product with more variants than one page holds counts as in
// stock only if a variant read says so, and a variant not read counts as sold out: erring on the
// side of not recommending it.

/** Products per page: each costs ~30 points with its variants, under the 1,000-point query limit. */
export const PRODUCTS_PAGE_SIZE = 25;
export const VARIANTS_PER_PRODUCT = 20;

// The product fields of PRODUCTS_BULK_QUERY (productFromJson reads them), a page at a time.
export const RECONCILE_PRODUCTS_QUERY = `#graphql
  query ReconcileProducts($first: Int!, $after: String, $query: String, $variants: Int!) {
    products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        title
        handle
        productType
        tags
        status
        publishedAt
        updatedAt
        tracksInventory
        priceRangeV2 {
          minVariantPrice {
            amount
            currencyCode
          }
        }
        featuredMedia {
          preview {
            image {
              url
            }
          }
        }
        variants(first: $variants) {
          nodes {
            id
            availableForSale
          }
        }
      }
    }
  }
`;

const ProductsPage = z.object({
  products: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(z.record(z.unknown())),
  }),
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A product node with its first variants → its row; a reason when the node does not parse. */
export function productFromNode(node: Record<string, unknown>): { row: ProductRow } | { reason: string } {
  const parsed = productFromJson(node, 0);
  if (parsed.kind !== "row") return { reason: parsed.kind === "error" ? parsed.reason : "not a product" };
  const variants = isRecord(node.variants) && Array.isArray(node.variants.nodes) ? node.variants.nodes : null;
  if (!variants) return { reason: "variants: missing" };
  const read: VariantStock[] = [];
  for (const [i, variant] of variants.entries()) {
    const result = isRecord(variant) ? variantAvailability(variant) : null;
    if (!result || result.kind !== "child") {
      return { reason: `variants.${i}: ${result?.kind === "error" ? result.reason : "not an object"}` };
    }
    read.push(result.child);
  }
  return { row: withVariants(parsed.row, read) };
}

export interface ReconcileProductsArgs {
  db: Executor;
  admin: AdminGraphql;
  shop: string;
  /** Shopify search syntax, e.g. `updated_at:>'…'` */
  query: string;
  call: CallAdminOptions;
  skip(what: string, reason: string): void;
  pageSize?: number;
}

/** Re-reads and upserts the products updated since; returns how many were stored. */
export async function reconcileProducts(args: ReconcileProductsArgs): Promise<number> {
  let read = 0;
  for (let after: string | null = null; ;) {
    const data = ProductsPage.parse(
      await callAdmin(
        args.admin,
        RECONCILE_PRODUCTS_QUERY,
        {
          first: args.pageSize ?? PRODUCTS_PAGE_SIZE,
          after,
          query: args.query,
          variants: VARIANTS_PER_PRODUCT,
        },
        args.call,
      ),
    );
    const rows: ProductRow[] = [];
    for (const node of data.products.nodes) {
      const result = productFromNode(node);
      if ("row" in result) rows.push(result.row);
      else args.skip("product", result.reason);
    }
    await upsertProducts(args.db, args.shop, rows);
    read += rows.length;
    const { hasNextPage, endCursor } = data.products.pageInfo;
    if (!hasNextPage || !endCursor) return read;
    after = endCursor;
  }
}
