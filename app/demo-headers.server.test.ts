import { afterEach, describe, expect, it, vi } from "vitest";

const base = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
};

async function headersWith(env: Record<string, string>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  const { allowEmulatorAdminToFrame } = await import("./demo-headers.server");
  const headers = new Headers({
    "Content-Security-Policy": "frame-ancestors https://demo.myshopify.com https://admin.shopify.com;",
  });
  allowEmulatorAdminToFrame(headers);
  return headers.get("Content-Security-Policy");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("framing by the emulator's admin page", () => {
  it("adds the emulator origin only when an emulator is configured", async () => {
    expect(await headersWith({ ...base, SHOPIFY_EMULATOR_URL: "http://127.0.0.1:4000" })).toBe(
      "frame-ancestors https://demo.myshopify.com https://admin.shopify.com http://127.0.0.1:4000;",
    );
    expect(await headersWith({ ...base, SHOPIFY_EMULATOR_URL: "" })).toBe(
      "frame-ancestors https://demo.myshopify.com https://admin.shopify.com;",
    );
  });
});
