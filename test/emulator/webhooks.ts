import { createHmac, randomUUID } from "node:crypto";

/** Base64 HMAC-SHA256 of the exact raw body, as in X-Shopify-Hmac-Sha256. */
export function signWebhookBody(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface WebhookDelivery {
  url: string;
  shop: string;
  topic: string;
  payload: unknown;
  secret: string;
  apiVersion: string;
  webhookId?: string;
  triggeredAt: Date;
}

/** POSTs one webhook with the headers Shopify sends. */
export async function deliverWebhook(d: WebhookDelivery): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(d.payload);
  const res = await fetch(d.url, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": d.topic,
      "X-Shopify-Hmac-Sha256": signWebhookBody(body, d.secret),
      "X-Shopify-Shop-Domain": d.shop,
      "X-Shopify-API-Version": d.apiVersion,
      "X-Shopify-Webhook-Id": d.webhookId ?? randomUUID(),
      "X-Shopify-Triggered-At": d.triggeredAt.toISOString(),
      "X-Shopify-Event-Id": randomUUID(),
    },
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}

/** The subscribed URL for a topic, from shopify.app.toml-style subscriptions. */
export function webhookUrl(subscriptions: { topics: string[]; uri: string }[], topic: string, appUrl: string): string | undefined {
  const sub = subscriptions.find((s) => s.topics.includes(topic));
  return sub ? new URL(sub.uri, appUrl).toString() : undefined;
}
