import { z } from "zod";
import { MoneyError, toMinorUnits } from "../money";
import {
  SyncInputError,
  idFromGid,
  sortedIds,
  utmFromLandingPage,
  type CustomerRow,
  type OrderRow,
} from "../rows";

// Shopify's REST webhook payloads, the part the app reads, and their conversion to the rows the
// backfill stores too. Pure: no IO. A field the app needs that is missing or malformed throws a
// SyncInputError naming the topic and the field (never its value: payloads carry personal data).

export const WEBHOOK_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "customers/create",
  "customers/update",
  "customers/delete",
  "checkouts/create",
  "checkouts/update",
  "products/create",
  "products/update",
  "products/delete",
  "bulk_operations/finish",
  "app/uninstalled",
  "app/scopes_update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;
export type ComplianceTopic = (typeof COMPLIANCE_TOPICS)[number];

const storageKey = (topic: string) => topic.toUpperCase().replace(/\/|\./g, "_");
const TOPIC_BY_KEY = new Map<string, WebhookTopic>(WEBHOOK_TOPICS.map((topic) => [storageKey(topic), topic]));

/**
 * The subscribed topic of a delivery, or null. `authenticate.webhook` reports topics in storage
 * form ("ORDERS_CREATE", "BULK_OPERATIONS_FINISH"); the X-Shopify-Topic header says "orders/create".
 */
export function webhookTopic(value: string): WebhookTopic | null {
  return TOPIC_BY_KEY.get(storageKey(value)) ?? null;
}

export function isComplianceTopic(topic: string): topic is ComplianceTopic {
  return (COMPLIANCE_TOPICS as readonly string[]).includes(topic);
}

// ---------------------------------------------------------------------------------------------
// Schemas. Objects are not strict: Shopify adds fields, and we read only what we need.

export const NumericId = z.union([z.number(), z.string()]);
export const Timestamp = z.string();
const MoneySet = z.object({ shop_money: z.object({ amount: z.string(), currency_code: z.string() }) });
export const Owner = z.object({ id: NumericId.nullish(), admin_graphql_api_id: z.string().nullish() });

export const OrderPayload = z.object({
  id: NumericId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  created_at: Timestamp,
  updated_at: Timestamp,
  cancelled_at: Timestamp.nullish(),
  test: z.boolean(),
  customer: Owner.nullish(),
  currency: z.string(),
  current_total_price: z.string().nullish(),
  current_total_price_set: MoneySet.nullish(),
  total_discounts: z.string().nullish(),
  total_discounts_set: MoneySet.nullish(),
  discount_codes: z.array(z.object({ code: z.string() })).nullish(),
  landing_site: z.string().nullish(),
  referring_site: z.string().nullish(),
  line_items: z.array(z.object({ product_id: NumericId.nullish() })).nullish(),
});
export type OrderPayload = z.infer<typeof OrderPayload>;

const Consent = z.object({
  state: z.string().nullish(),
  opt_in_level: z.string().nullish(),
  consent_updated_at: Timestamp.nullish(),
});

export const CustomerPayload = z.object({
  id: NumericId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  created_at: Timestamp,
  updated_at: Timestamp,
  locale: z.string().nullish(),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  email_marketing_consent: Consent.nullish(),
  sms_marketing_consent: Consent.nullish(),
  default_address: z
    .object({ country_code: z.string().nullish(), province_code: z.string().nullish() })
    .nullish(),
});
export type CustomerPayload = z.infer<typeof CustomerPayload>;

export const CustomerDeletePayload = z.object({
  id: NumericId.nullish(),
  admin_graphql_api_id: z.string().nullish(),
});

export const BulkOperationFinishPayload = z.object({
  admin_graphql_api_id: z.string(),
  status: z.string(),
  error_code: z.string().nullish(),
  created_at: Timestamp.nullish(),
  completed_at: Timestamp.nullish(),
  type: z.string().nullish(),
});
export type BulkOperationFinishPayload = z.infer<typeof BulkOperationFinishPayload>;

export const ScopesUpdatePayload = z.object({
  previous: z.array(z.string()).nullish(),
  current: z.array(z.string()),
  updated_at: Timestamp.nullish(),
});

/** app/uninstalled carries the shop resource; nothing of it is needed. */
export const AppUninstalledPayload = z.object({}).passthrough();

// email and phone name a guest's checkouts, which carry no customer id
const ComplianceCustomer = z.object({
  id: NumericId,
  email: z.string().nullish(),
  phone: z.string().nullish(),
});
export const DataRequestPayload = z.object({
  shop_domain: z.string().nullish(),
  customer: ComplianceCustomer,
  orders_requested: z.array(NumericId).nullish(),
  data_request: z.object({ id: NumericId }).nullish(),
});
export const CustomerRedactPayload = z.object({
  shop_domain: z.string().nullish(),
  customer: ComplianceCustomer,
  orders_to_redact: z.array(NumericId).nullish(),
});
export const ShopRedactPayload = z.object({ shop_domain: z.string().nullish() });

