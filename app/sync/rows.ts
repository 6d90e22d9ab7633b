import type { CheckoutLineItem } from "./checkouts/checkout";

// The app's own copy of what RFM and campaigns need, in one shape whatever the source: bulk
// JSONL (Admin GraphQL field names) or webhook payloads (REST field names).

export interface CustomerRow {
  id: bigint;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string | null;
  tags: string[];
  emailMarketingState: string | null;
  emailOptInLevel: string | null;
  emailConsentUpdatedAt: Date | null;
  smsMarketingState: string | null;
  smsOptInLevel: string | null;
  smsConsentUpdatedAt: Date | null;
  countryCode: string | null;
  provinceCode: string | null;
  /** undefined: the source does not carry it (webhooks) — keep what is stored. */
  timeZone: string | null | undefined;
  /** undefined: the source does not carry it (webhooks) — keep what is stored. */
  rfmGroup: string | null | undefined;
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
}

export interface OrderRow {
  id: bigint;
  customerId: bigint | null;
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  totalMinor: bigint;
  discountMinor: bigint;
  currencyCode: string;
  discountCodes: string[];
  landingPage: string | null;
  referrerUrl: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  /**
   * The line items' products, sorted and distinct. undefined: the source does not carry line items
   * (the reconciliation's paged query, a payload without them) — keep what is stored.
   */
  productIds?: bigint[] | undefined;
}

export interface CheckoutRow {
  id: bigint;
  token: string | null;
  customerId: bigint | null;
  /** personal data, like the customer's: never logged */
  email: string | null;
  phone: string | null;
  shopifyCreatedAt: Date;
  shopifyUpdatedAt: Date;
  completedAt: Date | null;
  totalMinor: bigint;
  currencyCode: string;
  recoveryUrl: string | null;
  /** undefined: the source does not carry line items — keep what is stored */
  lineItems: CheckoutLineItem[] | undefined;
}

export interface ProductRow {
  id: bigint;
  title: string;
  handle: string;
  productType: string;
  tags: string[];
  /** Shopify's ProductStatus in GraphQL form: ACTIVE, DRAFT, ARCHIVED, UNLISTED */
  status: string;
  publishedAt: Date | null;
  /** the lowest variant price */
  priceMinor: bigint;
  currencyCode: string;
  imageUrl: string | null;
  /** some variant can be bought now */
  inStock: boolean;
  /** undefined: the source does not say (payloads without inventory_management) — keep what is stored. */
  tracksInventory: boolean | undefined;
  /**
   * The variants that can be bought now; a variant the source did not list is not among them.
   * undefined: the source does not list variants by id — only inStock is known.
   */
  availableVariantIds?: bigint[] | undefined;
  shopifyUpdatedAt: Date;
}

/** Distinct ids, ascending: one order's products, stored the same whatever the source. */
export function sortedIds(ids: Iterable<bigint>): bigint[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Thrown for a record that cannot be stored; the message says which field and why. */
export class SyncInputError extends Error {
  override name = "SyncInputError";
}

/** "gid://shopify/Customer/123" → 123n; also accepts a bare numeric id (REST payloads). */
const MAX_ID = 2n ** 63n - 1n;

const gidPatterns = new Map<string, RegExp>();
function gidPattern(type: string): RegExp {
  let pattern = gidPatterns.get(type);
  if (!pattern) {
    pattern = new RegExp(`^(?:gid://shopify/${type}/)?(\\d+)$`);
    gidPatterns.set(type, pattern);
  }
  return pattern;
}

export function idFromGid(value: string | number, type: string): bigint {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new SyncInputError(`${type} id ${value} is not a valid id`);
    return BigInt(value);
  }
  const match = gidPattern(type).exec(value);
  if (!match?.[1]) throw new SyncInputError(`not a ${type} id (${value.length} characters)`);
  const id = BigInt(match[1]);
  // Stored as PostgreSQL bigint: a larger id would fail the whole batch it arrives in.
  if (id > MAX_ID) throw new SyncInputError(`${type} id ${match[1]} is out of range`);
  return id;
}

export function gidOf(type: string, id: bigint): string {
  return `gid://shopify/${type}/${id}`;
}

/** UTM parameters from a landing page URL or path; absent ones are null. */
export function utmFromLandingPage(
  landingPage: string | null,
): Pick<OrderRow, "utmSource" | "utmMedium" | "utmCampaign"> {
  // without a query there are no parameters (and most landing pages have none: no URL to parse)
  if (!landingPage?.includes("?")) return { utmSource: null, utmMedium: null, utmCampaign: null };
  let params: URLSearchParams;
  try {
    params = new URL(landingPage, "https://shop.invalid").searchParams;
  } catch {
    return { utmSource: null, utmMedium: null, utmCampaign: null };
  }
  return {
    utmSource: params.get("utm_source"),
    utmMedium: params.get("utm_medium"),
    utmCampaign: params.get("utm_campaign"),
  };
}
