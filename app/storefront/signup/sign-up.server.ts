import type { PrismaClient } from "@prisma/client";
import type { AdminGraphql } from "../../sync/store-overview.server";
import { recordConsent } from "../consent-ledger.server";
import { readStorefrontSettings } from "../settings";
import { decideSignup, type ConsentChange, type SignupOutcome } from "./decide-consent";
import type { SignupLocale, SignupMessageKey } from "./messages";
import { takeSignupSlot } from "./rate-limit.server";
import {
  addPhone,
  createCustomer,
  customerBy,
  customerById,
  setConsent,
  StorefrontShopifyError,
  type SignupCustomer,
} from "./shopify-customers.server";
import { parseSignupForm, type SignupField, type SignupRequest } from "./signup-form";

// POST /apps/holiday/signup: a shopper asks for emails and/or texts. The form is checked, the
// customer found (the logged-in one, or by address or number) or created, Shopify's consent set,
// each change appended to the ledger with the text the shopper saw, and a pending email confirmed
// by a link. A filled honeypot is answered like a success and changes nothing.

export interface ProxyShopper {
  shop: string;
  loggedInCustomerId: bigint | null;
  ip: string | null;
  userAgent: string | null;
}

export interface SignUpDeps {
  prisma: Pick<PrismaClient, "$queryRaw" | "shop" | "shopSettings" | "consentRecord" | "consentDisclosure">;
  admin: AdminGraphql;
  now: () => Date;
  /** queues the double opt-in email of a pending record */
  confirm: (args: { shop: string; recordId: string; locale: SignupLocale }) => Promise<void>;
  log: (line: string) => void;
}

export type SignUpResult =
  | { ok: true; outcome: SignupOutcome; message: SignupMessageKey; locale: SignupLocale; returnTo: string }
  | {
      ok: false;
      status: 422 | 429 | 503;
      message: SignupMessageKey;
      fieldErrors: Partial<Record<SignupField, SignupMessageKey>>;
      locale: SignupLocale;
      returnTo: string;
    };

const MESSAGES: Record<SignupOutcome, SignupMessageKey> = {
  pending: "pendingEmail",
  subscribed: "subscribed",
  already: "alreadySubscribed",
};

type Targets = { email: SignupCustomer | null; sms: SignupCustomer | null };
type Refusal = { field: SignupField; message: SignupMessageKey };

/** Which customer each channel's consent goes to; null: a new customer. */
async function findTargets(admin: AdminGraphql, shopper: ProxyShopper, request: SignupRequest): Promise<Targets | Refusal> {
  if (shopper.loggedInCustomerId !== null) {
    const own = await customerById(admin, shopper.loggedInCustomerId);
    if (!own) return { email: null, sms: null };
    if (request.email && own.email?.toLowerCase() !== request.email) return { field: "email", message: "notYourEmail" };
    if (request.phone && own.phone && own.phone !== request.phone) return { field: "phone", message: "notYourPhone" };
    return { email: request.email ? own : null, sms: request.phone ? own : null };
  }
  const byEmail = request.email ? await customerBy(admin, "email", request.email) : null;
  const byPhone = request.phone ? await customerBy(admin, "phone", request.phone) : null;
  // a number nobody has yet joins the email's customer when that customer has none
  const sms = byPhone ?? (byEmail && !byEmail.phone ? byEmail : null);
  return { email: byEmail, sms };
}

