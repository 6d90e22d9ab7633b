import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ENCRYPTION_KEY_BYTES as KEY_BYTES, parseEncryptionKey } from "./encryption-key";

// Channel secrets at rest: AES-256-GCM, one random 96-bit IV per value, stored as
//
//   v1:<key id>:<iv>:<tag>:<ciphertext>        (each part base64url)
//
// The key id names the key that sealed the value, so keys can rotate: open with any key still in
// the ring, seal with the current one, and `needsRotation` finds values to re-seal. An optional
// context (e.g. `<shop>:smtp.password`) is bound as associated data, so a value copied to another
// shop or field does not open. Any change to a sealed value fails as `tampered`.

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SecretBoxErrorCode = "bad key" | "malformed" | "unknown key" | "tampered";

export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SecretBoxError";
  }
}

export interface SecretKey {
  id: string;
  key: Uint8Array;
}

export interface SecretBox {
  readonly currentKeyId: string;
  encrypt(plaintext: string, context?: string): string;
  decrypt(sealed: string, context?: string): string;
  /** true when the value was sealed with an older key and should be sealed again */
  needsRotation(sealed: string): boolean;
}

/** A short, stable id for a key that reveals nothing about it. */
export function keyIdOf(key: Uint8Array): string {
  return createHash("sha256")
    .update("holiday-secret-box/key-id\0")
    .update(key)
    .digest("base64url")
    .slice(0, 10);
}

/** An ENCRYPTION_KEY value (encryption-key.ts says which), else a `bad key` error. */
export function decodeKey(text: string): Buffer {
  const parsed = parseEncryptionKey(text);
  if (!parsed.ok) throw new SecretBoxError("bad key", `an encryption key ${parsed.reason}`);
  return parsed.key;
}

function normalizeKey(entry: SecretKey | Uint8Array): SecretKey {
  const key = entry instanceof Uint8Array ? { id: keyIdOf(entry), key: entry } : entry;
  if (key.key.length !== KEY_BYTES) throw new SecretBoxError("bad key", "an encryption key is 32 bytes");
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(key.id))
    throw new SecretBoxError("bad key", "a key id is 1-32 of A-Z a-z 0-9 _ -");
  return key;
}

const aad = (keyId: string, context: string): Buffer => Buffer.from(`${VERSION}:${keyId}:${context}`, "utf8");

/** `current` seals; `previous` keys still open values sealed before a rotation. */
export function createSecretBox(
  current: SecretKey | Uint8Array,
  previous: ReadonlyArray<SecretKey | Uint8Array> = [],
): SecretBox {
  const sealing = normalizeKey(current);
  const ring = new Map<string, Uint8Array>();
  for (const entry of [sealing, ...previous.map(normalizeKey)])
    if (!ring.has(entry.id)) ring.set(entry.id, entry.key);

  const parse = (sealed: string) => {
    const parts = sealed.split(":");
    const [version, keyId, iv, tag, body] = parts;
    if (parts.length !== 5 || version !== VERSION || !keyId || !iv || !tag || body === undefined)
      throw new SecretBoxError(
        "malformed",
        "not a sealed secret (expected v1:<key id>:<iv>:<tag>:<ciphertext>)",
      );
    const decoded = {
      keyId,
      iv: Buffer.from(iv, "base64url"),
      tag: Buffer.from(tag, "base64url"),
      body: Buffer.from(body, "base64url"),
    };
    if (decoded.iv.length !== IV_BYTES || decoded.tag.length !== TAG_BYTES)
      throw new SecretBoxError("malformed", "a sealed secret has a 12-byte IV and a 16-byte tag");
    return decoded;
  };

  return {
    currentKeyId: sealing.id,
    encrypt(plaintext, context = "") {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", sealing.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(sealing.id, context));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [
        VERSION,
        sealing.id,
        iv.toString("base64url"),
        cipher.getAuthTag().toString("base64url"),
        body.toString("base64url"),
      ].join(":");
    },
    decrypt(sealed, context = "") {
      const { keyId, iv, tag, body } = parse(sealed);
      const key = ring.get(keyId);
      if (!key) throw new SecretBoxError("unknown key", `sealed with key ${keyId}, which is not configured`);
      const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(keyId, context));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretBoxError(
          "tampered",
          "a sealed secret failed authentication: altered, or opened with another context",
        );
      }
    },
    needsRotation(sealed) {
      return parse(sealed).keyId !== sealing.id;
    },
  };
}
