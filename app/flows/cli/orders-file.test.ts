import { describe, expect, it } from "vitest";
import { OrdersFileReader } from "./orders-file";

// Orders files as `pull` writes them (each order followed by its line items) and in other orders.

const order = (id: number, customer: number | null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `gid://shopify/Order/${id}`,
    createdAt: "2026-11-25T10:00:00Z",
    cancelledAt: null,
    test: false,
    customer: customer === null ? null : { id: `gid://shopify/Customer/${customer}` },
    currentTotalPriceSet: { shopMoney: { amount: "12.50", currencyCode: "USD" } },
    totalDiscountsSet: { shopMoney: { amount: "0.00", currencyCode: "USD" } },
    ...extra,
  });
// the export's exact line-item shape (read without JSON.parse) and a hand-written one
const item = (order: number, product: number | null, n = 1) =>
  `{"id":"gid://shopify/LineItem/${order}${n}","product":${product === null ? "null" : `{"id":"gid://shopify/Product/${product}"}`},"__parentId":"gid://shopify/Order/${order}"}`;
const looseItem = (order: number, product: number) =>
  JSON.stringify({
    __parentId: `gid://shopify/Order/${order}`,
    product: { id: `gid://shopify/Product/${product}` },
    quantity: 2,
  });

function read(lines: string[]) {
  const reader = new OrdersFileReader("USD");
  lines.forEach((text, i) => reader.add(text, i + 1));
  return reader.finish();
}

describe("OrdersFileReader", () => {
  it("joins line items to their order wherever they come; products sorted and distinct", () => {
    const { orders, errors } = read([
      looseItem(2, 30),
      order(1, 7),
      item(1, 20),
      item(1, 10, 2),
      item(1, null, 3),
      order(2, null),
      item(1, 10, 4),
    ]);
    expect(errors).toEqual([]);
    expect(orders.map((o) => [o.id, o.customerId, o.totalMinor, o.productIds])).toEqual([
      [1n, 7n, 1250n, [10n, 20n]],
      [2n, null, 1250n, [30n]],
    ]);
  });

  it("an order without line items bought nothing the file says", () => {
    expect(read([order(1, 7)]).orders[0]?.productIds).toEqual([]);
  });

  it("reports bad lines by number: a repeated order, an orphan line item, a bad parent, a bad order, an empty line", () => {
    const { orders, errors } = read([
      order(1, 7),
      order(1, 8),
      item(9, 10),
      JSON.stringify({ __parentId: "gid://shopify/Customer/1", product: null }),
      order(3, 7, { currentTotalPriceSet: { shopMoney: { amount: "1.00", currencyCode: "EUR" } } }),
      "",
      JSON.stringify({ __parentId: 5, product: null }),
    ]);
    expect(orders.map((o) => o.id)).toEqual([1n]);
    expect(errors).toEqual([
      { line: 2, reason: "id: duplicate order (first on line 1), counted once" },
      { line: 3, reason: "__parentId: no order 9 in the file" },
      { line: 4, reason: "__parentId: not an Order id" },
      { line: 5, reason: expect.stringContaining("currency") },
      { line: 6, reason: "empty line" },
      { line: 7, reason: "__parentId: expected string" },
    ]);
  });
});
