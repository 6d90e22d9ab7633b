import {
  allocateDiscount,
  lineItemRecords,
  ORDER_ID_BASE,
  orderMoney,
  orderStatusUrl,
  percentOff,
  priceCart,
} from "./orders";
import type {
  CustomerRecord,
  CustomerVisitRecord,
  OrderRecord,
  PlaceOrderArgs,
  ProductRecord,
} from "./types";

// Orders placed while the emulator runs, after the generated history: indices and ids go on from
// the generated ones (so they never collide and stay in Shopify's chronological order), and names
// go on from the last generated "#<n>". Built by the generator's own helpers: the same prices, the
// same discount arithmetic, the same line items and money fields.

/** above every generated line item's id (1_300_000_000_000 + 8 per order) */
const LINE_ITEM_ID_BASE = 1_390_000_000_000;
/** Shopify's limit of line items in a checkout */
export const MAX_ORDER_LINES = 500;
/**
 * What a discount code takes off a live order: 10% of its subtotal, computed (percentOff) and spread
 * over the lines (allocateDiscount) as a generated order's code takes its 10–25% off. Several codes
 * still take 10% once: the emulator has no discount definitions to combine.
 */
export const LIVE_DISCOUNT_PERCENT = 10;
/** the shopper's visit began this long before the order */
const VISIT_LEAD_MS = 15 * 60_000;

export interface LiveOrderContext {
  seed: number;
  domain: string;
  shopId: number;
  currencyCode: string;
  products: readonly ProductRecord[];
  customer: CustomerRecord | null;
  /** the order's position among the customer's non-test orders (CustomerJourneySummary.customerOrderIndex) */
  customerOrderIndex: number | null;
}

/** The landing page as an absolute URL: a path is taken on the shop's storefront host. */
export function landingPageUrl(landingSite: string | null | undefined, domain: string): string | null {
  if (landingSite === null || landingSite === undefined || landingSite === "") return null;
  if (URL.canParse(landingSite)) return landingSite;
  const storefront = `https://${domain.replace(/\.myshopify\.com$/, "")}.example`;
  if (!URL.canParse(landingSite, storefront)) throw new RangeError("landingSite: not a URL or a path");
  return new URL(landingSite, storefront).toString();
}

/** The visit that began on the landing page, its UTM parameters read from the page's query. */
function firstVisit(id: number, landingPage: string, at: Date): CustomerVisitRecord {
  const params = new URL(landingPage).searchParams;
  const utm = {
    source: params.get("utm_source"),
    medium: params.get("utm_medium"),
    campaign: params.get("utm_campaign"),
    content: params.get("utm_content"),
    term: params.get("utm_term"),
  };
  return {
    id: `gid://shopify/CustomerVisit/${id}`,
    landingPage,
    occurredAt: new Date(at.getTime() - VISIT_LEAD_MS).toISOString(),
    referrerUrl: null,
    source: utm.source ?? "direct",
    // no referrer to describe; the app reads none of it
    referralInfoHtml: "",
    utmParameters: Object.values(utm).some((v) => v !== null) ? utm : null,
  };
}

/** Order j, the n-th placed live: paid, not yet fulfilled. */
export function buildLiveOrder(
  j: number,
  n: number,
  args: PlaceOrderArgs & { at: Date },
  ctx: LiveOrderContext,
): OrderRecord {
  if (args.lines.length === 0 || args.lines.length > MAX_ORDER_LINES)
    throw new RangeError(`an order has 1 to ${MAX_ORDER_LINES} lines`);
  if (Number.isNaN(args.at.getTime())) throw new RangeError("at: not a date");
  const { lines, subtotalMinor } = priceCart(args.lines, ctx.products);
  const codes = [...(args.discountCodes ?? [])];
  const discountMinor =
    codes.length > 0 && subtotalMinor > 0 ? percentOff(subtotalMinor, LIVE_DISCOUNT_PERCENT) : 0;
  allocateDiscount(lines, discountMinor, subtotalMinor);
  const totalMinor = subtotalMinor - discountMinor;
  const id = ORDER_ID_BASE + j + 1;
  const createdAt = args.at.toISOString();
  const landing = landingPageUrl(args.landingSite, ctx.domain);
  const customer = ctx.customer;
  return {
    id: `gid://shopify/Order/${id}`,
    legacyResourceId: String(id),
    name: `#${1001 + j}`,
    createdAt,
    processedAt: createdAt,
    updatedAt: createdAt,
    cancelledAt: null,
    cancelReason: null,
    closed: false,
    confirmed: true,
    test: args.test ?? false,
    email: customer?.email ?? null,
    phone: customer?.phone ?? null,
    currencyCode: ctx.currencyCode,
    tags: [],
    sourceName: "web",
    landingPageUrl: landing,
    discountCode: codes[0] ?? null,
    discountCodes: codes,
    displayFinancialStatus: "PAID",
    displayFulfillmentStatus: "UNFULFILLED",
    ...orderMoney({ lines, totalMinor, discountMinor }, ctx.currencyCode),
    statusPageUrl: orderStatusUrl(ctx.seed, j, ctx.domain, ctx.shopId),
    customerJourneySummary:
      customer === null && landing === null
        ? null
        : {
            customerOrderIndex: ctx.customerOrderIndex,
            daysToConversion: 0,
            ready: true,
            firstVisit: landing === null ? null : firstVisit(id, landing, args.at),
          },
    lineItems: lineItemRecords(
      lines,
      (l) => LINE_ITEM_ID_BASE + n * 512 + l,
      ctx.products,
      ctx.currencyCode,
      false,
    ),
    _index: j,
    _customerIndex: customer?._index ?? null,
    _totalMinor: totalMinor,
    _discountMinor: discountMinor,
  };
}
