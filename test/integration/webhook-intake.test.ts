import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";

// Bad input at the webhook door: each gets the right status and a log line, and nothing stored is lost.
const SHOP = "intake-store.myshopify.com";
const SECRET = "intake-secret";
let demo: Demo;
let dataDir: string;
let appLog = "";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "intake-"));
  demo = await startDemo({
    apiKey: "intake-key",
    apiSecret: SECRET,
    shop: SHOP,
    customers: 20,
    seed: 5,
    dataDir,
    log: (line) => {
      appLog += `${line}\n`;
    },
    install: true,
  });
});

afterAll(async () => {
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function signedPost(path: string, body: string, topic: string, shop = SHOP, id = `id-${Math.random()}`) {
  return fetch(`${demo.appUrl}${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": id,
      "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
    },
    body,
  });
}

describe("webhook intake", () => {
  it("answers 400 to a signed body that is not JSON, and says so in the log", async () => {
    const response = await signedPost("/webhooks/orders", "{not json", "orders/create");
    expect(response.status).toBe(400);
    await expect.poll(() => appLog).toMatch(/webhook refused: body is not JSON/);
  });

  it("answers 413 to an oversized body without reading it all", async () => {
    const huge = JSON.stringify({ id: 1, note: "x".repeat(6 * 1024 * 1024) });
    const response = await signedPost("/webhooks/orders", huge, "orders/create");
    expect(response.status).toBe(413);
    await expect.poll(() => appLog).toMatch(/webhook refused: body over limit/);
  });

  it("answers 400 to a topic the route does not serve", async () => {
    const response = await signedPost("/webhooks/orders", JSON.stringify({ id: 1 }), "products/update");
    expect(response.status).toBe(400);
    await expect.poll(() => appLog).toMatch(/topic not served here .*topic=products\/update/);
  });

  it("answers 404 to a path no webhook is served at", async () => {
    const response = await signedPost(
      "/webhooks/inventory_levels",
      JSON.stringify({ id: 1 }),
      "inventory_levels/update",
    );
    expect(response.status).toBe(404);
  });

  it("acknowledges but ignores a shop that has not installed the app", async () => {
    const response = await signedPost(
      "/webhooks/orders",
      JSON.stringify({ id: 1 }),
      "orders/create",
      "stranger.myshopify.com",
    );
    expect(response.status).toBe(200);
    await expect
      .poll(() => appLog)
      .toMatch(/webhook ignored: shop has not installed the app topic=orders\/create shop=stranger/);
  });

  it("answers 401 to a compliance delivery whose signed shop_domain names another shop", async () => {
    const body = (shopDomain: string) =>
      JSON.stringify({ shop_id: 1, shop_domain: shopDomain, customer: { id: 1 }, orders_to_redact: [] });
    const forged = await signedPost("/webhooks/compliance", body("other-store.myshopify.com"), "customers/redact");
    expect(forged.status).toBe(401);
    await expect.poll(() => appLog).toMatch(/webhook refused .*reason="shop_domain in the body does not match X-Shopify-Shop-Domain"/);
    const same = await signedPost("/webhooks/compliance", body(SHOP), "customers/redact");
    expect(same.status).toBe(200);
  });

  it("answers 405 to a GET", async () => {
    const response = await fetch(`${demo.appUrl}/webhooks/orders`);
    expect(response.status).toBe(405);
  });
});
