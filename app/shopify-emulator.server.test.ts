import { describe, expect, it } from "vitest";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import {
  emulatorAdminUrl,
  loginThroughEmulatorAdmin,
  rewriteShopifyRequest,
  routeShopifyTrafficToEmulator,
} from "./shopify-emulator.server";

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

describe("logging in through the emulator's admin", () => {
  const redirectTo = (location: string) => async (): Promise<never> => {
    throw new Response(null, { status: 302, headers: { Location: location } });
  };
  const request = new Request("http://127.0.0.1:3000/auth/login?shop=demo.myshopify.com");

  it("sends the hand-over to Shopify admin to the emulator's admin page, path and query kept", async () => {
    const login = loginThroughEmulatorAdmin(
      redirectTo("https://admin.shopify.com/store/demo/oauth/install?client_id=key"),
      "http://127.0.0.1:4000",
      "development",
    );
    const thrown: unknown = await login(request).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown instanceof Response && [thrown.status, thrown.headers.get("Location")]).toEqual([
      302,
      "http://127.0.0.1:4000/store/demo/oauth/install?client_id=key",
    ]);
  });

  it("leaves other answers alone: errors to show, redirects elsewhere", async () => {
    const missing = loginThroughEmulatorAdmin(async () => ({ shop: LoginErrorType.MissingShop }), "http://127.0.0.1:4000", "development");
    expect(await missing(request)).toEqual({ shop: LoginErrorType.MissingShop });
    const elsewhere = loginThroughEmulatorAdmin(redirectTo("http://127.0.0.1:3000/auth?shop=demo.myshopify.com"), "http://127.0.0.1:4000", "development");
    const thrown: unknown = await elsewhere(request).catch((error: unknown) => error);
    expect(thrown instanceof Response && thrown.headers.get("Location")).toBe("http://127.0.0.1:3000/auth?shop=demo.myshopify.com");
    expect(emulatorAdminUrl("https://admin.shopify.com.evil.example/store/demo", new URL("http://127.0.0.1:4000"))).toBeUndefined();
    expect(emulatorAdminUrl("not a url", new URL("http://127.0.0.1:4000"))).toBeUndefined();
  });

  it("refuses to run in production", () => {
    expect(() => loginThroughEmulatorAdmin(redirectTo("https://admin.shopify.com/store/demo"), "http://127.0.0.1:4000", "production")).toThrow(/refusing/);
  });
});
