import { parse, print, visit, type SelectionSetNode } from "graphql";
import { describe, expect, it } from "vitest";
import { CUSTOMERS_BULK_QUERY, ORDERS_BULK_QUERY } from "~/sync/backfill/documents";
import { RECONCILE_CUSTOMERS_QUERY, RECONCILE_ORDERS_QUERY } from "~/sync/reconcile/reconcile.server";

// The backfill (bulk JSONL) and the hourly reconciliation (paged queries) feed the same line
// parsers, so they must select exactly the same fields of a customer and of an order — but for an
// order's line items, a nested connection only a bulk query can afford (a page of 250 orders with
// their line items would cost far more than a query may).
function recordSelection(document: string, connection: "customers" | "orders"): string {
  let found: SelectionSetNode | undefined;
  visit(parse(document), {
    Field(node) {
      if (node.name.value !== connection || !node.selectionSet) return;
      for (const child of node.selectionSet.selections) {
        if (child.kind !== "Field") continue;
        if (child.name.value === "nodes") found = child.selectionSet;
        if (child.name.value === "edges") {
          const nodeField = child.selectionSet?.selections.find(
            (s) => s.kind === "Field" && s.name.value === "node",
          );
          if (nodeField?.kind === "Field") found = nodeField.selectionSet;
        }
      }
    },
  });
  if (!found) throw new Error(`no ${connection} selection in document`);
  return print(found);
}

function withoutLineItems(selection: string): string {
  return print(
    visit(parse(`{ order ${selection} }`), {
      Field: (node) => (node.name.value === "lineItems" ? null : undefined),
    }),
  );
}

describe("sync documents", () => {
  it("select the same customer fields in the backfill and the reconciliation", () => {
    expect(recordSelection(RECONCILE_CUSTOMERS_QUERY, "customers")).toBe(
      recordSelection(CUSTOMERS_BULK_QUERY, "customers"),
    );
  });

  it("select the same order fields in the backfill and the reconciliation", () => {
    const bulk = recordSelection(ORDERS_BULK_QUERY, "orders");
    expect(bulk).toContain("lineItems");
    expect(withoutLineItems(recordSelection(RECONCILE_ORDERS_QUERY, "orders"))).toBe(withoutLineItems(bulk));
  });
});