export async function signUp(deps: SignUpDeps, shopper: ProxyShopper, form: URLSearchParams): Promise<SignUpResult> {
  const { shop } = shopper;
  const now = deps.now();
  const fail = (status: 422 | 429 | 503, message: SignupMessageKey, locale: SignupLocale, returnTo = "/", fieldErrors: Partial<Record<SignupField, SignupMessageKey>> = {}): SignUpResult =>
    ({ ok: false, status, message, fieldErrors, locale, returnTo });

  const about = await deps.prisma.shop.findUnique({ where: { domain: shop }, select: { countryCode: true } });
  const parsed = parseSignupForm(form, about?.countryCode ?? null);
  const locale = parsed.ok ? parsed.request.locale : parsed.locale;
  if (!(await takeSignupSlot(deps.prisma, shop, shopper.ip, now))) return fail(429, "tooMany", locale);
  if (!parsed.ok) {
    const first = Object.values(parsed.fieldErrors)[0] ?? "nothingChosen";
    return fail(422, first, locale, "/", parsed.fieldErrors);
  }
  const request = parsed.request;
  if (request.honeypot) {
    deps.log(`storefront signup on ${shop} ignored: the honeypot field was filled in`);
    return { ok: true, outcome: "subscribed", message: "subscribed", locale, returnTo: request.returnTo };
  }

  const stored = await deps.prisma.shopSettings.findUnique({ where: { shop }, select: { storefrontSettings: true } });
  const settings = readStorefrontSettings(stored?.storefrontSettings);
  try {
    const targets = await findTargets(deps.admin, shopper, request);
    if ("field" in targets) return fail(422, targets.message, locale, request.returnTo, { [targets.field]: targets.message });
    const decision = decideSignup(
      request,
      { email: targets.email?.emailConsent ?? null, sms: targets.sms?.smsConsent ?? null },
      settings,
    );
    const emailChange = decision.changes.find((c) => c.channel === "email") ?? null;
    const smsChange = decision.changes.find((c) => c.channel === "sms") ?? null;
    const applied: Array<{ customer: SignupCustomer; change: ConsentChange }> = [];

    let emailCustomer = targets.email;
    let smsCustomer = targets.sms;
    if (emailChange && !emailCustomer) {
      // one new customer for both channels when the number belongs to nobody yet
      const withPhone = smsChange && !smsCustomer ? request.phone : null;
      emailCustomer = await createCustomer(deps.admin, { email: request.email, phone: withPhone, emailChange, smsChange: withPhone ? smsChange : null, at: now });
      applied.push({ customer: emailCustomer, change: emailChange });
      if (withPhone && smsChange) {
        smsCustomer = emailCustomer;
        applied.push({ customer: emailCustomer, change: smsChange });
      }
    } else if (emailChange && emailCustomer) {
      emailCustomer = await setConsent(deps.admin, emailCustomer, emailChange, now);
      applied.push({ customer: emailCustomer, change: emailChange });
    }
    if (smsChange && !applied.some((a) => a.change.channel === "sms")) {
      if (!smsCustomer) {
        smsCustomer = await createCustomer(deps.admin, { email: null, phone: request.phone, emailChange: null, smsChange, at: now });
      } else {
        if (!smsCustomer.phone && request.phone) smsCustomer = await addPhone(deps.admin, smsCustomer, request.phone);
        smsCustomer = await setConsent(deps.admin, smsCustomer, smsChange, now);
      }
      applied.push({ customer: smsCustomer, change: smsChange });
    }

    for (const { customer, change } of applied) {
      const text = change.channel === "email" ? request.emailDisclosure : request.smsDisclosure;
      const recordId = await recordConsent(deps.prisma, {
        shop,
        customerId: customer.id,
        channel: change.channel,
        state: change.state,
        optInLevel: change.optInLevel,
        disclosure: text ? { text, locale } : null,
        source: request.source,
        pageUrl: request.pageUrl,
        ip: shopper.ip,
        userAgent: shopper.userAgent,
        at: now,
      });
      if (change.state === "PENDING") await deps.confirm({ shop, recordId, locale });
    }
    deps.log(`storefront signup on ${shop}: ${decision.outcome} (${applied.map((a) => `${a.change.channel} ${a.change.state}`).join(", ") || "no change"})`);
    return { ok: true, outcome: decision.outcome, message: MESSAGES[decision.outcome], locale, returnTo: request.returnTo };
  } catch (error) {
    if (!(error instanceof StorefrontShopifyError)) throw error;
    deps.log(`storefront signup on ${shop} refused by Shopify: ${error.userErrors.map((e) => (e.field ?? []).join(".")).join(", ")}`);
    const onPhone = error.userErrors.some((e) => (e.field ?? []).some((f) => /phone|sms/i.test(f)));
    const onEmail = error.userErrors.some((e) => (e.field ?? []).some((f) => /email/i.test(f)));
    const taken = error.userErrors.some((e) => /taken/i.test(e.message));
    if (onPhone && taken) return fail(422, "phoneTaken", locale, request.returnTo, { phone: "phoneTaken" });
    if (onPhone) return fail(422, "phoneInvalid", locale, request.returnTo, { phone: "phoneInvalid" });
    if (onEmail) return fail(422, "emailInvalid", locale, request.returnTo, { email: "emailInvalid" });
    return fail(503, "unavailable", locale, request.returnTo);
  }
}
