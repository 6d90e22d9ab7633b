import { idFromGid, sortedIds, SyncInputError, type OrderRow } from "../rows";
import { familyReader, type ChildResult, type FamilyReader } from "./families";
import { orderFromJson } from "./parse-lines";
import { quickLineItem, quickOrder } from "./quick-order";

// The orders file of the backfill: an order line, then its line items' lines (`__parentId`), each
// naming its product or null (a custom item, a deleted product). The order's row carries the
// distinct product ids, so the stored order says what the customer bought. Pure.

const PRODUCT_PREFIX = "gid://shopify/Product/";
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A line item's product id; null when it has none. */
export function lineItemProduct(value: Record<string, unknown>): ChildResult<bigint> {
  if (!("product" in value)) return { kind: "error", reason: "product: missing" };
  const product = value.product;
  if (product === null) return { kind: "ignore" };
  const id = isObj(product) ? product.id : undefined;
  if (typeof id !== "string" || !id.startsWith(PRODUCT_PREFIX))
    return { kind: "error", reason: "product.id: not a Product id" };
  try {
    return { kind: "child", child: idFromGid(id, "Product") };
  } catch (error) {
    if (error instanceof SyncInputError) return { kind: "error", reason: "product.id: not a Product id" };
    throw error;
  }
}

/** Reads the BackfillOrders file: orders with their products; strays are products by order gid. */
export function orderFamilies(shopCurrency: string): FamilyReader<OrderRow, bigint> {
  return familyReader<OrderRow, bigint>({
    parent: (value, line) => {
      const result = orderFromJson(value, line, shopCurrency);
      // The bulk query selects line items: an order without children has no products. The row is
      // new and not handed on yet, so it is completed in place (a copy per order costs seconds).
      if (result.kind === "row") result.row.productIds = [];
      return result;
    },
    child: lineItemProduct,
    quickChild: quickLineItem,
    quickParent: (text) => {
      const quick = quickOrder(text, shopCurrency);
      if (!quick) return undefined;
      quick.row.productIds = [];
      return { gid: quick.gid, result: { kind: "row", row: quick.row } };
    },
    adopt: (row, productIds) => {
      row.productIds = sortedIds(productIds);
      return row;
    },
  });
}

/** Strays of the orders file as order id → product ids (gids that are not orders are dropped). */
export function strayOrderProducts(strays: ReadonlyMap<string, bigint[]>): Map<bigint, bigint[]> {
  const byOrder = new Map<bigint, bigint[]>();
  for (const [gid, productIds] of strays) {
    try {
      byOrder.set(idFromGid(gid, "Order"), sortedIds(productIds));
    } catch (error) {
      if (!(error instanceof SyncInputError)) throw error;
    }
  }
  return byOrder;
}
