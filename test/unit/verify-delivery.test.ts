import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyDelivery } from "~/sync/webhooks/verify-delivery.server";

const SECRET = "unit-secret";
const sign = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("base64");

function check(body: string, overrides: Record<string, string | undefined> = {}, path = "/webhooks/orders") {
  const headers: Record<string, string | undefined> = {
    "x-shopify-hmac-sha256": sign(body),
    "x-shopify-topic": "orders/create",
    "x-shopify-shop-domain": "unit.myshopify.com",
    "x-shopify-webhook-id": "wh-1",
    "x-shopify-api-version": "2026-10",
    "x-shopify-triggered-at": "2026-11-27T10:00:00.123Z",
    ...overrides,
  };
  return verifyDelivery({ path, header: (name) => headers[name], body: Buffer.from(body), secret: SECRET });
}

describe("verifyDelivery", () => {
  it("accepts a signed delivery and keeps the body as signed", () => {
    const body = '{"id": 1,  "note": "caf\\u00e9"}';
    expect(check(body)).toEqual({
      ok: true,
      delivery: {
        webhookId: "wh-1",
        shop: "unit.myshopify.com",
        topic: "orders/create",
        apiVersion: "2026-10",
        triggeredAt: "2026-11-27T10:00:00.123Z",
        body,
      },
    });
    // The library's storage form of a topic is accepted too; an unreadable trigger time is dropped.
    const stored = check(body, { "x-shopify-topic": "ORDERS_CREATE", "x-shopify-triggered-at": "soon" });
    expect(stored.ok && stored.delivery).toMatchObject({ topic: "orders/create", triggeredAt: null });
  });

  it("names every missing header (400)", () => {
    const verdict = check("{}", { "x-shopify-webhook-id": undefined, "x-shopify-api-version": "" });
    expect(verdict).toMatchObject({
      ok: false,
      status: 400,
      fields: { missing: "X-Shopify-Webhook-Id,X-Shopify-API-Version" },
    });
  });

  it("refuses a wrong, truncated or foreign signature (401) before reading the body", () => {
    expect(check("{}", { "x-shopify-hmac-sha256": sign("{} ") })).toMatchObject({ ok: false, status: 401 });
    expect(check("{}", { "x-shopify-hmac-sha256": sign("{}").slice(0, 20) })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(check("{}", { "x-shopify-hmac-sha256": sign("{}", "other-secret") })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(check("{not json", { "x-shopify-hmac-sha256": "AAAA" })).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses malformed JSON, a bad shop domain and a topic the path does not serve (400)", () => {
    expect(check("{not json")).toMatchObject({
      ok: false,
      status: 400,
      log: "webhook refused: body is not JSON",
    });
    expect(check("{}", { "x-shopify-shop-domain": "evil.example.com" })).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(check("{}", { "x-shopify-topic": "customers/create" })).toMatchObject({
      ok: false,
      status: 400,
      log: "webhook refused: topic not served here",
    });
    expect(check("{}", { "x-shopify-topic": "products/create" })).toMatchObject({ ok: false, status: 400 });
    expect(check("{}", {}, "/webhooks/compliance")).toMatchObject({ ok: false, status: 400 });
  });
});
