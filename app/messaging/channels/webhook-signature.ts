import { createHmac, timingSafeEqual } from "node:crypto";

// Outbound webhook signing, in the manner of Stripe:
//
//   X-Holiday-Timestamp: <unix seconds when this attempt was sent>
//   X-Holiday-Signature: hex(HMAC-SHA256(signing secret, `${timestamp}.${raw body}`))
//   Idempotency-Key:     <the message's key, the same on every attempt>
//
// A receiver recomputes the HMAC over the raw bytes it received, compares in constant time and
// refuses timestamps outside a tolerance window (replays). Each attempt is signed afresh, so a
// retry has a new timestamp and signature but the same Idempotency-Key: dedupe on that key.
// While rotating secrets a receiver may pass both; the signature header may hold several
// comma-separated signatures.

export const SIGNATURE_HEADER = "X-Holiday-Signature";
export const TIMESTAMP_HEADER = "X-Holiday-Timestamp";
export const IDEMPOTENCY_HEADER = "Idempotency-Key";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhookBody(secret: string, timestampSeconds: number, body: string | Uint8Array): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.`).update(body).digest("hex");
}

export type WebhookVerification =
  | { ok: true; timestamp: number }
  | {
      ok: false;
      reason: "missing header" | "malformed timestamp" | "timestamp outside tolerance" | "signature mismatch";
    };

export function verifyWebhookSignature(args: {
  secret: string | readonly string[];
  /** the X-Holiday-Timestamp header */
  timestamp: string | null | undefined;
  /** the X-Holiday-Signature header */
  signature: string | null | undefined;
  /** the raw body exactly as received */
  body: string | Uint8Array;
  nowMs: number;
  toleranceSeconds?: number;
}): WebhookVerification {
  if (!args.timestamp || !args.signature) return { ok: false, reason: "missing header" };
  if (!/^\d{1,12}$/.test(args.timestamp.trim())) return { ok: false, reason: "malformed timestamp" };
  const timestamp = Number(args.timestamp.trim());
  const tolerance = args.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(args.nowMs / 1000 - timestamp) > tolerance)
    return { ok: false, reason: "timestamp outside tolerance" };

  const given = args.signature
    .split(",")
    .map((part) => part.trim().toLowerCase())
    .filter((part) => /^[0-9a-f]{64}$/.test(part))
    .map((part) => Buffer.from(part, "hex"));
  const secrets = typeof args.secret === "string" ? [args.secret] : args.secret;
  for (const secret of secrets) {
    const expected = Buffer.from(signWebhookBody(secret, timestamp, args.body), "hex");
    if (given.some((candidate) => timingSafeEqual(candidate, expected))) return { ok: true, timestamp };
  }
  return { ok: false, reason: "signature mismatch" };
}
