import { z } from "zod";
import { MoneyError, toMinorUnits } from "../money";
import { idFromGid, SyncInputError, utmFromLandingPage, type CustomerRow, type OrderRow } from "../rows";
import { quickLineItem, quickOrder } from "./quick-order";

// One line of a bulk JSONL file → one row. Pure: a bad line becomes a result with its line number
// and a reason that names fields and rules only — never the values (they may be personal data).

export type LineResult<T> =
  | { kind: "row"; row: T }
  /** a child object of a nested connection (`__parentId`), not a row of its own */
  | { kind: "child" }
  | { kind: "error"; line: number; reason: string };

// Checked here so a reason never quotes the value (idFromGid's message would).
export const gid = (type: string) => {
  const pattern = new RegExp(`^gid://shopify/${type}/\\d+$`);
  return z.string().refine((value) => pattern.test(value), { message: `not a ${type} id` });
};
const customerGid = gid("Customer");
const orderGid = gid("Order");

export const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: "not a timestamp" });
const nullableTimestamp = timestamp.nullable();

const consent = z
  .object({
    marketingState: z.string(),
    marketingOptInLevel: z.string().nullable().optional(),
    consentUpdatedAt: nullableTimestamp.optional(),
  })
  .nullable()
  .optional();

export const CustomerLine = z.object({
  id: customerGid,
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
  locale: z.string().nullable().optional(),
  tags: z.array(z.string()),
  emailMarketingConsent: consent,
  smsMarketingConsent: consent,
  defaultAddress: z
    .object({
      countryCodeV2: z.string().nullable().optional(),
      provinceCode: z.string().nullable().optional(),
      timeZone: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  statistics: z.object({ rfmGroup: z.string().nullable().optional() }).nullable().optional(),
});

const shopMoney = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });

