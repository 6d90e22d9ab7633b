import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createUnsubscribeToken,
  UnsubscribeTokenError,
  verifyUnsubscribeToken,
  type UnsubscribeClaims,
  type UnsubscribeTokenErrorCode,
  type VerifyOptions,
} from "./unsubscribe-token.server";

const SECRET = "test-secret-0123456789abcdef";
const claims: UnsubscribeClaims = {
  shop: "demo-store.myshopify.com",
  customerId: "gid://shopify/Customer/1001",
  channel: "email",
  sendId: "send_42",
};
const issued = new Date("2026-11-27T10:00:00.750Z");
const token = createUnsubscribeToken(claims, SECRET, issued);

function refusal(t: unknown, secret: string | Uint8Array = SECRET, options?: VerifyOptions): UnsubscribeTokenErrorCode | "accepted" {
  try {
    verifyUnsubscribeToken(t, secret, options);
    return "accepted";
  } catch (e) {
    if (e instanceof UnsubscribeTokenError) return e.code;
    throw e;
  }
}

const idArb = fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 });
const claimsArb = fc.record({ shop: idArb, customerId: idArb, channel: fc.constantFrom("email" as const, "sms" as const), sendId: idArb });

describe("unsubscribe tokens", () => {
  it("round-trip their claims, issued-at in whole seconds, in URL-safe text", () => {
    expect(token).toMatch(/^u1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(token, SECRET)).toEqual({ ...claims, issuedAt: new Date("2026-11-27T10:00:00Z") });
    expect(verifyUnsubscribeToken(token, Buffer.from(SECRET), { expect: { shop: claims.shop, customerId: claims.customerId, channel: "email" } })).toMatchObject(claims);
    fc.assert(
      fc.property(claimsArb, (c) => {
        expect(verifyUnsubscribeToken(createUnsubscribeToken(c, SECRET, issued), SECRET, { expect: c })).toMatchObject(c);
      }),
    );
  });

  it("refuse any single-character change", () => {
    const alphabet = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %é".split(""));
    fc.assert(
      fc.property(fc.nat(token.length - 1), alphabet, (at, c) => {
        fc.pre(token[at] !== c);
        const forged = token.slice(0, at) + c + token.slice(at + 1);
        expect(refusal(forged)).not.toBe("accepted");
      }),
      { numRuns: 2_000 },
    );
    // and every last-character variant, whose extra bits a lenient base64 decoder would ignore
    for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
      if (c !== token.at(-1)) expect(refusal(token.slice(0, -1) + c)).toBe("BAD_SIGNATURE");
    }
    expect(refusal(token.slice(0, -1))).toBe("MALFORMED");
    expect(refusal(token + "A")).toBe("MALFORMED");
  });

  it("cannot be reused for another customer or shop", () => {
    expect(refusal(token, SECRET, { expect: { customerId: "gid://shopify/Customer/1002" } })).toBe("WRONG_CUSTOMER");
    expect(refusal(token, SECRET, { expect: { shop: "other-store.myshopify.com" } })).toBe("WRONG_SHOP");
    expect(refusal(token, SECRET, { expect: { channel: "sms" } })).toBe("WRONG_CHANNEL");
    fc.assert(
      fc.property(claimsArb, idArb, (c, other) => {
        fc.pre(other !== c.customerId);
        const mine = createUnsubscribeToken(c, SECRET, issued);
        const theirs = createUnsubscribeToken({ ...c, customerId: other }, SECRET, issued);
        expect(refusal(mine, SECRET, { expect: { shop: c.shop, customerId: other } })).toBe("WRONG_CUSTOMER");
        // grafting another customer's claims onto this signature fails
        const [v, , sig] = mine.split(".");
        const [, payload] = theirs.split(".");
        expect(refusal(`${v}.${payload}.${sig}`)).toBe("BAD_SIGNATURE");
      }),
    );
  });

  it("refuse a wrong secret and malformed input", () => {
    expect(refusal(token, "another-secret-0123456789")).toBe("BAD_SIGNATURE");
    for (const bad of [undefined, null, 42, {}, "", "u1", "u1..", "a.b.c", "u1.a.b", `u1.${token.split(".")[1]}`, "x".repeat(5_000), token.replace("u1.", "v1.")]) {
      expect(refusal(bad)).toBe("MALFORMED");
    }
    expect(refusal(token.replace("u1.", "u2."))).toBe("UNSUPPORTED_VERSION");
    // correctly signed but not our payload
    const payload = Buffer.from('{"shop":"x"}').toString("base64url");
    const sig = createHmac("sha256", SECRET).update(`holiday-segments/unsubscribe\nu1.${payload}`).digest("base64url");
    expect(refusal(`u1.${payload}.${sig}`)).toBe("MALFORMED");
  });

  it("do not expire unless the caller bounds their age", () => {
    const later = (seconds: number) => new Date(issued.getTime() + seconds * 1000);
    expect(refusal(token, SECRET, { now: later(10 * 365 * 86_400) })).toBe("accepted");
    expect(refusal(token, SECRET, { maxAgeSeconds: 60 * 86_400, now: later(60 * 86_400) })).toBe("accepted");
    expect(refusal(token, SECRET, { maxAgeSeconds: 60 * 86_400, now: later(60 * 86_400 + 1) })).toBe("EXPIRED");
    expect(refusal(token, SECRET, { maxAgeSeconds: 60, now: later(-3_600) })).toBe("EXPIRED");
  });

  it("refuse weak secrets and bad claims when issued, without echoing token content", () => {
    expect(() => createUnsubscribeToken(claims, "short")).toThrow(TypeError);
    expect(() => verifyUnsubscribeToken(token, "short")).toThrow(TypeError);
    expect(() => createUnsubscribeToken({ ...claims, customerId: "" }, SECRET)).toThrow();
    expect(new UnsubscribeTokenError("WRONG_CUSTOMER").message).toBe("unsubscribe token refused: WRONG_CUSTOMER");
  });
});
