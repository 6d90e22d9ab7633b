import { classifyHttpStatus, parseRetryAfter, sanitizeReason } from "./classify";
import { httpStatusReason } from "./failure-reason";
import { createHttpClient, describeNetworkProblem, networkResult } from "./http.server";
import { Limiter } from "./limiter";
import type { WebhookChannelSettings } from "./settings";
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT_MS, precheck } from "./types";
import type {
  Channel,
  ChannelOptions,
  ConnectionCheck,
  JsonValue,
  MessageMetadata,
  SendResult,
} from "./types";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from "./webhook-signature";

// Outbound webhook: a signed JSON POST any tool can take (Klaviyo flows, Zapier, a merchant's own
// service). The body is one of
//   { "type": "message", "idempotencyKey", "to", "shop", "campaignId", "customerId", "payload" }
//   { "type": "ping", "idempotencyKey", "shop": null }                       (Test connection)
// with the headers described in webhook-signature.ts. Any 2xx counts as delivered.

export interface WebhookEnvelope {
  type: "message";
  idempotencyKey: string;
  to: string;
  shop: string;
  campaignId: string;
  customerId: string;
  payload: JsonValue;
}

export function webhookEnvelope(
  key: string,
  to: string,
  metadata: MessageMetadata,
  payload: JsonValue,
): WebhookEnvelope {
  return {
    type: "message",
    idempotencyKey: key,
    to,
    shop: metadata.shop,
    campaignId: metadata.campaignId,
    customerId: metadata.customerId,
    payload,
  };
}

export function createWebhookChannel(settings: WebhookChannelSettings, options: ChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const limiter = new Limiter(maxInFlight);
  const http = createHttpClient(options.network, maxInFlight, options.resolve);

  const post = (key: string, body: string) => {
    const timestamp = Math.floor(now() / 1000);
    return http.call(
      settings.url,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "holiday-segments-webhooks/1",
          [IDEMPOTENCY_HEADER]: key,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhookBody(settings.signingSecret, timestamp, body),
        },
        body,
      },
      timeoutMs,
    );
  };

  const send: Channel["send"] = async (input, sendOptions): Promise<SendResult> => {
    const checked = precheck(input, "webhook");
    if (!checked.ok) return checked.result;
    const { idempotencyKey, to, metadata, content } = checked.message;
    const body = JSON.stringify(webhookEnvelope(idempotencyKey, to, metadata, content.payload));
    const turn = await limiter.runAtTurn(() => post(idempotencyKey, body), sendOptions?.atTurn);
    if (!turn.ran) return { status: "withdrawn", reason: turn.withdrawn };
    const outcome = turn.value;
    if (outcome.kind === "network") return networkResult(outcome);
    if (outcome.status >= 200 && outcome.status < 300)
      return {
        status: "sent",
        providerId: sanitizeReason(outcome.headers.get("x-request-id") ?? idempotencyKey),
      };
    // The status only: the answer's body is the endpoint's, not ours to store or show.
    const reason = httpStatusReason(outcome.status);
    return classifyHttpStatus(
      outcome.status,
      reason,
      parseRetryAfter(outcome.headers.get("retry-after"), now()),
    );
  };

  const testConnection = async (): Promise<ConnectionCheck> => {
    const key = `ping-${now()}`;
    const outcome = await post(key, JSON.stringify({ type: "ping", idempotencyKey: key, shop: null }));
    if (outcome.kind === "network")
      return {
        ok: false,
        problem: outcome.problem,
        field: "url",
        message: describeNetworkProblem(outcome, settings.url),
      };
    if (outcome.status >= 200 && outcome.status < 300)
      return { ok: true, detail: `The endpoint accepted a signed test event (HTTP ${outcome.status}).` };
    const answer = httpStatusReason(outcome.status);
    if (outcome.status === 401 || outcome.status === 403)
      return {
        ok: false,
        problem: "auth",
        field: "signingSecret",
        message: `The endpoint refused the signed test event; check the signing secret (${answer}).`,
      };
    return {
      ok: false,
      problem: "rejected",
      field: "url",
      message: `The endpoint did not accept the test event (${answer}).`,
    };
  };

  return { kind: "webhook", send, testConnection, close: async () => http.close() };
}
