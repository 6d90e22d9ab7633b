// The contract every delivery channel (SMTP email, Twilio SMS, outbound webhook) fulfils. The
// dispatcher only sees this module: it hands over one message with its idempotency key and gets
// back what to do next (done, retry later, give up).

import type { SuppressionReason } from "../rules/channels";
import type { AtTurn } from "./limiter";
import type { NetworkPolicy } from "./destination";
import type { ResolveAll } from "./network.server";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface EmailContent {
  channel: "email";
  subject: string;
  html: string;
  text: string;
  /** extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058) */
  headers?: Record<string, string>;
}

export interface SmsContent {
  channel: "sms";
  body: string;
}

export interface WebhookContent {
  channel: "webhook";
  payload: JsonValue;
}

export type MessageContent = EmailContent | SmsContent | WebhookContent;
export type ContentChannel = MessageContent["channel"];

export interface MessageMetadata {
  shop: string;
  campaignId: string;
  customerId: string;
}

export interface OutboundMessage<C extends MessageContent = MessageContent> {
  /** the same on every attempt of one message, so a provider (and our sinks) can spot re-sends */
  idempotencyKey: string;
  /** email address, E.164 phone number, or the customer's id for webhooks */
  to: string;
  content: C;
  metadata: MessageMetadata;
}

export type SendResult =
  | { status: "sent"; providerId: string }
  | { status: "retry"; reason: string; retryAfterMs?: number }
  /**
   * `reason` keeps the provider's error, bounded and without personal data. `suppress`: the
   * provider said the recipient can never take this channel's marketing (a hard bounce, an opt-out
   * at the carrier), so the dispatcher records a local suppression with the failure.
   */
  | { status: "failed"; reason: string; suppress?: SuppressionReason }
  /** never sent: `atTurn` gave this reason when a connection came free */
  | { status: "withdrawn"; reason: string };

export interface SendOptions {
  /**
   * Asked right before the message goes on the wire, after any wait for a free connection behind
   * the process's other sends: a reason not to send it any more, or null.
   */
  atTurn?: AtTurn;
}

export type ConnectionProblem =
  "config" | "dns" | "refused" | "timeout" | "tls" | "auth" | "rejected" | "network" | "destination";

export type ConnectionCheck =
  | { ok: true; detail: string }
  /** `field` names the setting to fix, for the Settings form */
  | { ok: false; problem: ConnectionProblem; field?: string; message: string };

export interface Channel {
  readonly kind: "smtp" | "twilio" | "webhook";
  send(message: OutboundMessage, options?: SendOptions): Promise<SendResult>;
  testConnection(): Promise<ConnectionCheck>;
  /** closes pooled connections; in-flight sends finish first */
  close(): Promise<void>;
}

export interface ChannelOptions {
  /** which addresses the channel may connect to (destination.ts); from the environment */
  network: NetworkPolicy;
  /** how host names are resolved before the policy checks them; the system's resolver by default */
  resolve?: ResolveAll;
  /** per network call, including connect; default 10 s */
  timeoutMs?: number;
  /** concurrent requests (HTTP channels; SMTP uses its pool size); default 64 */
  maxInFlight?: number;
  /** milliseconds since the epoch; webhook timestamps and Retry-After dates */
  now?: () => number;
  /** Twilio: the StatusCallback URL of a message (delivery reports), if the app takes them */
  statusCallbackUrl?: (message: OutboundMessage) => string | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_IN_FLIGHT = 64;

// Safe in a header and a URL without encoding; long enough for `campaign:customer:channel` ids.
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:@-]{1,200}$/;

export function isValidIdempotencyKey(key: string): boolean {
  return IDEMPOTENCY_KEY.test(key);
}

/** Checks that do not need the network; a message failing them can never be sent. */
export function precheck<K extends ContentChannel>(
  message: OutboundMessage,
  channel: K,
):
  | { ok: true; message: OutboundMessage<Extract<MessageContent, { channel: K }>> }
  | { ok: false; result: SendResult } {
  if (!isValidIdempotencyKey(message.idempotencyKey))
    return {
      ok: false,
      result: { status: "failed", reason: "invalid idempotency key (1-200 of A-Z a-z 0-9 . _ : @ -)" },
    };
  if (!isContent(message, channel))
    return {
      ok: false,
      result: {
        status: "failed",
        reason: `a ${message.content.channel} message sent to the ${channel} channel`,
      },
    };
  return { ok: true, message };
}

function isContent<K extends ContentChannel>(
  message: OutboundMessage,
  channel: K,
): message is OutboundMessage<Extract<MessageContent, { channel: K }>> {
  return message.content.channel === channel;
}
