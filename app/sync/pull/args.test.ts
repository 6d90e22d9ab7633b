import { describe, expect, it } from "vitest";
import { parsePullArgs } from "./args";
import { pullExitCode, type PullErrorCode } from "./pull-error";
import { deniedScope, retryDelayMs } from "./shop-admin.server";

describe("pull arguments", () => {
  it("takes a myshopify.com domain (as pasted from a browser too), the token from --token or the environment", () => {
    expect(parsePullArgs(["--shop", "https://Example-Shop.myshopify.com/", "--token", "shpat_1", "--out", "d"], undefined)).toEqual({
      kind: "run",
      options: { shop: "example-shop.myshopify.com", token: "shpat_1", out: "d" },
    });
    expect(parsePullArgs(["--shop", "a.myshopify.com", "--out", "d"], "shpat_env")).toMatchObject({ kind: "run", options: { token: "shpat_env" } });
  });

  it.each([
    [["--shop", "example.com", "--token", "t", "--out", "d"], "--shop must be the shop's myshopify.com domain, like example.myshopify.com"],
    [["--shop", "a.myshopify.com.evil.com", "--token", "t", "--out", "d"], "--shop must be the shop's myshopify.com domain, like example.myshopify.com"],
    [["--shop", "a.myshopify.com", "--out", "d"], "--token TOKEN (or SHOPIFY_ADMIN_TOKEN) is required"],
    [["--shop", "a.myshopify.com", "--token", "t"], "--out DIR is required"],
  ])("refuses %j", (argv, message) => {
    expect(parsePullArgs(argv, undefined)).toEqual({ kind: "usage-error", message });
  });

  it("exit codes name the cause; waits follow Retry-After, else back off", () => {
    const codes: PullErrorCode[] = ["USAGE", "TOKEN_REFUSED", "SCOPE_MISSING", "SHOP_NOT_FOUND", "EXPORT_FAILED", "SHOPIFY_ERROR"];
    expect(codes.map(pullExitCode)).toEqual([2, 3, 4, 5, 1, 1]);
    expect(retryDelayMs("2", 0)).toBe(2000);
    expect(retryDelayMs(null, 0)).toBe(250);
    expect(retryDelayMs("soon", 3)).toBe(2000);
    expect(retryDelayMs(null, 20)).toBe(30_000);
  });

  it("reads the scope an ACCESS_DENIED error names", () => {
    expect(deniedScope({ message: "Access denied for orders field. Required access: `read_orders` access scope.", extensions: { requiredAccess: "`read_orders` access scope." } })).toBe("read_orders");
    expect(deniedScope({ message: "Access denied for customers field. Required access: `read_customers` access scope." })).toBe("read_customers");
  });
});
