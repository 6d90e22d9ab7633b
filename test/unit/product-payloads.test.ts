import { describe, expect, it } from "vitest";
import { SyncInputError } from "~/sync/rows";
import { orderRowFromPayload } from "~/sync/webhooks/payloads";
import { deletedProductId, productRowFromPayload } from "~/sync/webhooks/product-payloads";
import { examplePayload } from "../support/example-payloads";
import { orderPayload } from "../integration/helpers/webhook-fixtures";

const EXAMPLE_AVAILABLE_VARIANTS = [642667041472713922n, 757650484644203962n];

describe("products/* payloads", () => {
  it.each(["products/create", "products/update"])("%s (Shopify's example) → ProductRow", (topic) => {
    expect(productRowFromPayload(topic, examplePayload(topic), "USD")).toEqual({
      // the example's numeric id exceeds 2^53; its gid is exact
      id: 788032119674292922n,
      title: "Example T-Shirt",
      handle: "example-t-shirt",
      productType: "Shirts",
      tags: ["example", "mens", "t-shirt"],
      status: "ACTIVE",
      publishedAt: new Date("2022-01-01T00:00:00Z"),
      priceMinor: 1999n,
      currencyCode: "USD",
      imageUrl: null,
      inStock: true,
      // the example's variants do not say whether Shopify counts their stock
      tracksInventory: undefined,
      // the variants' exact gids, not their rounded numeric ids
      availableVariantIds: EXAMPLE_AVAILABLE_VARIANTS,
      shopifyUpdatedAt: new Date("2022-01-01T00:00:00Z"),
    });
  });

  it("products/delete names the product; the example's rounded numeric id is refused, not guessed", () => {
    expect(deletedProductId("products/delete", { id: 632910392 })).toBe(632910392n);
    expect(() => deletedProductId("products/delete", examplePayload("products/delete"))).toThrow(
      new SyncInputError('products/delete: field "id" is not a valid Product id'),
    );
  });

  const base = {
    id: 1,
    title: "Mug",
    handle: "mug",
    status: "active",
    updated_at: "2026-11-01T00:00:00Z",
    image: { src: "https://cdn.example/mug.jpg" },
  };
  const variant = (extra: Record<string, unknown>) => ({
    price: "12.00",
    inventory_quantity: 0,
    inventory_policy: "deny",
    ...extra,
  });
  const row = (variants: unknown[]) => productRowFromPayload("products/update", { ...base, variants }, "USD");

  it("is in stock when a variant has stock, sells when out of stock, or has no stock counted", () => {
    expect(row([variant({ inventory_quantity: 3 })])).toMatchObject({
      inStock: true,
      tracksInventory: undefined,
    });
    expect(row([variant({})])).toMatchObject({ inStock: false, tracksInventory: undefined });
    expect(row([variant({ inventory_policy: "continue" })])).toMatchObject({ inStock: true });
    expect(row([variant({ inventory_management: null })])).toMatchObject({
      inStock: true,
      tracksInventory: false,
    });
    expect(row([variant({ inventory_management: "shopify" })])).toMatchObject({
      inStock: false,
      tracksInventory: true,
    });
    expect(row([])).toMatchObject({
      inStock: false,
      priceMinor: 0n,
      imageUrl: "https://cdn.example/mug.jpg",
    });
  });

  it("lists the variants that can be bought now by id; one whose id cannot be read exactly is left out", () => {
    expect(
      row([
        variant({ id: 11, inventory_quantity: 2 }),
        variant({ id: 12 }),
        variant({ admin_graphql_api_id: "gid://shopify/ProductVariant/13", id: 2 ** 60, inventory_policy: "continue" }),
        variant({ id: 2 ** 60, inventory_quantity: 5 }),
        variant({ id: "14", inventory_management: null }),
        variant({ inventory_quantity: 1 }),
      ]),
    ).toMatchObject({ inStock: true, availableVariantIds: [11n, 13n, 14n] });
    expect(row([variant({ id: 12 })])).toMatchObject({ inStock: false, availableVariantIds: [] });
  });

  it("takes the lowest variant price, exactly, in the shop's currency", () => {
    expect(row([variant({ price: "19.99" }), variant({ price: "7.50" })])).toMatchObject({
      priceMinor: 750n,
      currencyCode: "USD",
    });
    expect(() => row([variant({ price: "1.999" })])).toThrow(/products\/update: field "variants.0.price"/);
  });

  it("a missing required field names the field", () => {
    expect(() => productRowFromPayload("products/create", { ...base, title: undefined }, "USD")).toThrow(
      'products/create: missing required field "title"',
    );
  });
});

describe("orders' line items", () => {
  const order = orderPayload({
    id: 7,
    customerId: 1,
    createdAt: "2026-11-01T00:00:00Z",
    updatedAt: "2026-11-01T00:00:00Z",
    cancelled: false,
    test: false,
    total: "10.00",
    discount: "0.00",
  });

  it("give the order's distinct products, sorted; custom items have none", () => {
    const lineItems = [{ product_id: 5 }, { product_id: null }, { product_id: "3" }, { product_id: 5 }, {}];
    expect(orderRowFromPayload("orders/create", { ...order, line_items: lineItems }).productIds).toEqual([
      3n,
      5n,
    ]);
    expect(orderRowFromPayload("orders/create", { ...order, line_items: [] }).productIds).toEqual([]);
  });

  it("keep what is stored when absent, or when a product id is beyond a JSON number's precision", () => {
    expect(orderRowFromPayload("orders/create", order).productIds).toBeUndefined();
    expect(orderRowFromPayload("orders/create", examplePayload("orders/create")).productIds).toBeUndefined();
  });
});
