import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// The token in an unsubscribe link: it names the shop, customer, channel and send it was issued for,
// signed with a server secret, so it cannot be forged or turned on another customer. It does not
// expire by default (RFC 8058 links are used days later, CASL wants 60 days), but carries the time
// it was issued so a caller can bound its age.
//
// Format: "u1.<base64url JSON [shop, customerId, channel, sendId, issuedAt]>.<base64url HMAC-SHA256>".
// The MAC covers the exact text of the first two fields, so any change to them or to the MAC fails.

export const UNSUBSCRIBE_CHANNELS = ["email", "sms"] as const;
export type UnsubscribeChannel = (typeof UNSUBSCRIBE_CHANNELS)[number];

export interface UnsubscribeClaims {
  /** the shop's myshopify domain */
  shop: string;
  customerId: string;
  channel: UnsubscribeChannel;
  /** the campaign send (or campaign) the link was sent in, for attribution */
  sendId: string;
}
export interface VerifiedUnsubscribe extends UnsubscribeClaims {
  issuedAt: Date;
}

export const UnsubscribeTokenErrorCode = {
  MALFORMED: "MALFORMED",
  UNSUPPORTED_VERSION: "UNSUPPORTED_VERSION",
  BAD_SIGNATURE: "BAD_SIGNATURE",
  WRONG_SHOP: "WRONG_SHOP",
  WRONG_CUSTOMER: "WRONG_CUSTOMER",
  WRONG_CHANNEL: "WRONG_CHANNEL",
  EXPIRED: "EXPIRED",
} as const;
export type UnsubscribeTokenErrorCode = (typeof UnsubscribeTokenErrorCode)[keyof typeof UnsubscribeTokenErrorCode];

/** Why a token was refused. The message is generic on purpose: it never echoes the token's content. */
export class UnsubscribeTokenError extends Error {
  override name = "UnsubscribeTokenError";
  constructor(readonly code: UnsubscribeTokenErrorCode) {
    super(`unsubscribe token refused: ${code}`);
  }
}

const VERSION = "u1";
// Keeps this MAC apart from any other the same secret signs (Shopify's API secret signs webhooks).
const DOMAIN = "holiday-segments/unsubscribe\n";
const MAX_TOKEN_LENGTH = 2048;
const MAC_LENGTH = 43; // 32 bytes in unpadded base64url
const B64URL = /^[A-Za-z0-9_-]+$/;
const MIN_SECRET_BYTES = 16;

const id = z.string().min(1).max(255);
const Claims = z.object({ shop: id, customerId: id, channel: z.enum(UNSUBSCRIBE_CHANNELS), sendId: id }).strict();
const Payload = z.tuple([id, id, z.enum(UNSUBSCRIBE_CHANNELS), id, z.number().int().nonnegative()]);

function key(secret: string | Uint8Array): Buffer {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
  // a configuration bug, not a bad token: thrown as a plain error
  if (bytes.length < MIN_SECRET_BYTES) throw new TypeError(`the unsubscribe secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return bytes;
}

const mac = (secret: Buffer, signed: string) => createHmac("sha256", secret).update(DOMAIN + signed, "utf8").digest("base64url");

/** A signed token for the claims, issued at `issuedAt` (whole seconds). Throws on invalid claims. */
export function createUnsubscribeToken(claims: UnsubscribeClaims, secret: string | Uint8Array, issuedAt: Date = new Date()): string {
  const c = Claims.parse(claims);
  const iat = Math.floor(issuedAt.getTime() / 1000);
  if (!Number.isSafeInteger(iat) || iat < 0) throw new TypeError("issuedAt must be a valid time after 1970");
  const payload = Buffer.from(JSON.stringify([c.shop, c.customerId, c.channel, c.sendId, iat]), "utf8").toString("base64url");
  const signed = `${VERSION}.${payload}`;
  return `${signed}.${mac(key(secret), signed)}`;
}

export interface VerifyOptions {
  /** refuse a token not issued for this shop / customer / channel (a route knows at least the shop) */
  expect?: Partial<Pick<UnsubscribeClaims, "shop" | "customerId" | "channel">>;
  /** refuse tokens older than this; unset: no expiry */
  maxAgeSeconds?: number;
  now?: Date;
}

/** The claims of a valid token; throws UnsubscribeTokenError with the reason otherwise. */
export function verifyUnsubscribeToken(token: unknown, secret: string | Uint8Array, options: VerifyOptions = {}): VerifiedUnsubscribe {
  const k = key(secret);
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw new UnsubscribeTokenError("MALFORMED");
  const fields = token.split(".");
  if (fields.length !== 3) throw new UnsubscribeTokenError("MALFORMED");
  const [version = "", payload = "", signature = ""] = fields;
  if (version !== VERSION) throw new UnsubscribeTokenError(/^u\d+$/.test(version) ? "UNSUPPORTED_VERSION" : "MALFORMED");
  if (!B64URL.test(payload) || !B64URL.test(signature) || signature.length !== MAC_LENGTH) throw new UnsubscribeTokenError("MALFORMED");
  // Compared as text: each base64url string has one decoding but a decoder would accept several
  // spellings of the same bytes, so comparing decoded bytes would let a changed last character through.
  const expected = Buffer.from(mac(k, `${version}.${payload}`), "ascii");
  if (!timingSafeEqual(Buffer.from(signature, "ascii"), expected)) throw new UnsubscribeTokenError("BAD_SIGNATURE");

  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw new UnsubscribeTokenError("MALFORMED");
  }
  const parsed = Payload.safeParse(decoded);
  if (!parsed.success) throw new UnsubscribeTokenError("MALFORMED");
  const [shop, customerId, channel, sendId, iat] = parsed.data;

  const want = options.expect ?? {};
  if (want.shop !== undefined && want.shop !== shop) throw new UnsubscribeTokenError("WRONG_SHOP");
  if (want.customerId !== undefined && want.customerId !== customerId) throw new UnsubscribeTokenError("WRONG_CUSTOMER");
  if (want.channel !== undefined && want.channel !== channel) throw new UnsubscribeTokenError("WRONG_CHANNEL");
  if (options.maxAgeSeconds !== undefined) {
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const age = now - iat;
    // a token from the future (beyond clock skew) is as suspect as an old one
    if (age > options.maxAgeSeconds || age < -300) throw new UnsubscribeTokenError("EXPIRED");
  }
  return { shop, customerId, channel, sendId, issuedAt: new Date(iat * 1000) };
}
