import { Prisma, type PrismaClient } from "@prisma/client";
import type { AdminGraphql } from "../../sync/store-overview.server";
import { recordConsent } from "../consent-ledger.server";
import { verifyConfirmation } from "./confirmation-token.server";
import type { SignupMessageKey } from "./messages";
import type { ProxyShopper } from "./sign-up.server";
import { customerById, setConsent } from "./shopify-customers.server";

// GET /apps/holiday/confirm?token=…: the double opt-in link. The pending email consent becomes
// SUBSCRIBED at CONFIRMED_OPT_IN in Shopify, and the ledger records the confirmation (address,
// browser, time) against the signup it completes — once: a second click only says so.

export interface ConfirmDeps {
  prisma: Pick<PrismaClient, "consentRecord" | "consentDisclosure">;
  admin: AdminGraphql;
  secret: Buffer;
  now: () => Date;
  log: (line: string) => void;
}

export type ConfirmResult = { ok: boolean; message: SignupMessageKey };

const isDuplicate = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function confirmSignup(deps: ConfirmDeps, shopper: ProxyShopper, token: string): Promise<ConfirmResult> {
  const { shop } = shopper;
  const now = deps.now();
  const check = verifyConfirmation(deps.secret, token, shop, now);
  if (!check.ok) return { ok: false, message: check.reason === "expired" ? "confirmExpired" : "confirmInvalid" };
  const { recordId, customerId } = check.claim;
  const pending = await deps.prisma.consentRecord.findFirst({ where: { shop, id: recordId } });
  if (!pending || pending.customerId !== customerId || pending.channel !== "email" || pending.state !== "PENDING")
    return { ok: false, message: "confirmInvalid" };
  if (await deps.prisma.consentRecord.findFirst({ where: { shop, confirms: recordId }, select: { id: true } }))
    return { ok: true, message: "alreadyConfirmed" };
  const customer = await customerById(deps.admin, customerId);
  if (!customer?.email) return { ok: false, message: "confirmInvalid" };

  const change = { channel: "email", state: "SUBSCRIBED", optInLevel: "CONFIRMED_OPT_IN" } as const;
  await setConsent(deps.admin, customer, change, now);
  try {
    await recordConsent(deps.prisma, {
      shop,
      customerId,
      channel: "email",
      state: change.state,
      optInLevel: change.optInLevel,
      disclosure: null,
      disclosureId: pending.disclosureId,
      source: "confirmation-link",
      pageUrl: null,
      ip: shopper.ip,
      userAgent: shopper.userAgent,
      confirms: recordId,
      at: now,
    });
  } catch (error) {
    // two clicks at once: the other one recorded it
    if (isDuplicate(error)) return { ok: true, message: "alreadyConfirmed" };
    throw error;
  }
  deps.log(`storefront signup ${recordId} on ${shop} confirmed`);
  return { ok: true, message: "confirmed" };
}
