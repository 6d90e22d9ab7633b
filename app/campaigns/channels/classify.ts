import type { SuppressionReason } from "../audience/channels";
import type { SendResult } from "./types";

// Turns provider answers into "sent / retry / failed". Transient trouble (rate limits, server
// errors, timeouts, dropped connections) is retried; a rejection that would come back the same
// on every attempt fails the message at once, keeping the provider's words for the merchant.

const MAX_REASON = 300;
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** Provider text without emails or phone numbers, on one line, at most 300 characters. */
export function sanitizeReason(text: string): string {
  // cut first: the patterns below scan back and forth, and provider text can be megabytes
  const cleaned = withoutControlChars(text.slice(0, MAX_REASON * 4))
    .replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:]+/g, "[email]")
    .replace(/\+?\d[\d\s()-]{5,}\d/g, (match) => (match.replace(/\D/g, "").length >= 7 ? "[phone]" : match))
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.length > MAX_REASON ? `${cleaned.slice(0, MAX_REASON - 1)}…` : cleaned;
}

function withoutControlChars(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 32 || code === 127 ? " " : ch;
  }
  return out;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now (capped at a day). */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - nowMs;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  408: "request timeout",
  409: "conflict",
  410: "gone",
  413: "payload too large",
  415: "unsupported media type",
  422: "unprocessable",
  429: "too many requests",
  500: "server error",
  502: "bad gateway",
  503: "unavailable",
  504: "gateway timeout",
};

/** An HTTP status as a short reason ("HTTP 404 (not found)"), never the answer's body. */
export function httpStatusReason(status: number): string {
  const text = STATUS_TEXT[status];
  return text ? `HTTP ${status} (${text})` : `HTTP ${status}`;
}

/** A non-2xx HTTP answer: 408, 429 and 5xx are worth another try, the rest is final. */
export function classifyHttpStatus(status: number, reason: string, retryAfterMs?: number): SendResult {
  const text = sanitizeReason(reason);
  if (status === 408 || status === 429 || status >= 500)
    return retryAfterMs === undefined
      ? { status: "retry", reason: text }
      : { status: "retry", reason: text, retryAfterMs };
  return { status: "failed", reason: text };
}

/** One field of a thrown value, read defensively: errors come in every shape. */
export function errorField(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
}

const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

export interface SmtpErrorFacts {
  code?: string;
  responseCode?: number;
  /** the SMTP command the reply answered (nodemailer's `command`), e.g. "RCPT TO" */
  command?: string;
  /** the server's reply, or the error message when there is none */
  text: string;
}

export function smtpErrorFacts(error: unknown): SmtpErrorFacts {
  const responseCode = errorField(error, "responseCode");
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: asString(errorField(error, "code")),
    responseCode: typeof responseCode === "number" ? responseCode : undefined,
    command: asString(errorField(error, "command")),
    text: asString(errorField(error, "response")) ?? message,
  };
}

// RFC 3463 codes saying the mailbox is gone or never existed: bad destination mailbox, system or
// address syntax, mailbox moved, null MX, mailbox disabled. Everything else of class 5 (policy 5.7.x
// such as "relay access denied", a full mailbox 5.2.2, our sender refused 5.1.0/5.1.7/5.1.8) is
// not the recipient's address: suppressing on it would suppress a whole list behind one
// misconfigured relay.
const GONE_MAILBOX = new Set(["5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1"]);
// Without an enhanced code: mailbox unavailable, user not local, mailbox name not allowed.
const GONE_REPLY = new Set([550, 551, 553]);
const NOT_THE_ADDRESS = /relay|sender|spam|polic|block|blacklist|denylist|reputation|authenticat|rate limit/i;

/** Whether a reply to RCPT TO says the recipient's address can never take mail (a hard bounce). */
export function isHardRecipientBounce(responseCode: number, reply: string): boolean {
  if (responseCode < 500 || responseCode > 599 || responseCode === 503) return false;
  const text = reply.trim().replace(/^\d{3}[ -]?/, "");
  // usually right after the reply code; qmail puts it last, as "(#5.7.1)"
  const enhanced = /(?:^|[\s(#])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/.exec(text);
  if (enhanced) return GONE_MAILBOX.has(`${enhanced[1]}.${Number(enhanced[2])}.${Number(enhanced[3])}`);
  return GONE_REPLY.has(responseCode) && !NOT_THE_ADDRESS.test(text);
}

// Errors that say nothing about the message itself: the connection or its setup went wrong.
const TRANSIENT_CODES = new Set([
  "ECONNECTION",
  "ESOCKET",
  "ETIMEDOUT",
  "EABORT",
  "EDNS",
  "ETLS",
  "EPROXY",
  "EMAXLIMIT",
  // the socket's own errors, from a connection the app opened itself (network.server.ts)
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

export function classifySmtpError(error: unknown): SendResult {
  const facts = smtpErrorFacts(error);
  const reason = sanitizeReason(facts.responseCode ? facts.text : `${facts.code ?? "error"}: ${facts.text}`);
  if (facts.responseCode !== undefined) {
    // 503 "bad sequence of commands" is a session state problem; a new connection gets past it.
    const permanent = facts.responseCode >= 500 && facts.responseCode !== 503;
    if (!permanent) return { status: "retry", reason };
    // Only the answer to RCPT TO is about the recipient; a 5xx to DATA is about the message.
    return facts.command === "RCPT TO" && isHardRecipientBounce(facts.responseCode, facts.text)
      ? { status: "failed", reason, suppress: "bounced" }
      : { status: "failed", reason };
  }
  if (facts.code === "EABORT" || facts.code === "ETIMEDOUT")
    return { status: "retry", reason: sanitizeReason(`timeout: ${facts.text}`) };
  if (facts.code === undefined || TRANSIENT_CODES.has(facts.code)) return { status: "retry", reason };
  // EENVELOPE, EMESSAGE, ECONFIG, EAUTH without a reply…: sending the same message again changes nothing.
  return { status: "failed", reason };
}

// Twilio error codes that say the number will never take marketing, whether Twilio refuses the
// message at once or reports it in a status callback: the recipient replied STOP (21610), the
// number is invalid (21211) or not a mobile (21614), the handset is unreachable (30003) or unknown
// (30005), a landline or unreachable carrier (30006).
const TWILIO_SUPPRESSIONS: ReadonlyMap<number, SuppressionReason> = new Map([
  [21610, "unsubscribed"],
  [21211, "bounced"],
  [21614, "bounced"],
  [30003, "bounced"],
  [30005, "bounced"],
  [30006, "bounced"],
]);

/** The suppression a Twilio error code calls for, if any. */
export function twilioErrorSuppression(code: number | undefined): SuppressionReason | undefined {
  return code === undefined ? undefined : TWILIO_SUPPRESSIONS.get(code);
}
