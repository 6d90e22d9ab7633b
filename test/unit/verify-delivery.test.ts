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

  it("refuses a compliance delivery whose signed shop_domain is not the header's shop (401)", () => {
    const compliance = (body: string, shop = "unit.myshopify.com", topic = "customers/redact") =>
      check(body, { "x-shopify-topic": topic, "x-shopify-shop-domain": shop }, "/webhooks/compliance");
    const redact = (shopDomain: unknown) =>
      JSON.stringify({ shop_id: 1, shop_domain: shopDomain, customer: { id: 7 }, orders_to_redact: [] });
    // The header names the victim, the signed body another shop: the body was signed for that one.
    for (const body of [redact("other.myshopify.com"), redact(null), redact(7), '{"customer":{"id":7}}']) {
      expect(compliance(body), body).toMatchObject({
        ok: false,
        status: 401,
        fields: { reason: "shop_domain in the body does not match X-Shopify-Shop-Domain" },
      });
    }
    for (const topic of ["customers/data_request", "shop/redact"]) {
      expect(compliance('{"shop_domain":"other.myshopify.com"}', "unit.myshopify.com", topic)).toMatchObject({
        ok: false,
        status: 401,
      });
    }
    // Shop domains compare without case; the matching delivery is accepted.
    expect(compliance(redact("Unit.MyShopify.com"))).toMatchObject({ ok: true, delivery: { topic: "customers/redact" } });
    expect(compliance(redact("unit.myshopify.com"), "UNIT.myshopify.com")).toMatchObject({
      ok: true,
      delivery: { shop: "unit.myshopify.com" },
    });
    // Other topics carry no shop_domain and are not checked.
    expect(check("{}")).toMatchObject({ ok: true });
  });
});
