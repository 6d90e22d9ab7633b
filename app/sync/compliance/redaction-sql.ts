// The SQL that makes customers/redact last (CustomerRedaction): which stored webhook payload is about
// a redacted customer, what is left of it, and the condition every write of customers, orders and
// checkouts carries. Pure: strings only.

/** The key a payload keeps once its personal data is gone; processing recognises it. */
export const REDACTED_MARK = "_redacted";

/** Whether a stored payload is what is left of one about a redacted customer. */
export function isRedactedPayload(payload: unknown): boolean {
  return typeof payload === "object" && payload !== null && REDACTED_MARK in payload;
}

/**
 * The customer id (as text) a delivery is about: the record's own id for customers/create|update|
 * delete, else the `customer.id` of an order, checkout or compliance payload. Topics are compared
 * in the intake's form ("customers/update") or the library's ("CUSTOMERS_UPDATE").
 */
export function customerIdOf(payload: string, topic: string): string {
  return `(CASE WHEN replace(lower(${topic}), '_', '/') IN ('customers/create', 'customers/update', 'customers/delete')
    THEN ${payload}->>'id' ELSE ${payload}->'customer'->>'id' END)`;
}

/**
 * A checkouts/* delivery without a customer (a guest's) whose email matches `email` (any case) or
 * whose phone matches `phone` (both text parameters, null to match nothing).
 */
export function guestCheckoutOf(payload: string, topic: string, email: string, phone: string): string {
  return `(replace(lower(${topic}), '_', '/') LIKE 'checkouts/%' AND ${customerIdOf(payload, topic)} IS NULL
    AND (lower(${payload}->>'email') = lower(${email}) OR ${payload}->>'phone' = ${phone}))`;
}

/** The order id (as text) of an orders/* delivery, else null. */
export function orderIdOf(payload: string, topic: string): string {
  return `(CASE WHEN replace(lower(${topic}), '_', '/') LIKE 'orders/%' THEN ${payload}->>'id' END)`;
}

/**
 * What is kept of a payload about a redacted customer: ids and the compliance fields that name
 * them, nothing else (no email, phone, name or address).
 */
export function withoutPersonalData(payload: string): string {
  const p = payload;
  return `jsonb_strip_nulls(jsonb_build_object(
    '${REDACTED_MARK}', true,
    'id', ${p}->'id', 'admin_graphql_api_id', ${p}->'admin_graphql_api_id',
    'customer', CASE WHEN jsonb_typeof(${p}->'customer') = 'object' THEN jsonb_strip_nulls(jsonb_build_object(
      'id', ${p}->'customer'->'id', 'admin_graphql_api_id', ${p}->'customer'->'admin_graphql_api_id')) END,
    'shop_domain', ${p}->'shop_domain', 'orders_to_redact', ${p}->'orders_to_redact',
    'orders_requested', ${p}->'orders_requested', 'data_request', ${p}->'data_request'))`;
}

/**
 * A delivery of `shop` about a customer redacted after `triggeredAt` (or at an unknown time), or
 * about an order the redaction named.
 */
export function aboutRedactedCustomer(args: { shop: string; payload: string; topic: string; triggeredAt: string }): string {
  const customer = customerIdOf(args.payload, args.topic);
  const order = orderIdOf(args.payload, args.topic);
  return `EXISTS (SELECT 1 FROM "CustomerRedaction" x
    WHERE x.shop = ${args.shop}
      AND (x."customerId"::text = ${customer} OR ${order} = ANY (x."orderIds"::text[]))
      AND (${args.triggeredAt} IS NULL OR ${args.triggeredAt} < x."redactedAt"))`;
}

/**
 * The condition a batch of rows (`r`, from jsonb_to_recordset) is written under: no version from
 * before a redaction of its customer (`customerColumn`) or of itself (`orderColumn`, for orders).
 * `updatedAt` is a UTC timestamp without time zone, like the stored columns.
 */
export function notRedacted(args: { shop: string; customerColumn: string; orderColumn?: string; updatedAt: string }): string {
  const order = args.orderColumn ? ` OR ${args.orderColumn} = ANY (x."orderIds")` : "";
  return `NOT EXISTS (SELECT 1 FROM "CustomerRedaction" x
    WHERE x.shop = ${args.shop} AND (x."customerId" = ${args.customerColumn}${order})
      AND x."redactedAt" >= ${args.updatedAt})`;
}
