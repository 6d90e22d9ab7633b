import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckoutLineItems, lineItemsJson, type CheckoutLineItem } from "./checkout";

describe("a checkout's line items in the Checkout.lineItems column", () => {
  it("are stored with ids and money as decimal strings and read back as bigints", () => {
    const items: CheckoutLineItem[] = [
      {
        productId: 8200000000001n,
        variantId: 9223372036854775807n,
        quantity: 2,
        title: "Scarf",
        variantTitle: "Red",
        priceMinor: 2499n,
      },
      { productId: null, variantId: null, quantity: 1, title: null, variantTitle: null, priceMinor: null },
    ];
    const stored = lineItemsJson(items);
    expect(stored[0]).toEqual({
      productId: "8200000000001",
      variantId: "9223372036854775807",
      quantity: 2,
      title: "Scarf",
      variantTitle: "Red",
      priceMinor: "2499",
    });
    expect(CheckoutLineItems.parse(JSON.parse(JSON.stringify(stored)))).toEqual(items);
  });

  it("what is read is checked: a malformed stored item fails loudly", () => {
    expect(() =>
      CheckoutLineItems.parse([
        { productId: 1, variantId: null, quantity: 1, title: null, variantTitle: null, priceMinor: null },
      ]),
    ).toThrow();
    expect(() =>
      CheckoutLineItems.parse([
        { productId: "1", variantId: null, quantity: 1.5, title: null, variantTitle: null, priceMinor: null },
      ]),
    ).toThrow();
    expect(() => CheckoutLineItems.parse({})).toThrow();
  });

  it("property: any items survive the round trip through JSON", () => {
    const id = fc.option(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), { nil: null });
    const item = fc.record({
      productId: id,
      variantId: id,
      quantity: fc.nat({ max: 10_000 }),
      title: fc.option(fc.string(), { nil: null }),
      variantTitle: fc.option(fc.string(), { nil: null }),
      priceMinor: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 5 }), (items) => {
        expect(CheckoutLineItems.parse(JSON.parse(JSON.stringify(lineItemsJson(items))))).toEqual(items);
      }),
    );
  });
});
