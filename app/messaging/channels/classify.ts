import type { SuppressionReason } from "../rules/channels";
import type { SendResult } from "./types";
import {
  connectionReason,
  enhancedStatusCode,
  isTlsErrorCode,
  smtpReplyReason,
  type ConnectionTrouble,
} from "./failure-reason";

// Turns provider answers into "sent / retry / failed". Transient trouble (rate limits, server
// errors, timeouts, dropped connections) is retried; a rejection that would come back the same
// on every attempt fails the message at once. The reason kept is classified (failure-reason.ts):
// codes and a short class, never the provider's words.

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

/**
 * A non-2xx HTTP answer: 408, 429 and 5xx are worth another try, the rest is final. `reason` is
 * the classified one (failure-reason.ts).
 */
export function classifyHttpStatus(status: number, reason: string, retryAfterMs?: number): SendResult {
  if (status === 408 || status === 429 || status >= 500)
    return retryAfterMs === undefined
      ? { status: "retry", reason }
      : { status: "retry", reason, retryAfterMs };
  return { status: "failed", reason };
}

/** One field of a thrown value, read defensively: errors come in every shape. */
export function errorField(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
}

const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

export interface SmtpErrorFacts {
  /** nodemailer's code (ESOCKET, EAUTH, EENVELOPE …) */
  code?: string;
  /** the socket's own code under nodemailer's (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID …) */
  originalCode?: string;
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
    originalCode: asString(errorField(error, "originalCode")),
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
  const enhanced = enhancedStatusCode(reply);
  if (enhanced) return GONE_MAILBOX.has(enhanced);
  return GONE_REPLY.has(responseCode) && !NOT_THE_ADDRESS.test(reply.trim().replace(/^\d{3}[ -]?/, ""));
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

const SMTP_CLIENT_ERRORS: Readonly<Record<string, string>> = {
  EAUTH: "login refused",
  ENOAUTH: "login required",
  EENVELOPE: "envelope refused",
  EMESSAGE: "message refused",
  ECONFIG: "configuration",
  ESTREAM: "message stream error",
  EPROTOCOL: "protocol error",
};

/** The connection trouble behind an SMTP error without a reply; undefined when it is not one. */
export function smtpConnectionTrouble(facts: SmtpErrorFacts): ConnectionTrouble | undefined {
  if (facts.responseCode !== undefined) return undefined;
  if (facts.code !== undefined && !TRANSIENT_CODES.has(facts.code)) return undefined;
  const code = facts.originalCode ?? facts.code;
  if (facts.code === "ETIMEDOUT" || facts.code === "EABORT" || code === "ETIMEDOUT") return "timeout";
  if (
    facts.code === "EDNS" ||
    code === "ENOTFOUND" ||
    code === "EAI_AGAIN" ||
    /ENOTFOUND|EAI_AGAIN/.test(facts.text)
  )
    return "dns";
  if (code === "ECONNREFUSED" || /ECONNREFUSED/.test(facts.text)) return "refused";
  if (facts.code === "ETLS" || isTlsErrorCode(code) || /SSL|TLS|certificate/i.test(facts.text)) return "tls";
  return "network";
}

/**
 * An SMTP failure as the message log keeps it: "SMTP 550 5.1.1 (mailbox unavailable)", a
 * connection's trouble ("TLS certificate not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)"), or the
 * client's own code ("SMTP EAUTH (login refused)"). Never the server's text.
 */
export function smtpFailureReason(facts: SmtpErrorFacts, timeoutMs?: number): string {
  if (facts.responseCode !== undefined) return smtpReplyReason(facts.responseCode, facts.text);
  // the app's own refusal (network.server.ts), naming the host the merchant typed
  if (facts.code === "EDESTINATION") return sanitizeReason(facts.text);
  const trouble = smtpConnectionTrouble(facts);
  if (trouble) {
    const code = facts.originalCode ?? facts.code;
    return connectionReason(trouble, code, { message: facts.text, timeoutMs });
  }
  const label = facts.code ? SMTP_CLIENT_ERRORS[facts.code] : undefined;
  return label ? `SMTP ${facts.code ?? ""} (${label})` : "SMTP error";
}

/** `timeoutMs`: the channel's deadline, named when it ran out */
export function classifySmtpError(error: unknown, timeoutMs?: number): SendResult {
  const facts = smtpErrorFacts(error);
  const reason = smtpFailureReason(facts, timeoutMs);
  if (facts.responseCode !== undefined) {
    // 503 "bad sequence of commands" is a session state problem; a new connection gets past it.
    const permanent = facts.responseCode >= 500 && facts.responseCode !== 503;
    if (!permanent) return { status: "retry", reason };
    // Only the answer to RCPT TO is about the recipient; a 5xx to DATA is about the message.
    return facts.command === "RCPT TO" && isHardRecipientBounce(facts.responseCode, facts.text)
      ? { status: "failed", reason, suppress: "bounced" }
      : { status: "failed", reason };
  }
  if (smtpConnectionTrouble(facts)) return { status: "retry", reason };
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
