import { z } from "zod";
import { callAdmin } from "../../admin-api/graphql-client.server";
import type { AdminGraphql } from "../../sync/store-overview.server";
import type { ChannelConsent, ConsentChange } from "./decide-consent";
import {
  SIGNUP_CUSTOMER_CREATE,
  SIGNUP_CUSTOMER_PHONE,
  SIGNUP_CUSTOMER_QUERY,
  SIGNUP_CUSTOMER_SEARCH,
  SIGNUP_EMAIL_CONSENT,
  SIGNUP_SMS_CONSENT,
} from "./documents";

// The customer a signup is about, as Shopify holds it, and the consent mutations. Shopify's answers
// are validated again here; its userErrors become a StorefrontShopifyError (without personal data).

const Consent = z.object({ marketingState: z.string(), marketingOptInLevel: z.string().nullable() }).nullable();
const Customer = z.object({
  id: z.string().regex(/^gid:\/\/shopify\/Customer\/\d+$/),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  emailMarketingConsent: Consent,
  smsMarketingConsent: Consent,
});
const UserErrors = z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() }));
const Mutation = z.object({ customer: Customer.nullable(), userErrors: UserErrors });

export interface SignupCustomer {
  gid: string;
  id: bigint;
  email: string | null;
  phone: string | null;
  emailConsent: ChannelConsent | null;
  smsConsent: ChannelConsent | null;
}

export class StorefrontShopifyError extends Error {
  constructor(
    readonly operation: string,
    readonly userErrors: Array<{ field: string[] | null; message: string }>,
  ) {
    super(`Shopify refused ${operation}: ${userErrors.map((e) => `${(e.field ?? []).join(".")}: ${e.message}`).join("; ")}`);
    this.name = "StorefrontShopifyError";
  }
}

export const customerGid = (id: bigint | string) => `gid://shopify/Customer/${id}`;

function toCustomer(raw: z.infer<typeof Customer>): SignupCustomer {
  return {
    gid: raw.id,
    id: BigInt(raw.id.slice(raw.id.lastIndexOf("/") + 1)),
    email: raw.email,
    phone: raw.phone,
    emailConsent: raw.emailMarketingConsent,
    smsConsent: raw.smsMarketingConsent,
  };
}

async function mutate(admin: AdminGraphql, operation: string, document: string, field: string, variables: Record<string, unknown>) {
  const data = await callAdmin<Record<string, unknown>>(admin, document, variables);
  const result = Mutation.parse(data[field]);
  if (result.userErrors.length > 0 || !result.customer) throw new StorefrontShopifyError(operation, result.userErrors);
  return toCustomer(result.customer);
}

export async function customerById(admin: AdminGraphql, id: bigint): Promise<SignupCustomer | null> {
  const data = await callAdmin<{ customer: unknown }>(admin, SIGNUP_CUSTOMER_QUERY, { id: customerGid(id) });
  const customer = Customer.nullable().parse(data.customer);
  return customer ? toCustomer(customer) : null;
}

/** The one customer with exactly this email address or phone number, or null. */
export async function customerBy(admin: AdminGraphql, field: "email" | "phone", value: string): Promise<SignupCustomer | null> {
  // Shopify's search syntax: the value quoted, its quotes and backslashes escaped
  const quoted = `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const data = await callAdmin<{ customers: unknown }>(admin, SIGNUP_CUSTOMER_SEARCH, { query: `${field}:${quoted}` });
  const nodes = z.object({ nodes: z.array(Customer) }).parse(data.customers).nodes.map(toCustomer);
  const exact = nodes.filter((c) => (field === "email" ? c.email?.toLowerCase() === value : c.phone === value));
  return exact.length === 1 ? (exact[0] ?? null) : null;
}

const consentInput = (change: ConsentChange, at: Date) => ({
  marketingState: change.state,
  marketingOptInLevel: change.optInLevel,
  consentUpdatedAt: at.toISOString(),
});

export function createCustomer(
  admin: AdminGraphql,
  args: { email: string | null; phone: string | null; emailChange: ConsentChange | null; smsChange: ConsentChange | null; at: Date },
): Promise<SignupCustomer> {
  const input: Record<string, unknown> = {};
  if (args.email) input.email = args.email;
  if (args.phone) input.phone = args.phone;
  if (args.emailChange) input.emailMarketingConsent = consentInput(args.emailChange, args.at);
  if (args.smsChange) input.smsMarketingConsent = consentInput(args.smsChange, args.at);
  return mutate(admin, "customerCreate", SIGNUP_CUSTOMER_CREATE, "customerCreate", { input });
}

export function addPhone(admin: AdminGraphql, customer: SignupCustomer, phone: string): Promise<SignupCustomer> {
  return mutate(admin, "customerUpdate", SIGNUP_CUSTOMER_PHONE, "customerUpdate", { input: { id: customer.gid, phone } });
}

export function setConsent(admin: AdminGraphql, customer: SignupCustomer, change: ConsentChange, at: Date): Promise<SignupCustomer> {
  if (change.channel === "email") {
    return mutate(admin, "customerEmailMarketingConsentUpdate", SIGNUP_EMAIL_CONSENT, "customerEmailMarketingConsentUpdate", {
      input: { customerId: customer.gid, emailMarketingConsent: consentInput(change, at) },
    });
  }
  return mutate(admin, "customerSmsMarketingConsentUpdate", SIGNUP_SMS_CONSENT, "customerSmsMarketingConsentUpdate", {
    input: { customerId: customer.gid, smsMarketingConsent: consentInput(change, at) },
  });
}
