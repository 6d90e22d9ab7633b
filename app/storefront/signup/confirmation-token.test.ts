import { describe, expect, it } from "vitest";
import { signConfirmation, verifyConfirmation } from "./confirmation-token.server";

const secret = Buffer.from("a-test-secret-of-thirty-two-byte");
const claim = {
  shop: "avery.myshopify.com",
  customerId: 9007199254740993n,
  recordId: "0b6f5c1e-7c0a-4c1f-9d2e-3f4a5b6c7d8e",
  expiresAt: new Date("2026-12-13T10:00:00Z"),
};

describe("confirmation tokens", () => {
  it("round-trips its claim (ids beyond 2^53 included) until it expires", () => {
    const token = signConfirmation(secret, claim);
    expect(verifyConfirmation(secret, token, claim.shop, new Date("2026-12-13T09:59:59Z"))).toEqual({ ok: true, claim });
    expect(verifyConfirmation(secret, token, claim.shop, new Date("2026-12-13T10:00:00Z"))).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses another shop, another secret and any altered character", () => {
    const token = signConfirmation(secret, claim);
    const now = new Date("2026-12-07T00:00:00Z");
    expect(verifyConfirmation(secret, token, "other.myshopify.com", now)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyConfirmation(Buffer.from("another-secret"), token, claim.shop, now)).toEqual({ ok: false, reason: "invalid" });
    for (let i = 0; i < token.length; i += 7) {
      const flipped = token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
      if (flipped !== token) expect(verifyConfirmation(secret, flipped, claim.shop, now).ok).toBe(false);
    }
    expect(verifyConfirmation(secret, "", claim.shop, now).ok).toBe(false);
    expect(verifyConfirmation(secret, `${token}.x`, claim.shop, now).ok).toBe(false);
  });
});