/** Validates a payload; a problem becomes a SyncInputError naming the field, never its value. */
export function parsePayload<S extends z.ZodTypeAny>(topic: string, schema: S, payload: unknown): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data as z.infer<S>;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "(payload)";
  const missing = valueAt(payload, issue?.path ?? []) === undefined;
  throw new SyncInputError(
    `${topic}: ${missing ? `missing required field "${field}"` : `field "${field}" is invalid (${issue?.message ?? "unknown"})`}`,
  );
}

function valueAt(payload: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = payload;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Converters

export function date(topic: string, field: string, value: string): Date {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime()))
    throw new SyncInputError(`${topic}: field "${field}" is not a timestamp`);
  return parsed;
}

export function optionalDate(topic: string, field: string, value: string | null | undefined): Date | null {
  return value === null || value === undefined ? null : date(topic, field, value);
}

/**
 * The record's id: the gid when present (exact), else the numeric id. Example payloads carry ids
 * beyond 2^53 that JSON.parse has already rounded; their gid is exact, a rounded number is refused.
 */
export function resourceId(
  topic: string,
  type: string,
  payload: { id?: string | number | null; admin_graphql_api_id?: string | null },
  field = "id",
): bigint {
  try {
    if (payload.admin_graphql_api_id) return idFromGid(payload.admin_graphql_api_id, type);
    if (payload.id === null || payload.id === undefined)
      throw new SyncInputError(`missing required field "${field}"`);
    return idFromGid(payload.id, type);
  } catch (error) {
    if (error instanceof SyncInputError) {
      throw new SyncInputError(
        `${topic}: ${error.message.startsWith("missing") ? error.message : `field "${field}" is not a valid ${type} id`}`,
      );
    }
    throw error;
  }
}

export function money(topic: string, field: string, amount: string, currency: string): bigint {
  try {
    return toMinorUnits(amount, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new SyncInputError(`${topic}: field "${field}": ${error.message}`);
    throw error;
  }
}

/** The customer an order or checkout belongs to; null for a guest's. */
export function ownerId(topic: string, owner: z.infer<typeof Owner> | null | undefined): bigint | null {
  if (!owner) return null;
  if (!owner.admin_graphql_api_id && (owner.id === null || owner.id === undefined)) return null;
  return resourceId(topic, "Customer", owner, "customer.id");
}

/**
 * A numeric id inside a record (a line item's product or variant); null when absent, or when a JSON
 * number could not hold it exactly (Shopify's documented examples): a rounded id names another record.
 */
export function exactNumericId(value: string | number | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : null;
  return /^\d{1,18}$/.test(value) ? BigInt(value) : null;
}

/** orders/create|updated|cancelled → OrderRow, money in the shop currency. */
export function orderRowFromPayload(topic: string, payload: unknown): OrderRow {
  const p = parsePayload(topic, OrderPayload, payload);
  const total =
    p.current_total_price_set?.shop_money ??
    (p.current_total_price ? { amount: p.current_total_price, currency_code: p.currency } : null);
  if (!total) throw new SyncInputError(`${topic}: missing required field "current_total_price"`);
  const discount = p.total_discounts_set?.shop_money ?? {
    amount: p.total_discounts ?? "0",
    currency_code: total.currency_code,
  };
  const landingPage = p.landing_site ?? null;
  return {
    id: resourceId(topic, "Order", p),
    customerId: ownerId(topic, p.customer),
    shopifyCreatedAt: date(topic, "created_at", p.created_at),
    shopifyUpdatedAt: date(topic, "updated_at", p.updated_at),
    cancelledAt: optionalDate(topic, "cancelled_at", p.cancelled_at),
    test: p.test,
    totalMinor: money(topic, "current_total_price", total.amount, total.currency_code),
    discountMinor: money(topic, "total_discounts", discount.amount, total.currency_code),
    currencyCode: total.currency_code,
    discountCodes: (p.discount_codes ?? []).map((d) => d.code),
    landingPage,
    referrerUrl: p.referring_site ?? null,
    ...utmFromLandingPage(landingPage),
    productIds: lineItemProducts(p.line_items),
  };
}

/**
 * The line items' products. undefined (keep what is stored) without line items, or when a product
 * id is beyond what a JSON number holds exactly (Shopify's documented examples): a rounded id would
 * name another product.
 */
function lineItemProducts(items: OrderPayload["line_items"]): bigint[] | undefined {
  if (!items) return undefined;
  const ids: bigint[] = [];
  for (const item of items) {
    const id = item.product_id;
    if (id === null || id === undefined) continue;
    const exact = typeof id === "number" ? Number.isSafeInteger(id) && id >= 0 : /^\d{1,18}$/.test(id);
    if (!exact) return undefined;
    ids.push(BigInt(id));
  }
  return sortedIds(ids);
}

/** REST consent values are lower-case ("subscribed", "single_opt_in"); GraphQL's enums are upper-case. */
export function graphqlEnum(value: string | null | undefined): string | null {
  return value ? value.toUpperCase() : null;
}

export function parseTags(tags: string | string[] | null | undefined): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? "").split(",");
  return list.map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}

