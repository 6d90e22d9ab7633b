// ENCRYPTION_KEY as written in the environment: 64 hex digits, or the canonical base64 or
// base64url form of 32 bytes (43 characters, one "=" allowed at the end). Nothing else: no
// surrounding spaces, no mixed alphabets, no other length. The env check at start and the secret
// box share this one parser, so a key the process starts with is a key that seals. Pure.

export const ENCRYPTION_KEY_BYTES = 32;

export const ENCRYPTION_KEY_RULE =
  "must be 32 bytes: 64 hex digits, or 43 base64 or base64url characters (an optional = at the end)";

export type ParsedEncryptionKey = { ok: true; key: Buffer } | { ok: false; reason: string };

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/;

export function parseEncryptionKey(text: string): ParsedEncryptionKey {
  if (HEX.test(text)) return { ok: true, key: Buffer.from(text, "hex") };
  if (!BASE64.test(text) && !BASE64URL.test(text)) return { ok: false, reason: ENCRYPTION_KEY_RULE };
  const digits = text.replace(/=$/, "");
  const key = Buffer.from(digits.replace(/\+/g, "-").replace(/\//g, "_"), "base64url");
  // The 43rd character carries 2 bits past the 32 bytes: they must be zero (the canonical form),
  // so one key has one spelling.
  const canonical = key.toString("base64url");
  if (key.length !== ENCRYPTION_KEY_BYTES || canonical !== digits.replace(/\+/g, "-").replace(/\//g, "_"))
    return { ok: false, reason: ENCRYPTION_KEY_RULE };
  return { ok: true, key };
}
