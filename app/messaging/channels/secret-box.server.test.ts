import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSecretBox, decodeKey, keyIdOf, SecretBoxError } from "./secret-box.server";

const key = randomBytes(32);
const box = createSecretBox(key);
// any code point (fast-check's `unit: "binary"` costs seconds to build its first value)
const anyText = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })), {
    maxLength: 64,
  })
  .map((points) => String.fromCodePoint(...points));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SecretBoxError ? error.code : `not a SecretBoxError: ${String(error)}`;
  }
  return undefined;
}

describe("secret box", () => {
  it("round-trips any text, with a fresh IV each time", () => {
    fc.assert(
      fc.property(anyText, fc.string(), (plaintext, context) => {
        const sealed = box.encrypt(plaintext, context);
        expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/);
        expect(box.decrypt(sealed, context)).toBe(plaintext);
      }),
    );
    expect(box.encrypt("same")).not.toBe(box.encrypt("same"));
    expect(box.encrypt("pässwörd 🔑").includes("pässwörd")).toBe(false);
  });

  it("detects any change to the IV, tag or ciphertext as tampering", () => {
    const sealed = box.encrypt("smtp-password-123", "shop-a:smtp.password");
    const parts = sealed.split(":");
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index] ?? "", "base64url");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const altered = parts.map((part, i) => (i === index ? bytes.toString("base64url") : part)).join(":");
      expect(codeOf(() => box.decrypt(altered, "shop-a:smtp.password"))).toBe("tampered");
    }
    // the same value does not open for another shop or field
    expect(codeOf(() => box.decrypt(sealed, "shop-b:smtp.password"))).toBe("tampered");
    expect(box.decrypt(sealed, "shop-a:smtp.password")).toBe("smtp-password-123");
  });

  it("refuses malformed values and unknown keys by name", () => {
    expect(codeOf(() => box.decrypt("plaintext-password"))).toBe("malformed");
    expect(codeOf(() => box.decrypt("v2:a:b:c:d"))).toBe("malformed");
    const other = createSecretBox(randomBytes(32)).encrypt("x");
    expect(codeOf(() => box.decrypt(other))).toBe("unknown key");
    expect(codeOf(() => createSecretBox(randomBytes(16)))).toBe("bad key");
  });

  it("rotates: old values open with the previous key and are flagged for re-sealing", () => {
    const oldKey = { id: "2025", key: randomBytes(32) };
    const oldValue = createSecretBox(oldKey).encrypt("token-1");
    const rotated = createSecretBox({ id: "2026", key: randomBytes(32) }, [oldKey]);
    expect(rotated.currentKeyId).toBe("2026");
    expect(rotated.decrypt(oldValue)).toBe("token-1");
    expect(rotated.needsRotation(oldValue)).toBe(true);
    const resealed = rotated.encrypt(rotated.decrypt(oldValue));
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(resealed.split(":")[1]).toBe("2026");
  });

  it("decodes ENCRYPTION_KEY as hex or base64 of 32 bytes, and derives a stable key id", () => {
    expect(decodeKey(key.toString("hex")).equals(key)).toBe(true);
    expect(decodeKey(key.toString("base64")).equals(key)).toBe(true);
    expect(decodeKey(key.toString("base64url")).equals(key)).toBe(true);
    expect(codeOf(() => decodeKey("too-short"))).toBe("bad key");
    expect(keyIdOf(key)).toBe(box.currentKeyId);
    expect(keyIdOf(key)).not.toContain(key.toString("hex").slice(0, 6));
  });
});
