// RFC 8058 one-click unsubscribe headers for marketing email (Gmail and Yahoo require them of bulk
// senders). Pure. The DKIM signature must cover both headers; that is the sender's part.

export const LIST_UNSUBSCRIBE_POST = "List-Unsubscribe=One-Click";

export interface UnsubscribeHeaders {
  "List-Unsubscribe": string;
  "List-Unsubscribe-Post": typeof LIST_UNSUBSCRIBE_POST;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

// Refused rather than cleaned: the URL parser would silently drop tabs and line breaks, and a
// header that differs from what the caller signed is worse than an error.
function parse(url: string, what: string): URL {
  const unsafe = [...url].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || c === "<" || c === ">");
  if (unsafe) throw new TypeError(`${what} must not contain spaces, control characters or angle brackets`);
  try {
    return new URL(url);
  } catch {
    throw new TypeError(`${what} is not a URL`);
  }
}

// RFC 2369: commas separate the list, so a literal comma inside a URL must be escaped.
const bracket = (u: URL) => `<${u.href.replace(/,/g, "%2C")}>`;

/**
 * `List-Unsubscribe: <https://…>[, <mailto:…>]` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
 * RFC 8058 requires an HTTPS URL that unsubscribes on a POST without further steps; plain http is
 * accepted only for a loopback host (local demo and tests), where no mailbox provider reaches anyway.
 */
export function unsubscribeHeaders(url: string, options: { mailto?: string } = {}): UnsubscribeHeaders {
  const https = parse(url, "the unsubscribe URL");
  if (!(https.protocol === "https:" || (https.protocol === "http:" && LOOPBACK.has(https.hostname)))) {
    throw new TypeError("the unsubscribe URL must be https (RFC 8058)");
  }
  if (https.username || https.password) throw new TypeError("the unsubscribe URL must not carry credentials");
  const links = [bracket(https)];
  if (options.mailto !== undefined) {
    const mailto = parse(options.mailto, "the unsubscribe mailto");
    if (mailto.protocol !== "mailto:" || mailto.pathname === "") throw new TypeError("the unsubscribe mailto must be a mailto: address");
    links.push(bracket(mailto));
  }
  return { "List-Unsubscribe": links.join(", "), "List-Unsubscribe-Post": LIST_UNSUBSCRIBE_POST };
}

/**
 * Whether a POST body is a one-click unsubscribe (RFC 8058 §3.2: the form field
 * `List-Unsubscribe=One-Click`, sent as application/x-www-form-urlencoded or multipart/form-data).
 */
export function isOneClickUnsubscribe(form: URLSearchParams | FormData): boolean {
  return form.getAll("List-Unsubscribe").some((v) => v === "One-Click");
}
