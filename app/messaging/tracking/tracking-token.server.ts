import { createHash, createHmac, timingSafeEqual } from "node:crypto";

// The tokens of a message's open pixel and tracked links. A click token names the message and the
// link's id; the destination is looked up by that id in the links the message was sent with, so
// no request can choose where the redirect goes. Tokens are short because texts pay per character:
// the message id's 20 bytes, a 9-byte link id and a 12-byte MAC, each in base64url.
//
//   click: <message>.<link>.<mac>     open: <message>.<mac>
//
// The MAC covers the kind and the fields, so an open token is never a click token and no field
// can be changed. They do not expire: people open and click holiday mail weeks later.

const MESSAGE_ID = /^m_([0-9a-f]{40})$/;
const MESSAGE_FIELD = /^[A-Za-z0-9_-]{27}$/;
const LINK_FIELD = /^[A-Za-z0-9_-]{12}$/;
const MAC_FIELD = /^[A-Za-z0-9_-]{16}$/;
const MIN_SECRET_BYTES = 16;

export type TrackingKind = "click" | "open";

export interface ClickClaims {
  outboxId: string;
  linkId: string;
}

function checkedSecret(secret: Uint8Array): Uint8Array {
  // a configuration bug, not a bad token
  if (secret.length < MIN_SECRET_BYTES)
    throw new TypeError(`the tracking secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return secret;
}

const mac = (secret: Uint8Array, kind: TrackingKind, fields: string) =>
  createHmac("sha256", checkedSecret(secret))
    .update(`holiday-segments/${kind}\n${fields}`, "utf8")
    .digest()
    .subarray(0, 12)
    .toString("base64url");

/** Outbox ids the app makes (m_ and 40 hex digits); only these fit a short token. */
export const isTrackableMessageId = (outboxId: string): boolean => MESSAGE_ID.test(outboxId);

function messageField(outboxId: string): string {
  const match = MESSAGE_ID.exec(outboxId);
  if (!match?.[1]) throw new TypeError("only outbox message ids (m_ and 40 hex digits) can be tracked");
  return Buffer.from(match[1], "hex").toString("base64url");
}

const outboxIdOf = (field: string) => `m_${Buffer.from(field, "base64url").toString("hex")}`;

function macMatches(secret: Uint8Array, kind: TrackingKind, fields: string, given: string): boolean {
  return timingSafeEqual(Buffer.from(given, "ascii"), Buffer.from(mac(secret, kind, fields), "ascii"));
}

/** The id of a destination within a shop's links: the first 9 bytes of its SHA-256. */
export function linkIdFor(url: string): string {
  return createHash("sha256").update(url, "utf8").digest().subarray(0, 9).toString("base64url");
}

export function createClickToken(claims: ClickClaims, secret: Uint8Array): string {
  if (!LINK_FIELD.test(claims.linkId)) throw new TypeError("a link id is 12 base64url characters");
  const fields = `${messageField(claims.outboxId)}.${claims.linkId}`;
  return `${fields}.${mac(secret, "click", fields)}`;
}

export function createOpenToken(outboxId: string, secret: Uint8Array): string {
  const fields = messageField(outboxId);
  return `${fields}.${mac(secret, "open", fields)}`;
}

/** The message and link of a valid click token, or null for anything else. */
export function verifyClickToken(token: unknown, secret: Uint8Array): ClickClaims | null {
  if (typeof token !== "string" || token.length > 64) return null;
  const [message = "", link = "", signature = "", ...rest] = token.split(".");
  if (rest.length > 0 || !MESSAGE_FIELD.test(message) || !LINK_FIELD.test(link) || !MAC_FIELD.test(signature))
    return null;
  if (!macMatches(secret, "click", `${message}.${link}`, signature)) return null;
  return { outboxId: outboxIdOf(message), linkId: link };
}

/** The message of a valid open token (a trailing ".gif" allowed), or null. */
export function verifyOpenToken(token: unknown, secret: Uint8Array): string | null {
  if (typeof token !== "string" || token.length > 64) return null;
  const [message = "", signature = "", ...rest] = token.replace(/\.gif$/, "").split(".");
  if (rest.length > 0 || !MESSAGE_FIELD.test(message) || !MAC_FIELD.test(signature)) return null;
  if (!macMatches(secret, "open", message, signature)) return null;
  return outboxIdOf(message);
}
