import { z } from "zod";
import { signupLocale, type SignupLocale, type SignupMessageKey } from "./messages";

// The storefront signup form as posted through the app proxy. Shopify signs the query, never the
// body, so every field is bounded and checked here before anything reaches Shopify or the ledger.
// Pure.

export const SIGNUP_FIELDS = [
  "email",
  "phone",
  "email_consent",
  "sms_consent",
  "email_disclosure",
  "sms_disclosure",
  "locale",
  "page_url",
  "source",
  "return_to",
  "website",
] as const;

/** A disclosure is a paragraph or two; anything longer is not what a shopper read. */
export const MAX_DISCLOSURE_LENGTH = 2_000;
const E164 = /^\+[1-9]\d{7,14}$/;
const EMAIL = z.string().max(254).email();
const ONE_LINE = (max: number) => z.string().max(max).regex(/^[^\r\n]*$/);

export type SignupField = "email" | "phone" | "email_consent" | "sms_consent" | "form";

export interface SignupRequest {
  email: string | null;
  phone: string | null;
  emailConsent: boolean;
  smsConsent: boolean;
  emailDisclosure: string | null;
  smsDisclosure: string | null;
  locale: SignupLocale;
  pageUrl: string | null;
  source: string;
  /** a path on the shop's storefront, never another site */
  returnTo: string;
  /** the honeypot was filled in: a bot */
  honeypot: boolean;
}

export type ParsedSignup =
  | { ok: true; request: SignupRequest }
  | { ok: false; locale: SignupLocale; fieldErrors: Partial<Record<SignupField, SignupMessageKey>> };

/** "(212) 555-0100" with a US shop → "+12125550100"; null when it cannot be read as E.164. */
export function normalizePhone(input: string, shopCountry: string | null): string | null {
  let digits = input.trim().replace(/[\s().\-/]/g, "");
  if (digits.startsWith("00")) digits = `+${digits.slice(2)}`;
  if (!digits.startsWith("+")) {
    const nanp = shopCountry === "US" || shopCountry === "CA";
    if (nanp && /^\d{10}$/.test(digits)) digits = `+1${digits}`;
    else if (nanp && /^1\d{10}$/.test(digits)) digits = `+${digits}`;
    else return null;
  }
  return E164.test(digits) ? digits : null;
}

/** Collapses the whitespace of a rendered disclosure, so the same text shown twice is one version. */
export function canonicalDisclosure(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** An SMS disclosure must at least tell the shopper how to stop and get help (CTIA, TCPA). */
export function smsDisclosureComplete(text: string): boolean {
  return /\bSTOP\b/.test(text) && /\bHELP\b/.test(text);
}

function safePath(value: string | null): string {
  if (value === null || !value.startsWith("/") || value.startsWith("//") || /[\\{}<>"']/.test(value)) return "/";
  return /^[\x21-\x7e]{1,512}$/.test(value) ? value : "/";
}

function single(form: URLSearchParams, name: string, max: number): string | null | undefined {
  const values = form.getAll(name);
  if (values.length === 0) return null;
  // a field sent twice is not something our form does
  if (values.length > 1) return undefined;
  const value = values[0] ?? "";
  return value.length > max ? undefined : value;
}

export function parseSignupForm(form: URLSearchParams, shopCountry: string | null): ParsedSignup {
  const locale = signupLocale(single(form, "locale", 16) ?? null);
  const errors: Partial<Record<SignupField, SignupMessageKey>> = {};
  const text = (name: string, max: number) => {
    const value = single(form, name, max);
    return value === undefined ? undefined : value === null ? null : value.trim();
  };

  const emailText = text("email", 254);
  const phoneText = text("phone", 32);
  const emailConsent = form.get("email_consent") === "yes";
  const smsConsent = form.get("sms_consent") === "yes";
  const email = emailText ? emailText.toLowerCase() : null;
  if (emailText === undefined || (email !== null && !EMAIL.safeParse(email).success)) errors.email = "emailInvalid";
  const phone = phoneText ? normalizePhone(phoneText, shopCountry) : null;
  if (phoneText === undefined || (phoneText && phone === null)) errors.phone = "phoneInvalid";

  // A contact without its box is only a mistake when no box is ticked at all: a logged-in
  // customer's form comes filled in with both, and they tick what they want.
  if (email && !emailConsent && !smsConsent && !errors.email) errors.email_consent = "emailNeedsConsent";
  if (phone && !smsConsent && !emailConsent && !errors.phone) errors.sms_consent = "phoneNeedsConsent";
  if (emailConsent && !emailText && !errors.email) errors.email = "consentNeedsEmail";
  if (smsConsent && !phoneText && !errors.phone) errors.phone = "consentNeedsPhone";
  if (!emailText && !phoneText && !emailConsent && !smsConsent) errors.form = "nothingChosen";

  const emailDisclosure = text("email_disclosure", MAX_DISCLOSURE_LENGTH);
  const smsDisclosure = text("sms_disclosure", MAX_DISCLOSURE_LENGTH);
  if ((emailConsent && !emailDisclosure) || (smsConsent && !smsDisclosure)) errors.form ??= "disclosureMissing";
  else if (smsConsent && smsDisclosure && !smsDisclosureComplete(smsDisclosure)) errors.sms_consent = "smsDisclosureIncomplete";

  if (Object.keys(errors).length > 0) return { ok: false, locale, fieldErrors: errors };
  const pageUrl = single(form, "page_url", 512);
  // sent twice or too long is as much a bot's mark as any text in the hidden field
  const trap = single(form, "website", 256);
  const source = single(form, "source", 64);
  return {
    ok: true,
    request: {
      email: emailConsent ? email : null,
      phone: smsConsent ? phone : null,
      emailConsent,
      smsConsent,
      emailDisclosure: emailConsent && emailDisclosure ? canonicalDisclosure(emailDisclosure) : null,
      smsDisclosure: smsConsent && smsDisclosure ? canonicalDisclosure(smsDisclosure) : null,
      locale,
      pageUrl: pageUrl && ONE_LINE(512).safeParse(pageUrl).success ? pageUrl : null,
      source: source && /^[a-z0-9-]{1,64}$/.test(source) ? source : "signup-form",
      returnTo: safePath(single(form, "return_to", 512) ?? null),
      honeypot: trap === undefined || (trap !== null && trap !== ""),
    },
  };
}
