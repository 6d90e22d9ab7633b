import { createHmac, timingSafeEqual } from "node:crypto";
import type { LogFields } from "../../logger.server";
import { isComplianceTopic, webhookTopic, type WebhookTopic } from "./payloads";
import { topicsServedAt } from "./routes";

// Shopify's webhook checks, done by hand on the raw body: the intake answers a thousand deliveries
// a second, and this is a few microseconds of node:crypto where the library's request handling
// cost milliseconds. Same order and statuses as `authenticate.webhook`: missing headers 400,
// bad HMAC 401, then what the app itself refuses (not JSON, topic not served here) 400. The
// X-Shopify-Shop-Domain header is not signed: a compliance delivery, which deletes or exports a
// shop's data, must also name that shop in its signed body (`shop_domain`), else 401.

export interface VerifiedDelivery {
  webhookId: string;
  shop: string;
  topic: WebhookTopic;
  apiVersion: string;
  /** ISO instant, or null when Shopify did not say or said something unreadable. */
  triggeredAt: string | null;
  /** The body exactly as signed; known to be JSON. */
  body: string;
}

export type DeliveryVerdict =
  | { ok: true; delivery: VerifiedDelivery }
  | { ok: false; status: 400 | 401; message: string; log: string; fields: LogFields };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

/** `header(name)` reads a request header by its lower-case name. */
export function verifyDelivery(args: {
  path: string;
  header: (name: string) => string | undefined;
  body: Buffer;
  secret: string;
}): DeliveryVerdict {
  const { path, header, body } = args;
  const hmac = header("x-shopify-hmac-sha256");
  const topicHeader = header("x-shopify-topic");
  const shop = header("x-shopify-shop-domain");
  const webhookId = header("x-shopify-webhook-id");
  const apiVersion = header("x-shopify-api-version");
  if (!hmac || !topicHeader || !shop || !webhookId || !apiVersion) {
    const missing = [
      ["X-Shopify-Hmac-Sha256", hmac],
      ["X-Shopify-Topic", topicHeader],
      ["X-Shopify-Shop-Domain", shop],
      ["X-Shopify-Webhook-Id", webhookId],
      ["X-Shopify-API-Version", apiVersion],
    ]
      .filter(([, value]) => !value)
      .map(([name]) => name)
      .join(",");
    return refuse(400, "Missing Shopify webhook headers", "webhook refused: missing Shopify headers", {
      path,
      missing,
    });
  }
  if (!signatureMatches(body, hmac, args.secret)) {
    return refuse(401, "Unauthorized", "webhook refused", { path, status: 401, reason: "invalid HMAC" });
  }
  if (!SHOP_DOMAIN.test(shop)) {
    return refuse(400, "Invalid shop domain", "webhook refused: invalid shop domain", { path });
  }
  const text = body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(400, "Malformed JSON", "webhook refused: body is not JSON", { path, topic: topicHeader });
  }
  const topic = webhookTopic(topicHeader);
  if (!topic || !topicsServedAt(path).includes(topic)) {
    return refuse(
      400,
      `Topic ${topicHeader} is not served at ${path}`,
      "webhook refused: topic not served here",
      {
        path,
        topic: topic ?? topicHeader,
        shop,
      },
    );
  }
  if (isComplianceTopic(topic) && signedShopDomain(json) !== shop.toLowerCase()) {
    return refuse(401, "Unauthorized", "webhook refused", {
      path,
      status: 401,
      topic,
      reason: "shop_domain in the body does not match X-Shopify-Shop-Domain",
    });
  }
  return {
    ok: true,
    delivery: {
      webhookId,
      shop: shop.toLowerCase(),
      topic,
      apiVersion,
      triggeredAt: instant(header("x-shopify-triggered-at")),
      body: text,
    },
  };
}

function signedShopDomain(json: unknown): string | null {
  if (typeof json !== "object" || json === null || !("shop_domain" in json)) return null;
  const domain = json.shop_domain;
  return typeof domain === "string" ? domain.toLowerCase() : null;
}

function signatureMatches(body: Buffer, header: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function instant(value: string | undefined): string | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

const refuse = (status: 400 | 401, message: string, log: string, fields: LogFields): DeliveryVerdict => ({
  ok: false,
  status,
  message,
  log,
  fields,
});
