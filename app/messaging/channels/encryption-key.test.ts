import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEncryptionKey } from "./encryption-key";

// The oracle is written apart from the parser: Node's own encoders, compared character for
// character, decide what is a canonical spelling of 32 bytes.
function oracle(text: string): Buffer | undefined {
  if (text.length === 64 && [...text].every((c) => "0123456789abcdefABCDEF".includes(c)))
    return Buffer.from(text, "hex");
  const digits = text.endsWith("=") ? text.slice(0, -1) : text;
  if (digits.length !== 43) return undefined;
  const plain = Buffer.from(digits, "base64");
  if (plain.length === 32 && plain.toString("base64") === `${digits}=`) return plain;
  const url = Buffer.from(digits, "base64url");
  if (url.length === 32 && url.toString("base64url") === digits) return url;
  return undefined;
}

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a));
const ALPHABET = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n"];
const keyLike = fc.oneof(
  fc.array(fc.constantFrom(...ALPHABET), { minLength: 40, maxLength: 68 }).map((c) => c.join("")),
  fc.string({ minLength: 0, maxLength: 80 }),
  fc.uint8Array({ minLength: 30, maxLength: 34 }).map((a) => Buffer.from(a).toString("base64")),
  fc.uint8Array({ minLength: 31, maxLength: 33 }).map((a) => Buffer.from(a).toString("hex")),
);

describe("parseEncryptionKey", () => {
  it("accepts every spelling of 32 bytes: hex (either case), base64 and base64url, with or without =", () => {
    fc.assert(
      fc.property(bytes32, (key) => {
        const hex = key.toString("hex");
        const b64 = key.toString("base64");
        for (const text of [
          hex,
          hex.toUpperCase(),
          b64,
          b64.replace(/=$/, ""),
          key.toString("base64url"),
          `${key.toString("base64url")}=`,
        ]) {
          const parsed = parseEncryptionKey(text);
          expect(parsed.ok && parsed.key.equals(key)).toBe(true);
        }
      }),
    );
  });

  it("accepts exactly what the oracle accepts, and decodes to the same bytes", () => {
    fc.assert(
      fc.property(keyLike, (text) => {
        const parsed = parseEncryptionKey(text);
        const expected = oracle(text);
        expect(parsed.ok).toBe(expected !== undefined);
        if (parsed.ok && expected) expect(parsed.key.equals(expected)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses spaces, a second spelling of one key, other lengths and mixed alphabets", () => {
    const key = Buffer.alloc(32, 0xfb);
    const b64 = key.toString("base64"); // "+/v7…+w=": both alphabets differ here
    for (const text of [
      ` ${key.toString("hex")}`,
      `${key.toString("hex")}\n`,
      `${b64}=`,
      b64.replace("+", "-"), // half base64url
      `${b64.slice(0, 42)}x=`, // last character with its 2 spare bits set
      Buffer.alloc(31).toString("base64"),
      Buffer.alloc(33).toString("hex"),
      `!!${b64}`,
    ])
      expect(parseEncryptionKey(text)).toMatchObject({ ok: false });
  });
});
