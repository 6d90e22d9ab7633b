import { z } from "zod";
import { anyOfJson } from "../../db/sql";
import { callAdmin, type CallAdminOptions } from "../../admin-api/graphql-client.server";
import { lineItemProduct } from "../backfill/order-lines";
import { gidOf, idFromGid, sortedIds } from "../rows";
import { json, type Db } from "../store.server";
import type { AdminGraphql } from "../store-overview.server";

// Reconciliation pages orders without their line items (a page of 250 orders with them would pass
// the query cost limit many times over). An order it finds that the app never stored — its
// orders/create was missed — would then say the customer bought nothing, and the cross-sell could
// offer what they just bought. So the products of those orders, and only those, are read here.

/** Orders per `nodes` call: each costs ~103 points with 50 line items, under the 1,000-point limit. */
export const ORDERS_PER_CALL = 8;
export const LINE_ITEMS_PER_PAGE = 50;

export const ORDERS_LINE_ITEMS_QUERY = `#graphql
  query ReconcileOrderProducts($ids: [ID!]!, $first: Int!) {
    nodes(ids: $ids) {
      ... on Order {
        id
        lineItems(first: $first) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            product {
              id
            }
          }
        }
      }
    }
  }
`;

export const MORE_LINE_ITEMS_QUERY = `#graphql
  query ReconcileMoreOrderProducts($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      lineItems(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          product {
            id
          }
        }
      }
    }
  }
`;

const LineItems = z.object({
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  nodes: z.array(z.record(z.unknown())),
});
const NodesPage = z.object({
  nodes: z.array(z.object({ id: z.string(), lineItems: LineItems }).nullable()),
});
const MorePage = z.object({ order: z.object({ lineItems: LineItems }).nullable() });

/** The orders among `ids` that the app has not stored. */
export async function unstoredOrderIds(db: Db, shop: string, ids: bigint[]): Promise<bigint[]> {
  if (ids.length === 0) return [];
  const stored = await db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT id::text AS id FROM "Order" WHERE shop = $1 AND id ${anyOfJson("$2", "bigint")}`,
    shop,
    json(ids),
  );
  const known = new Set(stored.map((row) => row.id));
  return ids.filter((id) => !known.has(id.toString()));
}

export interface ReadOrderProductsArgs {
  admin: AdminGraphql;
  call: CallAdminOptions;
  skip(what: string, reason: string): void;
}

/** Each order's distinct products (orders Shopify no longer has are left out). */
export async function readOrderProducts(
  args: ReadOrderProductsArgs,
  orderIds: bigint[],
): Promise<Map<bigint, bigint[]>> {
  const products = new Map<bigint, bigint[]>();
  const take = (orderId: bigint, items: z.infer<typeof LineItems>) => {
    const list = products.get(orderId) ?? [];
    for (const item of items.nodes) {
      const result = lineItemProduct(item);
      if (result.kind === "child") list.push(result.child);
      else if (result.kind === "error") args.skip("line item", result.reason);
    }
    products.set(orderId, list);
  };
  for (let i = 0; i < orderIds.length; i += ORDERS_PER_CALL) {
    const ids = orderIds.slice(i, i + ORDERS_PER_CALL).map((id) => gidOf("Order", id));
    const page = NodesPage.parse(
      await callAdmin(args.admin, ORDERS_LINE_ITEMS_QUERY, { ids, first: LINE_ITEMS_PER_PAGE }, args.call),
    );
    for (const node of page.nodes) {
      if (!node) continue;
      const orderId = idFromGid(node.id, "Order");
      take(orderId, node.lineItems);
      // a large order: its further line items, page by page
      for (let more = node.lineItems.pageInfo; more.hasNextPage && more.endCursor;) {
        const next = MorePage.parse(
          await callAdmin(
            args.admin,
            MORE_LINE_ITEMS_QUERY,
            { id: node.id, first: LINE_ITEMS_PER_PAGE, after: more.endCursor },
            args.call,
          ),
        );
        if (!next.order) break;
        take(orderId, next.order.lineItems);
        more = next.order.lineItems.pageInfo;
      }
    }
  }
  for (const [orderId, list] of products) products.set(orderId, sortedIds(list));
  return products;
}
