import { describe, expect, it } from "vitest";
import { rewriteShopifyRequest, routeShopifyTrafficToEmulator } from "./shopify-emulator.server";

const target = new URL("http://127.0.0.1:4000");

describe("routing Shopify traffic to the emulator", () => {
  it("rewrites shop Admin API and OAuth URLs, keeping path and query", () => {
    expect(
      rewriteShopifyRequest("https://demo.myshopify.com/admin/api/2026-10/graphql.json", target),
    ).toEqual({
      url: "http://127.0.0.1:4000/admin/api/2026-10/graphql.json",
      shop: "demo.myshopify.com",
    });
    expect(
      rewriteShopifyRequest(new URL("https://demo.myshopify.com/admin/oauth/access_token?x=1"), target)?.url,
    ).toBe("http://127.0.0.1:4000/admin/oauth/access_token?x=1");
  });

  it("leaves every other host alone", () => {
    expect(rewriteShopifyRequest("https://example.com/admin/api/graphql.json", target)).toBeUndefined();
    expect(rewriteShopifyRequest("https://evilmyshopify.com/admin", target)).toBeUndefined();
    expect(rewriteShopifyRequest("http://demo.myshopify.com/admin", target)).toBeUndefined();
    expect(rewriteShopifyRequest("https://storage.googleapis.com/bulk.jsonl", target)).toBeUndefined();
  });

  it("refuses to run in production", () => {
    expect(() => routeShopifyTrafficToEmulator("http://127.0.0.1:4000", "production")).toThrow(/refusing/);
  });
});
