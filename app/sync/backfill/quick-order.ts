import { MoneyError, toMinorUnits } from "../money";
import { utmFromLandingPage, type OrderRow } from "../rows";
import type { ChildResult } from "./families";

// The lines of ORDERS_BULK_QUERY's file read without JSON.parse when they have the exact shape
// Shopify writes (fields in the query's order, strings without escapes, no first visit): JSON.parse
// built an object per line only for it to be copied into the row, a third of the parse time.
// Any other line, and any line the checked path would refuse (another currency, an amount with too
// many decimals), returns undefined and goes through JSON.parse and that path. Pure.

const TIME = String.raw`"(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d))"`;
// a JSON string without escapes or control characters: its text is its value
const PLAIN = String.raw`"([^"\\\u0000-\u001f]*)"`;
const MONEY = String.raw`\{"shopMoney":\{"amount":"(-?\d{1,15}(?:\.\d{1,6})?)","currencyCode":"([A-Z]{3})"\}\}`;
const ORDER_LINE = new RegExp(
  "^" +
    String.raw`\{"id":"gid://shopify/Order/(\d{1,18})","createdAt":${TIME},"updatedAt":${TIME},` +
    String.raw`"cancelledAt":(?:null|${TIME}),"test":(true|false),` +
    String.raw`"customer":(?:null|\{"id":"gid://shopify/Customer/(\d{1,18})"\}),` +
    String.raw`"currentTotalPriceSet":${MONEY},"totalDiscountsSet":${MONEY},` +
    String.raw`"discountCodes":\[((?:"[^"\\\u0000-\u001f]*")(?:,"[^"\\\u0000-\u001f]*")*)?\],` +
    String.raw`"landingPageUrl":(?:null|${PLAIN}),"customerJourneySummary":(?:null|\{"firstVisit":null\})\}` +
    "$",
);

function date(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function minor(amount: string, currency: string): bigint | undefined {
  try {
    return toMinorUnits(amount, currency);
  } catch (error) {
    if (error instanceof MoneyError) return undefined;
    throw error;
  }
}

/** The gid and row of a plain order line; undefined for any other. */
export function quickOrder(text: string, shopCurrency: string): { gid: string; row: OrderRow } | undefined {
  const m = ORDER_LINE.exec(text);
  if (!m) return undefined;
  const [
    ,
    id = "",
    created,
    updated,
    cancelled,
    test,
    customer,
    total = "",
    totalCurrency,
    discount = "",
    discountCurrency,
    codes,
    landing,
  ] = m;
  const shopifyCreatedAt = date(created);
  const shopifyUpdatedAt = date(updated);
  const cancelledAt = cancelled === undefined ? null : date(cancelled);
  if (!shopifyCreatedAt || !shopifyUpdatedAt || cancelledAt === undefined) return undefined;
  if (totalCurrency !== shopCurrency || discountCurrency !== shopCurrency) return undefined;
  const totalMinor = minor(total, shopCurrency);
  const discountMinor = minor(discount, shopCurrency);
  if (totalMinor === undefined || discountMinor === undefined) return undefined;
  const landingPage = landing ?? null;
  return {
    gid: `gid://shopify/Order/${id}`,
    row: {
      id: BigInt(id),
      customerId: customer === undefined ? null : BigInt(customer),
      shopifyCreatedAt,
      shopifyUpdatedAt,
      cancelledAt,
      test: test === "true",
      totalMinor,
      discountMinor,
      currencyCode: shopCurrency,
      discountCodes: codes === undefined ? [] : codes.slice(1, -1).split('","'),
      landingPage,
      referrerUrl: null,
      ...utmFromLandingPage(landingPage),
    },
  };
}

// A line item line exactly as Shopify writes it for ORDERS_BULK_QUERY. Nine in every fourteen lines
// of an orders file are these; reading them without JSON.parse is a third of the parse time.
const LINE_ITEM =
  /^\{"id":"gid:\/\/shopify\/LineItem\/\d{1,19}","product":(?:null|\{"id":"gid:\/\/shopify\/Product\/(\d{1,18})"\}),"__parentId":"(gid:\/\/shopify\/Order\/\d{1,19})"\}$/;

/** A line item line of the plain shape; undefined for any other (JSON.parse and zod say why). */
export function quickLineItem(text: string): { parentId: string; result: ChildResult<bigint> } | undefined {
  const match = LINE_ITEM.exec(text);
  if (!match?.[2]) return undefined;
  const product = match[1];
  // 18 digits at most: always within bigint; longer ids take the checked path.
  return {
    parentId: match[2],
    result: product === undefined ? { kind: "ignore" } : { kind: "child", child: BigInt(product) },
  };
}
