import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { verifyWebhookSignature } from "../../../app/messaging/channels/webhook-signature";
import type { FaultPlan } from "./faults";
import { readBody, sendJson } from "./http";
import type { SinkLog } from "./log";

// A receiver as a merchant's service should be written: verify the signature over the raw body
// (401 when it does not match or is stale), require an Idempotency-Key, answer 2xx quickly.

const MAX_STORED_BODY = 8 * 1024;

export interface WebhookEntry {
  seq: number;
  at: string;
  key: string | null;
  count: number;
  timestamp: number;
  /** the JSON body as received, cut at 8 KB */
  body: string;
}

const Ping = z.object({ type: z.literal("ping") });

function isPing(body: string): boolean {
  if (body.length > 512) return false;
  try {
    return Ping.safeParse(JSON.parse(body)).success;
  } catch {
    return false;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

export function createWebhookSink(
  config: { signingSecret: string; now: () => number },
  deps: { log: SinkLog<WebhookEntry>; faults: FaultPlan; nextSeq: () => number },
) {
  let pings = 0;
  return {
    get pings(): number {
      return pings;
    },
    reset(): void {
      pings = 0;
    },
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const key = header(req, "idempotency-key") ?? null;
      const reject = (status: number, reason: string, headers: Record<string, string> = {}) => {
        deps.log.reject({ at: new Date().toISOString(), status, reason, key });
        sendJson(res, status, { error: reason }, headers);
      };
      if (req.method !== "POST") return reject(405, "POST only");
      const fault = deps.faults.take("webhook");
      if (fault?.kind === "status")
        return reject(
          fault.status,
          fault.message ?? "injected fault",
          fault.retryAfterSeconds !== undefined ? { "Retry-After": String(fault.retryAfterSeconds) } : {},
        );
      if (fault?.kind === "timeout" && !fault.afterAccept) {
        await deps.faults.hang(fault.hangMs);
        res.destroy();
        return;
      }
      const body = await readBody(req);
      if (body === undefined) return reject(413, "body too large");
      const verified = verifyWebhookSignature({
        secret: config.signingSecret,
        timestamp: header(req, "x-holiday-timestamp"),
        signature: header(req, "x-holiday-signature"),
        body,
        nowMs: config.now(),
      });
      if (!verified.ok) return reject(401, verified.reason);
      if (key === null) return reject(400, "Idempotency-Key header required");
      if (isPing(body)) {
        pings += 1;
        return sendJson(res, 200, { received: true, ping: true });
      }
      const seq = deps.nextSeq();
      deps.log.accept({
        seq,
        at: new Date().toISOString(),
        key,
        count: deps.log.seen(key) + 1,
        timestamp: verified.timestamp,
        body: body.slice(0, MAX_STORED_BODY),
      });
      if (fault?.kind === "timeout") {
        await deps.faults.hang(fault.hangMs);
        res.destroy();
        return;
      }
      sendJson(res, 200, { received: true }, { "X-Request-Id": `wh_${seq}` });
    },
  };
}
