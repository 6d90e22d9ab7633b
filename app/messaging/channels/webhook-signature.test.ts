import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./webhook-signature";

const secret = "whsec_test_0123456789abcdef";
const now = Date.parse("2026-11-27T10:00:00Z");
const ts = Math.floor(now / 1000);
const body = JSON.stringify({ type: "message", idempotencyKey: "k1", payload: { a: 1 } });

describe("verifyWebhookSignature", () => {
  it("accepts what signWebhookBody signed", () => {
    const signature = signWebhookBody(secret, ts, body);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret, timestamp: String(ts), signature, body, nowMs: now })).toEqual({
      ok: true,
      timestamp: ts,
    });
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: String(ts),
        signature,
        body: Buffer.from(body),
        nowMs: now,
      }).ok,
    ).toBe(true);
  });
  it("refuses a tampered body, another secret, a moved timestamp and a stale one", () => {
    const signature = signWebhookBody(secret, ts, body);
    const verify = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret, timestamp: String(ts), signature, body, nowMs: now, ...over });
    expect(verify({ body: body.replace('"a":1', '"a":2') })).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
    expect(verify({ secret: "another-secret-value" })).toEqual({ ok: false, reason: "signature mismatch" });
    expect(verify({ timestamp: String(ts + 1) })).toEqual({ ok: false, reason: "signature mismatch" });
    expect(verify({ nowMs: now + 301_000 })).toEqual({ ok: false, reason: "timestamp outside tolerance" });
    expect(verify({ nowMs: now + 301_000, toleranceSeconds: 600 }).ok).toBe(true);
    expect(verify({ timestamp: "12abc" })).toEqual({ ok: false, reason: "malformed timestamp" });
    expect(verify({ signature: undefined })).toEqual({ ok: false, reason: "missing header" });
    expect(verify({ signature: "zz" })).toEqual({ ok: false, reason: "signature mismatch" });
  });
  it("supports secret rotation on both sides", () => {
    const old = signWebhookBody("old-secret-0123456789", ts, body);
    const current = signWebhookBody(secret, ts, body);
    expect(
      verifyWebhookSignature({
        secret: [secret, "old-secret-0123456789"],
        timestamp: String(ts),
        signature: old,
        body,
        nowMs: now,
      }).ok,
    ).toBe(true);
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: String(ts),
        signature: `${old}, ${current}`,
        body,
        nowMs: now,
      }).ok,
    ).toBe(true);
  });
  it("any changed character of the body breaks the signature", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 94 }),
        (text, at, delta) => {
          const signature = signWebhookBody(secret, ts, text);
          const i = at % text.length;
          const changed =
            text.slice(0, i) +
            String.fromCharCode(((((text.charCodeAt(i) - 32 + delta) % 95) + 95) % 95) + 32) +
            text.slice(i + 1);
          fc.pre(changed !== text);
          return !verifyWebhookSignature({
            secret,
            timestamp: String(ts),
            signature,
            body: changed,
            nowMs: now,
          }).ok;
        },
      ),
    );
  });
});
