import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customersJson, ordersJson } from "./row-json";
import { anyText, customerRows, orderRows } from "~/testing/row-arbitraries";

// The reference: what the upserts sent before, JSON.stringify with bigints as strings.
const reference = (rows: unknown[]) =>
  JSON.parse(
    JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)),
  );

const order = orderRows(anyText);
const customer = customerRows(anyText);

describe("batched upsert parameters", () => {
  it("orders: the same document as JSON.stringify with bigints as strings", () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 5 }), (rows) => {
        expect(JSON.parse(ordersJson(rows))).toEqual(reference(rows));
      }),
      { numRuns: 300 },
    );
  });

  it("customers: the same document, a field the source lacks left out", () => {
    fc.assert(
      fc.property(fc.array(customer, { maxLength: 5 }), (rows) => {
        expect(JSON.parse(customersJson(rows))).toEqual(reference(rows));
      }),
      { numRuns: 300 },
    );
  });
});