export const OrderLine = z.object({
  id: orderGid,
  createdAt: timestamp,
  updatedAt: timestamp,
  cancelledAt: nullableTimestamp,
  test: z.boolean(),
  customer: z.object({ id: customerGid }).nullable(),
  currentTotalPriceSet: shopMoney,
  totalDiscountsSet: shopMoney,
  discountCodes: z.array(z.string()),
  landingPageUrl: z.string().nullable().optional(),
  customerJourneySummary: z
    .object({
      firstVisit: z
        .object({
          landingPage: z.string().nullable().optional(),
          referrerUrl: z.string().nullable().optional(),
          utmParameters: z
            .object({
              source: z.string().nullable().optional(),
              medium: z.string().nullable().optional(),
              campaign: z.string().nullable().optional(),
            })
            .nullable()
            .optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});

/** The fields the segments definition names: what the command lines require of an order line. */
export const OrderFactsLine = OrderLine.pick({
  id: true,
  createdAt: true,
  cancelledAt: true,
  test: true,
  customer: true,
  currentTotalPriceSet: true,
  totalDiscountsSet: true,
});

/** "createdAt: missing", "test: expected boolean" — field paths and rules, no values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.join(".") || "(line)";
      if (issue.code === "invalid_type") {
        return issue.received === "undefined" ? `${path}: missing` : `${path}: expected ${issue.expected}, got ${issue.received}`;
      }
      if (issue.code === "custom") return `${path}: ${issue.message}`;
      return `${path}: ${issue.code}`;
    })
    .join("; ");
}

export function parseJson(text: string): { value: unknown } | { reason: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { reason: "not a JSON object" };
    return { value };
  } catch {
    // The engine's message quotes the text; the reason must not.
    return { reason: "invalid JSON" };
  }
}

export function failure(line: number, error: unknown): { kind: "error"; line: number; reason: string } {
  if (error instanceof SyncInputError || error instanceof MoneyError) return { kind: "error", line, reason: error.message };
  throw error;
}

const date = (value: string): Date => new Date(value);
const dateOrNull = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);

// Fast path: the exact shape Shopify writes, checked by hand (zod costs most of the time of a
// million-line file). Anything unexpected falls through to the zod schema, which gives the reason.
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const optStr = (v: unknown): v is string | null | undefined => v === undefined || v === null || typeof v === "string";
const strArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
export function time(v: unknown): Date | undefined {
  if (typeof v !== "string") return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
export function fastId(v: unknown, prefix: string): bigint | undefined {
  if (typeof v !== "string" || !v.startsWith(prefix) || v.length === prefix.length || v.length > prefix.length + 19) return undefined;
  for (let i = prefix.length; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return BigInt(v.slice(prefix.length));
}
export const CUSTOMER_PREFIX = "gid://shopify/Customer/";
const ORDER_PREFIX = "gid://shopify/Order/";
function fastConsent(v: unknown): { state: string | null; level: string | null; at: Date | null } | undefined {
  if (v === null || v === undefined) return { state: null, level: null, at: null };
  if (!isObj(v) || typeof v.marketingState !== "string" || !optStr(v.marketingOptInLevel)) return undefined;
  const at = v.consentUpdatedAt === null || v.consentUpdatedAt === undefined ? null : time(v.consentUpdatedAt);
  if (at === undefined) return undefined;
  return { state: v.marketingState, level: v.marketingOptInLevel ?? null, at };
}

function fastCustomer(c: Obj): CustomerRow | undefined {
  const id = fastId(c.id, CUSTOMER_PREFIX);
  const createdAt = time(c.createdAt);
  const updatedAt = time(c.updatedAt);
  if (id === undefined || !createdAt || !updatedAt || !optStr(c.firstName) || !optStr(c.lastName) || !optStr(c.email) || !optStr(c.phone) || !optStr(c.locale) || !strArray(c.tags)) return undefined;
  const email = fastConsent(c.emailMarketingConsent);
  const sms = fastConsent(c.smsMarketingConsent);
  if (!email || !sms) return undefined;
  const address = c.defaultAddress;
  if (address !== null && address !== undefined && (!isObj(address) || !optStr(address.countryCodeV2) || !optStr(address.provinceCode) || !optStr(address.timeZone))) return undefined;
  const stats = c.statistics;
  if (stats !== null && stats !== undefined && (!isObj(stats) || !optStr(stats.rfmGroup))) return undefined;
  const a = isObj(address) ? address : undefined;
  return {
    id,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    locale: c.locale ?? null,
    tags: c.tags,
    emailMarketingState: email.state,
    emailOptInLevel: email.level,
    emailConsentUpdatedAt: email.at,
    smsMarketingState: sms.state,
    smsOptInLevel: sms.level,
    smsConsentUpdatedAt: sms.at,
    countryCode: (a?.countryCodeV2 as string | null | undefined) ?? null,
    provinceCode: (a?.provinceCode as string | null | undefined) ?? null,
    timeZone: (a?.timeZone as string | null | undefined) ?? null,
    rfmGroup: (isObj(stats) ? (stats.rfmGroup as string | null | undefined) : null) ?? null,
    shopifyCreatedAt: createdAt,
    shopifyUpdatedAt: updatedAt,
  };
}

function shopMoneyOf(v: unknown): { amount: string; currencyCode: string } | undefined {
  if (!isObj(v) || !isObj(v.shopMoney)) return undefined;
  const m = v.shopMoney;
  return typeof m.amount === "string" && typeof m.currencyCode === "string" ? { amount: m.amount, currencyCode: m.currencyCode } : undefined;
}

/** What RFM reads of an order: the fields the segments definition names, nothing else. */
export type OrderFacts = Pick<OrderRow, "id" | "customerId" | "shopifyCreatedAt" | "cancelledAt" | "test" | "totalMinor" | "discountMinor">;

/**
 * The definition's fields of a plain order object; undefined: not the plain shape, let zod say why.
 * Throws SyncInputError/MoneyError like the slow path.
 */
export function fastOrderFacts(o: Obj, shopCurrency: string): OrderFacts | undefined {
  const id = fastId(o.id, ORDER_PREFIX);
  const createdAt = time(o.createdAt);
  if (id === undefined || !createdAt || typeof o.test !== "boolean") return undefined;
  const cancelledAt = o.cancelledAt === null ? null : time(o.cancelledAt);
  if (cancelledAt === undefined) return undefined;
  let customerId: bigint | null = null;
  if (o.customer !== null) {
    if (!isObj(o.customer)) return undefined;
    const cid = fastId(o.customer.id, CUSTOMER_PREFIX);
    if (cid === undefined) return undefined;
    customerId = cid;
  }
  const total = shopMoneyOf(o.currentTotalPriceSet);
  const discount = shopMoneyOf(o.totalDiscountsSet);
  if (!total || !discount) return undefined;
  if (total.currencyCode !== shopCurrency || discount.currencyCode !== shopCurrency) {
    throw new SyncInputError(`unknown currency mix: order in ${total.currencyCode}/${discount.currencyCode}, shop in ${shopCurrency}`);
  }
  return {
    id,
    customerId,
    shopifyCreatedAt: createdAt,
    cancelledAt,
    test: o.test,
    totalMinor: toMinorUnits(total.amount, shopCurrency),
    discountMinor: toMinorUnits(discount.amount, shopCurrency),
  };
}

/** undefined: not the plain shape, let zod say why. Throws SyncInputError/MoneyError like the slow path. */
function fastOrder(o: Obj, shopCurrency: string): OrderRow | undefined {
  const updatedAt = time(o.updatedAt);
  if (!updatedAt || !strArray(o.discountCodes) || !optStr(o.landingPageUrl)) return undefined;
  const journey = o.customerJourneySummary;
  // only the common case (no first visit) here; a first visit takes the schema path
  if (journey !== null && journey !== undefined && (!isObj(journey) || (journey.firstVisit !== null && journey.firstVisit !== undefined))) return undefined;
  const facts = fastOrderFacts(o, shopCurrency);
  if (!facts) return undefined;
  const landingPage = o.landingPageUrl ?? null;
  return {
    ...facts,
    shopifyUpdatedAt: updatedAt,
    currencyCode: shopCurrency,
    discountCodes: o.discountCodes,
    landingPage,
    referrerUrl: null,
    ...utmFromLandingPage(landingPage),
  };
}

/**
 * A line holding one object: `fast` reads the plain shape, else `schema` says what is wrong and
 * `build` makes the row (throwing SyncInputError/MoneyError for a value that cannot be stored).
 */
export function objectLine<T, S extends z.ZodTypeAny>(
  text: string,
  line: number,
  fast: (value: Obj) => T | undefined,
  schema: S,
  build: (parsed: z.infer<S>) => T,
): LineResult<T> {
  const json = parseJson(text);
  if ("reason" in json) return { kind: "error", line, reason: json.reason };
  const value = json.value;
  if (!isObj(value)) return { kind: "error", line, reason: "not a JSON object" };
  if ("__parentId" in value) return { kind: "child" };
  const row = fast(value);
  if (row) return { kind: "row", row };
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { kind: "error", line, reason: describeIssues(parsed.error) };
  try {
    return { kind: "row", row: build(parsed.data) };
  } catch (error) {
    return failure(line, error);
  }
}

/** A customer line of the BackfillCustomers bulk query. */
export function parseCustomerLine(text: string, line: number): LineResult<CustomerRow> {
  return objectLine(text, line, fastCustomer, CustomerLine, (c: z.infer<typeof CustomerLine>) => ({
    id: idFromGid(c.id, "Customer"),
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    locale: c.locale ?? null,
    tags: c.tags,
    emailMarketingState: c.emailMarketingConsent?.marketingState ?? null,
    emailOptInLevel: c.emailMarketingConsent?.marketingOptInLevel ?? null,
    emailConsentUpdatedAt: dateOrNull(c.emailMarketingConsent?.consentUpdatedAt),
    smsMarketingState: c.smsMarketingConsent?.marketingState ?? null,
    smsOptInLevel: c.smsMarketingConsent?.marketingOptInLevel ?? null,
    smsConsentUpdatedAt: dateOrNull(c.smsMarketingConsent?.consentUpdatedAt),
    countryCode: c.defaultAddress?.countryCodeV2 ?? null,
    provinceCode: c.defaultAddress?.provinceCode ?? null,
    timeZone: c.defaultAddress?.timeZone ?? null,
    rfmGroup: c.statistics?.rfmGroup ?? null,
    shopifyCreatedAt: date(c.createdAt),
    shopifyUpdatedAt: date(c.updatedAt),
  }));
}

/**
 * An order line of the BackfillOrders bulk query. Amounts are shop money, converted exactly into
 * the shop currency's minor units; an order in another currency cannot be added to the rest.
 */
export function parseOrderLine(text: string, line: number, shopCurrency: string): LineResult<OrderRow> {
  const quick = quickOrder(text, shopCurrency);
  if (quick) return { kind: "row", row: quick.row };
  if (quickLineItem(text)) return { kind: "child" };
  const json = parseJson(text);
  if ("reason" in json) return { kind: "error", line, reason: json.reason };
  if ("__parentId" in (json.value as object)) return { kind: "child" };
  return orderFromJson(json.value as Obj, line, shopCurrency);
}

/** An order line already parsed as a JSON object (a root line: not a child). */
export function orderFromJson(value: Record<string, unknown>, line: number, shopCurrency: string): LineResult<OrderRow> {
  try {
    const fast = fastOrder(value, shopCurrency);
    if (fast) return { kind: "row", row: fast };
  } catch (error) {
    return failure(line, error);
  }
  const parsed = OrderLine.safeParse(value);
  if (!parsed.success) return { kind: "error", line, reason: describeIssues(parsed.error) };
  const o = parsed.data;
  try {
    const visit = o.customerJourneySummary?.firstVisit ?? null;
    const landingPage = visit?.landingPage ?? o.landingPageUrl ?? null;
    const fromUrl = utmFromLandingPage(landingPage);
    const utm = visit?.utmParameters ?? null;
    return {
      kind: "row",
      row: {
        ...orderFactsOf(o, shopCurrency),
        shopifyUpdatedAt: date(o.updatedAt),
        currencyCode: shopCurrency,
        discountCodes: o.discountCodes,
        landingPage,
        referrerUrl: visit?.referrerUrl ?? null,
        utmSource: utm?.source ?? fromUrl.utmSource,
        utmMedium: utm?.medium ?? fromUrl.utmMedium,
        utmCampaign: utm?.campaign ?? fromUrl.utmCampaign,
      },
    };
  } catch (error) {
    return failure(line, error);
  }
}

/** The definition's fields of a line that passed OrderFactsLine. Throws SyncInputError/MoneyError. */
export function orderFactsOf(o: z.infer<typeof OrderFactsLine>, shopCurrency: string): OrderFacts {
  const total = o.currentTotalPriceSet.shopMoney;
  const discount = o.totalDiscountsSet.shopMoney;
  if (total.currencyCode !== shopCurrency || discount.currencyCode !== shopCurrency) {
    throw new SyncInputError(`unknown currency mix: order in ${total.currencyCode}/${discount.currencyCode}, shop in ${shopCurrency}`);
  }
  return {
    id: idFromGid(o.id, "Order"),
    customerId: o.customer ? idFromGid(o.customer.id, "Customer") : null,
    shopifyCreatedAt: date(o.createdAt),
    cancelledAt: dateOrNull(o.cancelledAt),
    test: o.test,
    totalMinor: toMinorUnits(total.amount, shopCurrency),
    discountMinor: toMinorUnits(discount.amount, shopCurrency),
  };
}
