import { describe, expect, it } from "vitest";
import type { OrderRow, ProductRow } from "../rows";
import type { Held } from "./families";
import type { LineResult } from "./parse-lines";
import { orderFamilies, strayOrderProducts } from "./order-lines";
import { productFamilies } from "./product-lines";

const order = (n: number) => ({
  id: `gid://shopify/Order/${n}`,
  createdAt: "2025-11-28T10:00:00Z",
  updatedAt: "2025-11-29T10:00:00Z",
  cancelledAt: null,
  test: false,
  customer: { id: "gid://shopify/Customer/42" },
  currentTotalPriceSet: { shopMoney: { amount: "120.5", currencyCode: "USD" } },
  totalDiscountsSet: { shopMoney: { amount: "0.0", currencyCode: "USD" } },
  discountCodes: [],
  landingPageUrl: null,
  customerJourneySummary: null,
});
const item = (orderN: number, product: number | null) => ({
  id: `gid://shopify/LineItem/${orderN * 10 + (product ?? 0)}`,
  product: product === null ? null : { id: `gid://shopify/Product/${product}` },
  __parentId: `gid://shopify/Order/${orderN}`,
});

/** Feeds lines as streamJsonl does: rows as they come out, then what the reader holds at the end. */
function read<T>(
  reader: { parse(text: string, line: number): LineResult<T> | Held; end(): T[] },
  lines: unknown[],
) {
  const rows: T[] = [];
  const errors: string[] = [];
  lines.forEach((value, i) => {
    const result = reader.parse(typeof value === "string" ? value : JSON.stringify(value), i + 1);
    if (result.kind === "row") rows.push(result.row);
    if (result.kind === "error") errors.push(`${result.line}: ${result.reason}`);
  });
  return { rows: [...rows, ...reader.end()], errors };
}

describe("orders with their line items (bulk JSONL families)", () => {
  it("gives each order its distinct products, sorted; custom items add none", () => {
    const reader = orderFamilies("USD");
    const { rows, errors } = read<OrderRow>(reader, [
      order(1),
      item(1, 30),
      item(1, 7),
      item(1, 30),
      item(1, null),
      order(2),
      order(3),
      item(3, 9),
    ]);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.id, r.productIds])).toEqual([
      [1n, [7n, 30n]],
      [2n, []],
      [3n, [9n]],
    ]);
    expect(reader.strays().size).toBe(0);
  });

  it("keeps line items that come away from their order aside, by order", () => {
    const reader = orderFamilies("USD");
    const { rows } = read<OrderRow>(reader, [
      order(1),
      item(1, 5),
      order(2),
      item(1, 6),
      item(1, 4),
      item(2, 8),
    ]);
    expect(rows.map((r) => [r.id, r.productIds])).toEqual([
      [1n, [5n]],
      [2n, [8n]],
    ]);
    expect(strayOrderProducts(reader.strays())).toEqual(new Map([[1n, [4n, 6n]]]));
  });

  it("reports a malformed line item by field, and an order that fails leaves the open one open", () => {
    const reader = orderFamilies("USD");
    const { rows, errors } = read<OrderRow>(reader, [
      order(1),
      { id: "gid://shopify/LineItem/1", __parentId: "gid://shopify/Order/1" },
      {
        id: "gid://shopify/LineItem/2",
        product: { id: "gid://shopify/Collection/1" },
        __parentId: "gid://shopify/Order/1",
      },
      { ...order(2), test: "no" },
      item(1, 3),
      "{not json",
    ]);
    expect(errors).toEqual([
      "2: product: missing",
      "3: product.id: not a Product id",
      "4: test: expected boolean, got string",
      "6: invalid JSON",
    ]);
    expect(rows.map((r) => [r.id, r.productIds])).toEqual([[1n, [3n]]]);
  });
});

const product = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `gid://shopify/Product/${n}`,
  title: `Product ${n}`,
  handle: `product-${n}`,
  productType: "Home",
  tags: ["gift"],
  status: "ACTIVE",
  publishedAt: "2025-01-01T00:00:00Z",
  updatedAt: "2025-06-01T00:00:00Z",
  tracksInventory: true,
  priceRangeV2: { minVariantPrice: { amount: "24.5", currencyCode: "USD" } },
  featuredMedia: { preview: { image: { url: "https://cdn.example/p.jpg" } } },
  ...extra,
});
const variant = (productN: number, availableForSale: boolean) => ({
  id: `gid://shopify/ProductVariant/${productN}${availableForSale ? 1 : 0}`,
  availableForSale,
  __parentId: `gid://shopify/Product/${productN}`,
});

describe("products with their variants (bulk JSONL families)", () => {
  it("is in stock when any variant is available for sale", () => {
    const { rows, errors } = read<ProductRow>(productFamilies(), [
      product(1),
      variant(1, false),
      variant(1, true),
      product(2),
      variant(2, false),
      product(3, { featuredMedia: null, publishedAt: null, status: "DRAFT" }),
    ]);
    expect(errors).toEqual([]);
    expect(rows[0]).toEqual({
      id: 1n,
      title: "Product 1",
      handle: "product-1",
      productType: "Home",
      tags: ["gift"],
      status: "ACTIVE",
      publishedAt: new Date("2025-01-01T00:00:00Z"),
      priceMinor: 2450n,
      currencyCode: "USD",
      imageUrl: "https://cdn.example/p.jpg",
      inStock: true,
      tracksInventory: true,
      availableVariantIds: [11n],
      shopifyUpdatedAt: new Date("2025-06-01T00:00:00Z"),
    });
    expect(rows.map((r) => r.availableVariantIds)).toEqual([[11n], [], []]);
    expect(rows.map((r) => [r.id, r.inStock, r.status, r.publishedAt, r.imageUrl])).toEqual([
      [1n, true, "ACTIVE", new Date("2025-01-01T00:00:00Z"), "https://cdn.example/p.jpg"],
      [2n, false, "ACTIVE", new Date("2025-01-01T00:00:00Z"), "https://cdn.example/p.jpg"],
      [3n, false, "DRAFT", null, null],
    ]);
  });

  it("a variant away from its product is not applied: the product stays out of stock", () => {
    const reader = productFamilies();
    const { rows } = read<ProductRow>(reader, [product(1), product(2), variant(1, true)]);
    expect(rows.map((r) => [r.id, r.inStock])).toEqual([
      [1n, false],
      [2n, false],
    ]);
    expect(rows.map((r) => r.availableVariantIds)).toEqual([[], []]);
    expect(reader.strays().get("gid://shopify/Product/1")).toEqual([{ id: 11n, available: true }]);
  });

  it("reports bad lines by field", () => {
    const { errors } = read<ProductRow>(productFamilies(), [
      product(1, { priceRangeV2: { minVariantPrice: { amount: "1.234", currencyCode: "USD" } } }),
      product(2, { title: null }),
      { id: "gid://shopify/ProductVariant/1", __parentId: "gid://shopify/Product/2" },
      { id: "gid://shopify/Product/1", availableForSale: true, __parentId: "gid://shopify/Product/2" },
    ]);
    expect(errors).toEqual([
      '1: "1.234" has more decimals than USD allows (2)',
      "2: title: expected string, got null",
      "3: availableForSale: missing",
      "4: id: not a ProductVariant id",
    ]);
  });
});
