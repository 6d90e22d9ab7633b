import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../http/read-body.server";
import { intakeDb } from "../db.server";
import { getEnv } from "../env.server";
import { getJobQueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { processWebhookBatchJob } from "./jobs";
import { createDeliveryRecorder, type DeliveryRecorder } from "./webhooks/delivery-recorder.server";
import { topicsServedAt } from "./webhooks/routes";
import { verifyDelivery } from "./webhooks/verify-delivery.server";

// Larger than any order Shopify sends; anything bigger is refused before it is parsed.
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;
/** How much of a refused body is still read (and dropped) so the sender gets the answer. */
const MAX_DRAINED_BYTES = 4 * MAX_WEBHOOK_BYTES;

interface Answer {
  status: number;
  text?: string;
}

let recorder: DeliveryRecorder | undefined;
function getRecorder(): DeliveryRecorder {
  recorder ??= createDeliveryRecorder({
    db: intakeDb(),
    // One job per recorded batch: its deliveries are processed together.
    enqueue: async (webhookIds) => {
      if (webhookIds.length > 0) await getJobQueue().enqueue(processWebhookBatchJob, { webhookIds });
    },
  });
  return recorder;
}

/**
 * Every webhook delivery: verify Shopify's HMAC (401; 400 when its headers are missing), refuse
 * malformed JSON and topics the path does not serve (400), record the delivery durably, queue its
 * processing and answer — the work runs after the answer. A shop without the app installed gets
 * 200 and nothing is stored (Shopify would otherwise retry for days).
 */
async function acceptWebhook(
  path: string,
  header: (name: string) => string | undefined,
  body: Buffer,
): Promise<Answer> {
  const verdict = verifyDelivery({ path, header, body, secret: getEnv().SHOPIFY_API_SECRET });
  if (!verdict.ok) {
    logger.warn(verdict.log, verdict.fields);
    return { status: verdict.status, text: verdict.message };
  }
  const { topic, shop, webhookId } = verdict.delivery;
  try {
    const outcome = await getRecorder().record(verdict.delivery);
    if (outcome === "not_installed")
      logger.info("webhook ignored: shop has not installed the app", { topic, shop, webhookId });
    else logger.debug("webhook accepted", { topic, shop, webhookId, duplicate: outcome === "duplicate" });
    return { status: 200 };
  } catch (error) {
    // Not acknowledged: Shopify retries, and the stored row (if any) is queued then.
    logger.error("webhook not recorded", {
      topic,
      shop,
      webhookId,
      error: error instanceof Error ? error.message : String(error),
    });
    return { status: 500, text: "Not recorded, retry later" };
  }
}

/**
 * The production intake, mounted by server.ts in front of Remix: node's request, no Fetch API
 * objects, no routing. The Remix routes below serve the same deliveries under `shopify app dev`.
 */
export function webhookIntake(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  // Not a webhook path: Remix answers it (404).
  if (topicsServedAt(path).length === 0) return next();
  const send = ({ status, text }: Answer) => {
    if (res.headersSent) return;
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(text ?? "");
  };
  // Answered at once; the rest of the body is read and dropped (never kept) so the sender sees the
  // 413 instead of a broken pipe, up to a bound past which the connection is cut.
  const tooLarge = () => {
    logger.warn("webhook refused: body over limit", { path, limit: MAX_WEBHOOK_BYTES });
    send({ status: 413, text: "Payload too large" });
    let drained = 0;
    req.on("data", (chunk: Buffer) => {
      drained += chunk.byteLength;
      if (drained > MAX_DRAINED_BYTES) req.destroy();
    });
    req.resume();
  };
  if (Number(req.headers["content-length"] ?? "0") > MAX_WEBHOOK_BYTES) {
    tooLarge();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on("data", (chunk: Buffer) => {
    if (refused) return;
    size += chunk.byteLength;
    if (size > MAX_WEBHOOK_BYTES) {
      refused = true;
      chunks.length = 0;
      tooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on("error", () => send({ status: 400, text: "Request aborted" }));
  req.on("end", () => {
    if (refused) return;
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    void acceptWebhook(path, header, Buffer.concat(chunks, size)).then((answer) => send(answer));
  });
}

/** The Remix webhook routes (used under the Vite dev server; server.ts answers before Remix). */
export async function handleWebhook(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  const body = await readBody(request, MAX_WEBHOOK_BYTES);
  if (body === null) {
    logger.warn("webhook refused: body over limit", { path, limit: MAX_WEBHOOK_BYTES });
    return new Response("Payload too large", { status: 413 });
  }
  const answer = await acceptWebhook(path, (name) => request.headers.get(name) ?? undefined, body);
  return new Response(answer.text ?? null, { status: answer.status });
}

/** Webhook routes take POSTs only. */
export const onlyPost = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
