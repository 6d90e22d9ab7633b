import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { markWebhookProcessed, recordWebhook, type WebhookReceipt } from "./record-webhook.server";

/**
 * Every webhook route: verify Shopify's HMAC (authenticate.webhook answers 401/400/405 itself),
 * record the delivery durably, then run the topic's work once — a redelivery is acknowledged
 * without running it again.
 */
export async function handleWebhook(
  request: Request,
  work?: (receipt: WebhookReceipt) => Promise<void>,
): Promise<Response> {
  const { shop, topic, apiVersion, webhookId, triggeredAt, payload } = await authenticate.webhook(request);
  const receipt: WebhookReceipt = { shop, topic, apiVersion, webhookId, triggeredAt, payload };
  const isNew = await recordWebhook(prisma, receipt);
  if (isNew && work) {
    await work(receipt);
    await markWebhookProcessed(prisma, webhookId);
  }
  return new Response(null, { status: 200 });
}
