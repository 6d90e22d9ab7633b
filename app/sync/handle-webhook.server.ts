import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { getJobQueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { processWebhookJob } from "./jobs";
import { recordWebhook } from "./record-webhook.server";
import { isComplianceTopic, webhookTopic, type WebhookTopic } from "./webhooks/payloads";

// Larger than any order Shopify sends; anything bigger is refused before it is parsed.
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

/**
 * Every webhook route: refuse oversized bodies (413), verify Shopify's HMAC (401; 400 when its
 * headers are missing), refuse malformed JSON and topics the route does not serve (400), record
 * the delivery durably, queue its processing and answer — the work runs after the answer.
 */
export async function handleWebhook(request: Request, topics: readonly WebhookTopic[]): Promise<Response> {
  const path = new URL(request.url).pathname;
  const body = await readBody(request, MAX_WEBHOOK_BYTES);
  if (body === null) {
    logger.warn("webhook refused: body over limit", { path, limit: MAX_WEBHOOK_BYTES });
    return new Response("Payload too large", { status: 413 });
  }
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(new Request(request.url, { method: request.method, headers: request.headers, body }));
  } catch (error) {
    if (error instanceof Response) {
      logger.warn("webhook refused", { path, status: error.status, reason: error.status === 401 ? "invalid HMAC" : "missing Shopify headers" });
      throw error;
    }
    if (error instanceof SyntaxError) {
      logger.warn("webhook refused: body is not JSON", { path, topic: request.headers.get("x-shopify-topic") });
      return new Response("Malformed JSON", { status: 400 });
    }
    throw error;
  }
  const { shop, apiVersion, webhookId, triggeredAt, payload } = context;
  // The library reports topics as ORDERS_CREATE; Shopify's headers and our records say orders/create.
  const topic = webhookTopic(context.topic);
  if (!topic || !topics.includes(topic)) {
    logger.warn("webhook refused: topic not served here", { path, topic: topic ?? request.headers.get("x-shopify-topic"), shop });
    return new Response(`Topic ${context.topic} is not served at ${path}`, { status: 400 });
  }
  // authenticate.webhook has just loaded the shop's offline session; there is none before install
  // or after app/uninstalled, so it answers "installed?" without another query.
  if (!isComplianceTopic(topic) && topic !== "app/uninstalled" && !context.session) {
    logger.info("webhook ignored: shop has not installed the app", { topic, shop, webhookId });
    return new Response(null, { status: 200 });
  }
  const delivery = await recordWebhook(prisma, {
    shop,
    topic,
    apiVersion,
    webhookId,
    triggeredAt,
    payload,
    rawPayload: body,
  });
  // A redelivery of something not yet processed is queued again: the job id is the webhook id,
  // so this only recovers a delivery whose first enqueue was lost, and never runs one twice.
  if (delivery.status === "received") {
    // Not tagged with the shop: app/uninstalled cancels the shop's queued work, but a compliance
    // delivery queued behind it (shop/redact) must still run.
    await getJobQueue().enqueue(processWebhookJob, { webhookId });
  }
  logger.debug("webhook accepted", { topic, shop, webhookId, duplicate: !delivery.isNew });
  return new Response(null, { status: 200 });
}

/** The body as text, or null when it exceeds `limit` bytes (read incrementally, never whole). */
async function readBody(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Webhook routes take POSTs only. */
export const onlyPost = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
