import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import {
  LINE_ITEMS_PER_PAGE,
  MORE_LINE_ITEMS_QUERY,
  ORDERS_LINE_ITEMS_QUERY,
  ORDERS_PER_CALL,
} from "~/sync/reconcile/order-products.server";
import {
  PRODUCTS_PAGE_SIZE,
  RECONCILE_PRODUCTS_QUERY,
  VARIANTS_PER_PRODUCT,
} from "~/sync/reconcile/reconcile-products.server";
import {
  CUSTOMERS_PAGE_SIZE,
  ORDERS_PAGE_SIZE,
  RECONCILE_CUSTOMERS_QUERY,
  RECONCILE_ORDERS_QUERY,
} from "~/sync/reconcile/reconcile.server";
import { MAX_QUERY_COST, operationOf, queryCost } from "../emulator/graphql/cost";
import { adminSchema } from "../emulator/index";

// Shopify computes a query's requested cost before running it and refuses one over 1,000 points
// (the emulator implements the published rules): the reconciliation's pages, at the sizes the app
// really asks for, must stay under it. Tests read small pages, so only this catches a page too big.

const cost = (source: string, variables: Record<string, unknown>) => {
  const document = parse(source);
  const operation = operationOf(document);
  if (!operation) throw new Error("no operation");
  return queryCost(adminSchema(), document, operation, variables);
};

describe("the reconciliation's queries at their page sizes", () => {
  it.each([
    [
      "customers",
      RECONCILE_CUSTOMERS_QUERY,
      { first: CUSTOMERS_PAGE_SIZE, after: null, query: "updated_at:>x" },
    ],
    ["orders", RECONCILE_ORDERS_QUERY, { first: ORDERS_PAGE_SIZE, after: null, query: "updated_at:>x" }],
    [
      "products",
      RECONCILE_PRODUCTS_QUERY,
      { first: PRODUCTS_PAGE_SIZE, after: null, query: "x", variants: VARIANTS_PER_PRODUCT },
    ],
    [
      "orders' line items",
      ORDERS_LINE_ITEMS_QUERY,
      { ids: Array(ORDERS_PER_CALL).fill("gid://shopify/Order/1"), first: LINE_ITEMS_PER_PAGE },
    ],
    [
      "an order's further line items",
      MORE_LINE_ITEMS_QUERY,
      { id: "gid://shopify/Order/1", first: LINE_ITEMS_PER_PAGE, after: null },
    ],
  ] as const)("%s: within Shopify's single query limit", (_name, source, variables) => {
    expect(cost(source, variables)).toBeLessThanOrEqual(MAX_QUERY_COST);
  });

  it("would catch Shopify's largest page of customers", () => {
    expect(cost(RECONCILE_CUSTOMERS_QUERY, { first: 250, after: null, query: null })).toBeGreaterThan(
      MAX_QUERY_COST,
    );
  });
});
