import { createHmac, timingSafeEqual } from "node:crypto";

// The double opt-in link's token: which pending consent record it confirms, for which shop and
// customer, until when; signed, so a guessed or altered link confirms nothing.

export const CONFIRMATION_DAYS = 7;

export interface ConfirmationClaim {
  shop: string;
  customerId: bigint;
  recordId: string;
  expiresAt: Date;
}

export type ConfirmationCheck =
  | { ok: true; claim: ConfirmationClaim }
  | { ok: false; reason: "invalid" | "expired" };

const mac = (secret: Buffer, body: string) => createHmac("sha256", secret).update(body).digest("base64url").slice(0, 32);

export function signConfirmation(secret: Buffer, claim: ConfirmationClaim): string {
  const body = Buffer.from(
    [claim.shop, claim.customerId.toString(), claim.recordId, Math.floor(claim.expiresAt.getTime() / 1000)].join("|"),
  ).toString("base64url");
  return `${body}.${mac(secret, body)}`;
}

export function verifyConfirmation(secret: Buffer, token: string, shop: string, now: Date): ConfirmationCheck {
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined || token.length > 512) return { ok: false, reason: "invalid" };
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "invalid" };
  const [claimShop, customerId, recordId, expires] = Buffer.from(body, "base64url").toString("utf8").split("|");
  // a link of one shop opens nothing in another
  if (claimShop !== shop || !customerId || !/^\d+$/.test(customerId) || !recordId || !expires || !/^\d+$/.test(expires))
    return { ok: false, reason: "invalid" };
  const expiresAt = new Date(Number(expires) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claim: { shop, customerId: BigInt(customerId), recordId, expiresAt } };
}
