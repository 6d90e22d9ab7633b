// Every failure reason the app keeps or shows for a channel (the message log, test connection,
// delivery reports): the answer's status or code and a short class in the app's own words. Never
// the provider's or endpoint's text, which can quote an address, a phone number, or whatever a
// misconfigured server puts in its answer. Pure.

// RFC 5321 §4.2.3 reply codes, for a reply without an enhanced status code.
const SMTP_REPLY: Readonly<Record<number, string>> = {
  421: "service not available",
  450: "mailbox unavailable",
  451: "local error",
  452: "insufficient storage",
  455: "parameters not accommodated",
  500: "syntax error",
  501: "syntax error in parameters",
  502: "command not implemented",
  503: "bad sequence of commands",
  504: "parameter not implemented",
  521: "takes no mail",
  530: "authentication required",
  534: "authentication too weak",
  535: "authentication failed",
  538: "encryption required",
  550: "mailbox unavailable",
  551: "user not local",
  552: "storage exceeded",
  553: "mailbox name not allowed",
  554: "transaction failed",
  555: "parameters not recognised",
  556: "domain takes no mail",
};

// RFC 3463 (and the IANA registry's later codes) by subject.detail.
const SMTP_ENHANCED: Readonly<Record<string, string>> = {
  "1.1": "mailbox unavailable",
  "1.2": "domain not found",
  "1.3": "bad address syntax",
  "1.6": "mailbox moved",
  "1.7": "sender address refused",
  "1.8": "sender domain refused",
  "1.10": "domain takes no mail",
  "2.1": "mailbox disabled",
  "2.2": "mailbox full",
  "2.3": "message too large",
  "3.4": "message too large",
  "4.1": "no answer from host",
  "4.2": "connection dropped",
  "4.7": "delivery time expired",
  "5.3": "too many recipients",
  "7.1": "not authorised by policy",
  "7.8": "authentication failed",
  "7.9": "authentication too weak",
  "7.11": "encryption required",
};

// The subject alone, for details the table above does not name.
const SMTP_SUBJECT: Readonly<Record<string, string>> = {
  "0": "other",
  "1": "address problem",
  "2": "mailbox problem",
  "3": "mail system problem",
  "4": "network or routing problem",
  "5": "protocol error",
  "6": "content refused",
  "7": "refused by policy",
};

