import { describe, expect, it } from "vitest";
import { offeredProduct, storefrontHost, templateProduct, type StoredProduct } from "./catalogue";

const stored: StoredProduct = {
  id: "8200000000001",
  title: "Cozy Sweater",
  handle: "cozy-sweater",
  productType: "Apparel",
  tags: ["winter"],
  priceMinor: "4999",
  currencyCode: "USD",
  imageUrl: "https://cdn.example/products/cozy-sweater.jpg",
  salesCount: 3,
  sellable: true,
};
const storefront = { domain: "shop.example", currencyCode: "USD" };

describe("a stored product in a message", () => {
  it("links to the storefront, prices in the shop's minor units exactly", () => {
    expect(templateProduct(stored, storefront)).toEqual({
      title: "Cozy Sweater",
      url: "https://shop.example/products/cozy-sweater",
      price: "49.99",
      imageUrl: "https://cdn.example/products/cozy-sweater.jpg",
    });
    expect(
      templateProduct(
        { ...stored, priceMinor: "1200", currencyCode: "JPY" },
        { ...storefront, currencyCode: "JPY" },
      )?.price,
    ).toBe("1200");
  });

  it("leaves out an image a template cannot use, and refuses what it cannot show faithfully", () => {
    expect(
      templateProduct({ ...stored, imageUrl: "ftp://cdn.example/x.jpg" }, storefront),
    ).not.toHaveProperty("imageUrl");
    expect(templateProduct({ ...stored, imageUrl: null }, storefront)).not.toHaveProperty("imageUrl");
    expect(templateProduct({ ...stored, currencyCode: "EUR" }, storefront)).toBeNull();
    expect(templateProduct({ ...stored, handle: "" }, storefront)).toBeNull();
    expect(templateProduct({ ...stored, title: "x".repeat(300) }, storefront)).toBeNull();
  });

  it("is offered as sellable only when it is sellable and can be shown", () => {
    expect(offeredProduct(stored, storefront)).toMatchObject({ id: stored.id, sellable: true });
    expect(offeredProduct({ ...stored, sellable: false }, storefront)).toMatchObject({
      sellable: false,
      product: null,
    });
    expect(offeredProduct({ ...stored, currencyCode: "EUR" }, storefront)).toMatchObject({
      sellable: false,
      product: null,
    });
  });
});

describe("storefrontHost", () => {
  it("takes the host of Shopify's primary domain URL, else the shop", () => {
    expect(storefrontHost("https://shop.example", "s.myshopify.com")).toBe("shop.example");
    expect(storefrontHost("https://shop.example/", "s.myshopify.com")).toBe("shop.example");
    expect(storefrontHost(null, "s.myshopify.com")).toBe("s.myshopify.com");
    expect(storefrontHost("shop.example", "s.myshopify.com")).toBe("shop.example");
  });
});
