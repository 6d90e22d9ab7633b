import { z } from "zod";
import type { GeneratedStore } from "../generator/store";
import type { NewCustomer } from "../generator/live-customers";
import type { CustomerRecord, SmsConsent } from "../generator/types";
import { canonicalNamespace } from "../generator/metafields";
import { METAFIELD_TYPES, nameProblems, valueProblem } from "./metafield-rules";
import { customerView } from "./views";

// customerCreate: a customer appended to the store, refused (userErrors, nothing created) when its
// email or phone is malformed or already another customer's, or it has no name, email or phone.

const optIn = z.enum(["SINGLE_OPT_IN", "CONFIRMED_OPT_IN", "UNKNOWN"]).nullish();
const consent = z.object({ marketingState: z.string(), marketingOptInLevel: optIn, consentUpdatedAt: z.string().nullish() });
const input = z.object({
  input: z.object({
    id: z.string().nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
    locale: z.string().nullish(),
    note: z.string().nullish(),
    tags: z.array(z.string()).nullish(),
    emailMarketingConsent: consent.nullish(),
    smsMarketingConsent: consent.nullish(),
    metafields: z.array(z.object({ namespace: z.string().nullish(), key: z.string().nullish(), type: z.string().nullish(), value: z.string().nullish() })).nullish(),
  }),
});

const SETTABLE = new Set(["SUBSCRIBED", "NOT_SUBSCRIBED", "PENDING", "UNSUBSCRIBED"]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
type UserError = { field: string[] | null; message: string };

const blankToNull = (v: string | null | undefined): string | null => (v === null || v === undefined || v.trim() === "" ? null : v.trim());

/** E.164 after dropping spaces, dashes, dots and parentheses; null: not a phone number. */
export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s().-]/g, "");
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : null;
}

type Consent = z.infer<typeof consent>;
function consentOf(c: Consent | null | undefined, at: Date): Omit<SmsConsent, "consentCollectedFrom"> | null {
  if (!c) return null;
  const state = c.marketingState;
  if (state !== "SUBSCRIBED" && state !== "NOT_SUBSCRIBED" && state !== "PENDING" && state !== "UNSUBSCRIBED") return null;
  return {
    marketingState: state,
    marketingOptInLevel: c.marketingOptInLevel ?? "SINGLE_OPT_IN",
    consentUpdatedAt: c.consentUpdatedAt ?? (state === "NOT_SUBSCRIBED" ? null : at.toISOString()),
  };
}

export function customerCreateMutation(store: GeneratedStore, now: () => Date, created: (record: CustomerRecord) => void) {
  return (args: unknown) => {
    const given = input.parse(args).input;
    const errors: UserError[] = [];
    const email = blankToNull(given.email)?.toLowerCase() ?? null;
    const rawPhone = blankToNull(given.phone);
    const phone = rawPhone === null ? null : normalizePhone(rawPhone);
    const firstName = blankToNull(given.firstName);
    const lastName = blankToNull(given.lastName);
    if (given.id) errors.push({ field: ["id"], message: "Id must be blank when creating a customer" });
    if (!email && rawPhone === null && !firstName && !lastName)
      errors.push({ field: null, message: "A name, phone number, or email address must be present" });
    if (email !== null && !EMAIL.test(email)) errors.push({ field: ["email"], message: "Email is invalid" });
    else if (email !== null && store.customersByContact("email", email).length > 0) errors.push({ field: ["email"], message: "Email has already been taken" });
    if (rawPhone !== null && phone === null) errors.push({ field: ["phone"], message: "Phone is invalid" });
    else if (phone !== null && store.customersByContact("phone", phone).length > 0) errors.push({ field: ["phone"], message: "Phone has already been taken" });
    for (const [name, c, contact] of [["emailMarketingConsent", given.emailMarketingConsent, email], ["smsMarketingConsent", given.smsMarketingConsent, phone]] as const) {
      if (!c) continue;
      if (!SETTABLE.has(c.marketingState)) errors.push({ field: ["input", name, "marketingState"], message: `Marketing state ${c.marketingState} cannot be set` });
      else if (contact === null)
        errors.push({ field: ["input", name], message: name === "emailMarketingConsent" ? "An email address is required to set the email marketing consent state." : "A phone number is required to set the SMS marketing consent state." });
    }
    const metafields = (given.metafields ?? []).map((m, index) => {
      const namespace = canonicalNamespace(m.namespace);
      const key = m.key ?? "";
      const type = m.type ?? "";
      const value = m.value ?? "";
      const problems = [...nameProblems(namespace, key), ...(METAFIELD_TYPES.has(type) ? [valueProblem(type, value)] : [{ field: "type", message: "Type can't be blank." }])];
      for (const p of problems) if (p) errors.push({ field: ["metafields", String(index), p.field], message: p.message });
      return { namespace, key, type, value };
    });
    if (errors.length > 0) return { customer: null, userErrors: errors };

    const at = now();
    const newCustomer: NewCustomer = {
      email,
      phone,
      firstName,
      lastName,
      locale: blankToNull(given.locale),
      note: blankToNull(given.note),
      tags: (given.tags ?? []).flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t !== ""),
      emailMarketingConsent: consentOf(given.emailMarketingConsent, at),
      smsMarketingConsent: consentOf(given.smsMarketingConsent, at),
    };
    const record = store.createCustomer(newCustomer, at);
    for (const m of metafields) store.metafields.set({ ownerId: record.id, ownerType: "CUSTOMER", ...m }, at);
    created(record);
    return { customer: customerView(store, record), userErrors: [] };
  };
}