/** Row fields whose source key was absent from the payload: keep what is stored for them. */
export type CustomerField = keyof CustomerRow;

/**
 * customers/create|update → CustomerRow (timeZone and rfmGroup are not in REST payloads: undefined).
 * `absent` lists fields the payload did not carry at all (as opposed to carrying null).
 */
export function customerRowFromPayload(
  topic: string,
  payload: unknown,
): { row: CustomerRow; absent: CustomerField[] } {
  const p = parsePayload(topic, CustomerPayload, payload);
  const has = (key: string) => typeof payload === "object" && payload !== null && key in payload;
  const absent: CustomerField[] = [];
  if (!has("first_name")) absent.push("firstName");
  if (!has("last_name")) absent.push("lastName");
  if (!has("locale")) absent.push("locale");
  if (!has("tags")) absent.push("tags");
  if (!has("email_marketing_consent"))
    absent.push("emailMarketingState", "emailOptInLevel", "emailConsentUpdatedAt");
  if (!has("sms_marketing_consent")) absent.push("smsMarketingState", "smsOptInLevel", "smsConsentUpdatedAt");
  const email = p.email_marketing_consent;
  const sms = p.sms_marketing_consent;
  return {
    row: {
      id: resourceId(topic, "Customer", p),
      firstName: p.first_name ?? null,
      lastName: p.last_name ?? null,
      email: p.email ?? null,
      phone: p.phone ?? null,
      locale: p.locale ?? null,
      tags: parseTags(p.tags),
      emailMarketingState: graphqlEnum(email?.state),
      emailOptInLevel: graphqlEnum(email?.opt_in_level),
      emailConsentUpdatedAt: optionalDate(
        topic,
        "email_marketing_consent.consent_updated_at",
        email?.consent_updated_at,
      ),
      smsMarketingState: graphqlEnum(sms?.state),
      smsOptInLevel: graphqlEnum(sms?.opt_in_level),
      smsConsentUpdatedAt: optionalDate(
        topic,
        "sms_marketing_consent.consent_updated_at",
        sms?.consent_updated_at,
      ),
      countryCode: p.default_address?.country_code ?? null,
      provinceCode: p.default_address?.province_code ?? null,
      timeZone: undefined,
      rfmGroup: undefined,
      shopifyCreatedAt: date(topic, "created_at", p.created_at),
      shopifyUpdatedAt: date(topic, "updated_at", p.updated_at),
    },
    absent,
  };
}

export function deletedCustomerId(topic: string, payload: unknown): bigint {
  return resourceId(topic, "Customer", parsePayload(topic, CustomerDeletePayload, payload));
}

/** The customer's contact details, as Shopify names them in a compliance request: never logged. */
export interface CustomerContact {
  email: string | null;
  phone: string | null;
}

export interface DataRequest {
  customerId: bigint;
  orderIds: bigint[];
  contact: CustomerContact;
  /** Shopify's data request id, when the payload has one. */
  requestId: string | null;
}

export function dataRequestFromPayload(topic: string, payload: unknown): DataRequest {
  const p = parsePayload(topic, DataRequestPayload, payload);
  return {
    customerId: resourceId(topic, "Customer", p.customer, "customer.id"),
    orderIds: (p.orders_requested ?? []).map((id) => resourceId(topic, "Order", { id }, "orders_requested")),
    contact: { email: p.customer.email ?? null, phone: p.customer.phone ?? null },
    requestId: p.data_request ? String(p.data_request.id) : null,
  };
}

export interface CustomerRedaction {
  customerId: bigint;
  orderIds: bigint[];
  /** not stored with the redaction: used once, to find the customer's guest checkouts */
  contact?: CustomerContact;
}

export function customerRedactionFromPayload(topic: string, payload: unknown): CustomerRedaction {
  const p = parsePayload(topic, CustomerRedactPayload, payload);
  return {
    customerId: resourceId(topic, "Customer", p.customer, "customer.id"),
    orderIds: (p.orders_to_redact ?? []).map((id) => resourceId(topic, "Order", { id }, "orders_to_redact")),
    contact: { email: p.customer.email ?? null, phone: p.customer.phone ?? null },
  };
}

export function scopesFromPayload(topic: string, payload: unknown): string {
  return parsePayload(topic, ScopesUpdatePayload, payload).current.join(",");
}

export function bulkFinishFromPayload(topic: string, payload: unknown): BulkOperationFinishPayload {
  return parsePayload(topic, BulkOperationFinishPayload, payload);
}
