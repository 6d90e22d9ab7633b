import { z } from "zod";
import { idFromGid, type CustomerRow } from "../rows";
import {
  CUSTOMER_PREFIX,
  CustomerLine,
  describeIssues,
  failure,
  fastId,
  fastOrderFacts,
  isObj,
  objectLine,
  optStr,
  OrderFactsLine,
  orderFactsOf,
  parseJson,
  type LineResult,
  type Obj,
  type OrderFacts,
} from "./parse-lines";
import { quickLineItem, quickOrder } from "./quick-order";

// Lines of the bulk files read for the command lines (segments, plan): only the fields their
// computation uses are required — an order needs the segments definition's fields, a customer its
// id — so a file in the documented shape (README, `--help`) reads as well as the app's own export,
// which takes the same fast paths as the backfill. A field that is there must have its type;
// fields the computation never reads (updatedAt, discountCodes, tags…) are not looked at. Pure.

export type { OrderFacts };

/** What planning reads of a customer (segments reads only the id). */
export type CustomerFacts = Pick<
  CustomerRow,
  "id" | "email" | "phone" | "emailMarketingState" | "smsMarketingState" | "countryCode" | "provinceCode"
> & { timeZone: string | null };

const text = z.string().nullable().optional();
const consentState = z.object({ marketingState: z.string() }).nullable().optional();

export const CustomerFactsLine = z.object({
  id: CustomerLine.shape.id,
  email: text,
  phone: text,
  emailMarketingConsent: consentState,
  smsMarketingConsent: consentState,
  // countryCode: REST-style exports name it so
  defaultAddress: z
    .object({ countryCodeV2: text, countryCode: text, provinceCode: text, timeZone: text })
    .nullable()
    .optional(),
});

/** Negative amounts are bad input: an order's total and discounts are never below zero. */
function checked(row: OrderFacts, line: number): LineResult<OrderFacts> {
  if (row.totalMinor < 0n) return { kind: "error", line, reason: "currentTotalPriceSet: negative amount" };
  if (row.discountMinor < 0n) return { kind: "error", line, reason: "totalDiscountsSet: negative amount" };
  return { kind: "row", row };
}

/** An order line: the bulk export's (fast paths of the backfill) or the documented shape. */
export function parseOrderFacts(text: string, line: number, shopCurrency: string): LineResult<OrderFacts> {
  const quick = quickOrder(text, shopCurrency);
  if (quick) return checked(quick.row, line);
  if (quickLineItem(text)) return { kind: "child" };
  const json = parseJson(text);
  if ("reason" in json) return { kind: "error", line, reason: json.reason };
  const value = json.value;
  if (!isObj(value)) return { kind: "error", line, reason: "not a JSON object" };
  if ("__parentId" in value) return { kind: "child" };
  try {
    const fast = fastOrderFacts(value, shopCurrency);
    if (fast) return checked(fast, line);
    const parsed = OrderFactsLine.safeParse(value);
    if (!parsed.success) return { kind: "error", line, reason: describeIssues(parsed.error) };
    return checked(orderFactsOf(parsed.data, shopCurrency), line);
  } catch (error) {
    return failure(line, error);
  }
}

const state = (consent: unknown): string | null | undefined => {
  if (consent === null || consent === undefined) return null;
  return isObj(consent) && typeof consent.marketingState === "string" ? consent.marketingState : undefined;
};

function fastCustomerFacts(c: Obj): CustomerFacts | undefined {
  const id = fastId(c.id, CUSTOMER_PREFIX);
  if (id === undefined || !optStr(c.email) || !optStr(c.phone)) return undefined;
  const emailState = state(c.emailMarketingConsent);
  const smsState = state(c.smsMarketingConsent);
  if (emailState === undefined || smsState === undefined) return undefined;
  const address = c.defaultAddress ?? {};
  if (!isObj(address)) return undefined;
  const { countryCodeV2, countryCode, provinceCode, timeZone } = address;
  if (!optStr(countryCodeV2) || !optStr(countryCode) || !optStr(provinceCode) || !optStr(timeZone)) return undefined;
  return {
    id,
    email: c.email ?? null,
    phone: c.phone ?? null,
    emailMarketingState: emailState,
    smsMarketingState: smsState,
    countryCode: countryCodeV2 ?? countryCode ?? null,
    provinceCode: provinceCode ?? null,
    timeZone: timeZone ?? null,
  };
}

/** A customer line: only `id` is required; consent, contact and address when planning needs them. */
export function parseCustomerFacts(text: string, line: number): LineResult<CustomerFacts> {
  return objectLine(text, line, fastCustomerFacts, CustomerFactsLine, (c: z.infer<typeof CustomerFactsLine>) => ({
    id: idFromGid(c.id, "Customer"),
    email: c.email ?? null,
    phone: c.phone ?? null,
    emailMarketingState: c.emailMarketingConsent?.marketingState ?? null,
    smsMarketingState: c.smsMarketingConsent?.marketingState ?? null,
    countryCode: c.defaultAddress?.countryCodeV2 ?? c.defaultAddress?.countryCode ?? null,
    provinceCode: c.defaultAddress?.provinceCode ?? null,
    timeZone: c.defaultAddress?.timeZone ?? null,
  }));
}