const ENHANCED = /(?:^|[\s(#])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/;

/**
 * The RFC 3463 enhanced status code in an SMTP reply ("5.1.1"), leading zeros dropped; usually
 * right after the reply code, qmail puts it last as "(#5.7.1)".
 */
export function enhancedStatusCode(reply: string): string | undefined {
  const text = reply.trim().replace(/^\d{3}[ -]?/, "");
  const match = ENHANCED.exec(text);
  return match ? `${match[1]}.${Number(match[2])}.${Number(match[3])}` : undefined;
}

function enhancedClass(enhanced: string): string {
  const [, subject = "0", detail = "0"] = enhanced.split(".");
  return SMTP_ENHANCED[`${subject}.${detail}`] ?? SMTP_SUBJECT[subject] ?? "other";
}

const replyClass = (code: number): string =>
  code >= 400 && code < 500
    ? "temporary failure"
    : code >= 500 && code < 600
      ? "permanent failure"
      : "unexpected reply";

/** "SMTP 550 5.1.1 (mailbox unavailable)": the reply code, its enhanced code, and what they mean. */
export function smtpReplyReason(responseCode: number, reply: string): string {
  const enhanced = enhancedStatusCode(reply);
  const meaning = enhanced ? enhancedClass(enhanced) : (SMTP_REPLY[responseCode] ?? replyClass(responseCode));
  return `SMTP ${responseCode}${enhanced ? ` ${enhanced}` : ""} (${meaning})`;
}

/**
 * The SMTP codes in free text, such as an email provider's bounce report ("550 5.1.1 user
 * unknown"): as `smtpReplyReason`, or with the enhanced code alone; undefined without either.
 */
export function smtpCodesReason(text: string): string | undefined {
  const reply = /^\s*([245]\d\d)(?:[ -]|$)/.exec(text)?.[1];
  if (reply) return smtpReplyReason(Number(reply), text);
  const enhanced = enhancedStatusCode(text);
  return enhanced ? `SMTP ${enhanced} (${enhancedClass(enhanced)})` : undefined;
}

// Twilio's error dictionary (twilio.com/docs/api/errors), the codes a Messages call or a status
// callback commonly carries.
const TWILIO_ERRORS: Readonly<Record<number, string>> = {
  20003: "authentication failed",
  20404: "not found",
  20429: "too many requests",
  21211: "invalid number",
  21408: "region not enabled",
  21606: "sender cannot send SMS",
  21608: "unverified number on a trial account",
  21610: "recipient replied STOP",
  21612: "unroutable number",
  21614: "not a mobile number",
  21617: "message too long",
  30001: "queue overflow",
  30002: "account suspended",
  30003: "unreachable handset",
  30004: "message blocked",
  30005: "unknown number",
  30006: "landline or unreachable carrier",
  30007: "filtered as spam",
  30008: "unknown error",
};

/** "Twilio 21211 (invalid number)"; a code without a name here keeps the HTTP status as its class. */
export function twilioErrorReason(code: number, httpStatus?: number): string {
  const meaning = TWILIO_ERRORS[code] ?? (httpStatus === undefined ? "error" : `HTTP ${httpStatus}`);
  return `Twilio ${code} (${meaning})`;
}

const HTTP_STATUS: Readonly<Record<number, string>> = {
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
  const text = HTTP_STATUS[status];
  return text ? `HTTP ${status} (${text})` : `HTTP ${status}`;
}

/** What went wrong when no answer came: the connection itself. */
export type ConnectionTrouble = "timeout" | "refused" | "dns" | "tls" | "network";

// Node's (OpenSSL's) verification codes, by what they mean for the merchant.
const UNTRUSTED = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REJECTED",
]);

/** A TLS failure's class from node's error code, or its own message when a wrapper dropped the code. */
export function tlsProblem(code: string | undefined, message = ""): string {
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID" || /does not match certificate's altnames/i.test(message))
    return "certificate not valid for the host name";
  if (code === "CERT_HAS_EXPIRED" || /certificate has expired/i.test(message)) return "certificate expired";
  if (code === "CERT_NOT_YET_VALID") return "certificate not yet valid";
  if (code === "CERT_REVOKED") return "certificate revoked";
  if (
    (code !== undefined && UNTRUSTED.has(code)) ||
    /self[- ]signed certificate|unable to (?:verify|get (?:local )?issuer)/i.test(message)
  )
    return "certificate not trusted";
  return "handshake failed";
}

/** Whether node's error code is a TLS one (handshake or certificate verification). */
export const isTlsErrorCode = (code: string | undefined): boolean =>
  code !== undefined && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);

/** Whether a TLS failure is about the certificate (as opposed to the handshake itself). */
export const isCertificateProblem = (problem: string): boolean => problem.startsWith("certificate");

const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/**
 * "connection refused (ECONNREFUSED)", "TLS certificate not valid for the host name
 * (ERR_TLS_CERT_ALTNAME_INVALID)", "timeout (no answer within 10000 ms)": node's error code, never
 * its message (which can quote the endpoint's certificate or address).
 */
export function connectionReason(
  trouble: ConnectionTrouble,
  code: string | undefined,
  detail: { message?: string; timeoutMs?: number } = {},
): string {
  const shown = code !== undefined && SAFE_CODE.test(code) ? ` (${code})` : "";
  switch (trouble) {
    case "timeout":
      return detail.timeoutMs === undefined
        ? `timeout${shown}`
        : `timeout (no answer within ${detail.timeoutMs} ms)`;
    case "refused":
      return `connection refused${shown}`;
    case "dns":
      return `host not found${shown}`;
    case "tls":
      return `TLS ${tlsProblem(code, detail.message)}${shown}`;
    case "network":
      return `connection failed${shown}`;
    default: {
      const _exhaustive: never = trouble;
      return "connection failed";
    }
  }
}
