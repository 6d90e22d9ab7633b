import { Rng } from "./prng";
import { formatMinor } from "./money";
import { FIRST_NAMES, LAST_NAMES, PLACES, type Place } from "./geo";
import type { CustomerRecord, EmailConsent, EmailMarketingState, OptInLevel, SmsConsent } from "./types";

export const CUSTOMER_ID_BASE = 7_100_000_000_000;
const ADDRESS_ID_BASE = 9_300_000_000_000;
const STREAM = 5;
const DAY = 86_400_000;
const TAGS = ["newsletter", "instagram", "referral", "gift-buyer", "wholesale", "returning", "loyalty-member"];
const PLACE_WEIGHTS = PLACES.map((p) => [p, p.weight] as const);

export interface CustomerAggregates {
  createdMs: number;
  updatedMs: number;
  orders: number; // non-test orders, like Shopify's numberOfOrders
  spentMinor: number; // non-test, non-cancelled
  lastOrderMs: number | null;
  untilMs: number;
}

function ascii(s: string): string {
  return s.normalize("NFD").replace(/[^a-zA-Z0-9]/g, "").toLowerCase();
}

function rfmGroup(a: CustomerAggregates): string {
  if (a.orders === 0 || a.lastOrderMs === null) return "PROSPECTS";
  const days = (a.untilMs - a.lastOrderMs) / DAY;
  const f = a.orders;
  const m = a.spentMinor;
  if (days <= 30) return f >= 5 && m >= 50_000 ? "CHAMPIONS" : f >= 3 ? "LOYAL" : f === 1 ? "NEW" : "PROMISING";
  if (days <= 120) return f >= 3 ? "ACTIVE" : "NEEDS_ATTENTION";
  if (days <= 365) return f >= 5 ? "AT_RISK" : "ALMOST_LOST";
  return f >= 5 ? "PREVIOUSLY_LOYAL" : "DORMANT";
}

/**
 * What a customer's orders decide: spend, count, statistics, updatedAt. Orders placed live change
 * only these: a customer's other fields are drawn once, from the generated history.
 */
export function orderDerivedFields(
  a: CustomerAggregates,
  currencyCode: string,
): Pick<CustomerRecord, "updatedAt" | "amountSpent" | "numberOfOrders" | "statistics" | "_amountSpentMinor"> {
  const spendTier = a.spentMinor >= 60_000 ? "HIGH" : a.spentMinor >= 12_000 ? "MEDIUM" : "LOW";
  return {
    updatedAt: new Date(a.updatedMs).toISOString(),
    amountSpent: { amount: formatMinor(a.spentMinor), currencyCode },
    numberOfOrders: String(a.orders),
    statistics: { predictedSpendTier: spendTier, rfmGroup: rfmGroup(a) },
    _amountSpentMinor: a.spentMinor,
  };
}

function consentTime(rng: Rng, a: CustomerAggregates): string {
  return new Date(a.createdMs + Math.floor(rng.next() * Math.max(1, a.updatedMs - a.createdMs))).toISOString();
}

function emailConsent(rng: Rng, a: CustomerAggregates): EmailConsent {
  const state: EmailMarketingState = rng.weighted([["SUBSCRIBED", 45], ["NOT_SUBSCRIBED", 35], ["UNSUBSCRIBED", 15], ["PENDING", 5]] as const);
  if (state === "NOT_SUBSCRIBED") return { marketingState: state, marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null };
  const level: OptInLevel = state === "PENDING" ? "CONFIRMED_OPT_IN" : rng.weighted([["SINGLE_OPT_IN", 60], ["CONFIRMED_OPT_IN", 30], ["UNKNOWN", 10]] as const);
  return { marketingState: state, marketingOptInLevel: level, consentUpdatedAt: consentTime(rng, a) };
}

function smsConsent(rng: Rng, a: CustomerAggregates): SmsConsent {
  const state = rng.weighted([["SUBSCRIBED", 30], ["NOT_SUBSCRIBED", 55], ["UNSUBSCRIBED", 12], ["PENDING", 3]] as const);
  return {
    marketingState: state,
    marketingOptInLevel: state === "NOT_SUBSCRIBED" ? "SINGLE_OPT_IN" : rng.pick(["SINGLE_OPT_IN", "CONFIRMED_OPT_IN"] as const),
    consentUpdatedAt: state === "NOT_SUBSCRIBED" ? null : consentTime(rng, a),
    consentCollectedFrom: rng.chance(0.8) ? "SHOPIFY" : "OTHER",
  };
}

function phoneFor(rng: Rng, place: Place): string {
  return `${place.phonePrefix}${String(rng.int(1_000_000, 9_999_999))}`;
}

export function buildCustomer(seed: number, i: number, a: CustomerAggregates, currencyCode: string): CustomerRecord {
  const rng = Rng.for(seed, STREAM, i);
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  const place = rng.weighted(PLACE_WEIGHTS);
  const hasEmail = rng.chance(0.97);
  const hasPhone = !hasEmail || rng.chance(0.55);
  const email = hasEmail ? `${ascii(firstName)}.${ascii(lastName)}.${i + 1}@example.com` : null;
  const phone = hasPhone ? phoneFor(rng, place) : null;
  const hasAddress = a.orders > 0 || rng.chance(0.5);
  const id = CUSTOMER_ID_BASE + i + 1;
  const tags = TAGS.filter(() => rng.chance(0.08));
  const derived = orderDerivedFields(a, currencyCode);
  return {
    id: `gid://shopify/Customer/${id}`,
    legacyResourceId: String(id),
    createdAt: new Date(a.createdMs).toISOString(),
    updatedAt: derived.updatedAt,
    firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    email,
    phone,
    locale: rng.chance(0.8) ? place.locale : "en",
    note: null,
    state: rng.weighted([["DISABLED", 75], ["ENABLED", 20], ["INVITED", 5]] as const),
    verifiedEmail: hasEmail && rng.chance(0.9),
    tags,
    emailMarketingConsent: hasEmail ? emailConsent(rng, a) : null,
    smsMarketingConsent: hasPhone ? smsConsent(rng, a) : null,
    defaultAddress: hasAddress
      ? {
          id: `gid://shopify/MailingAddress/${ADDRESS_ID_BASE + i + 1}?model_name=CustomerAddress`,
          firstName,
          lastName,
          name: `${firstName} ${lastName}`,
          address1: `${rng.int(1, 999)} ${rng.pick(["Main St", "High St", "Market St", "Park Ave", "Elm Rd"])}`,
          city: place.city,
          province: place.province,
          provinceCode: place.provinceCode,
          country: place.country,
          countryCodeV2: place.countryCodeV2,
          zip: place.zip,
          phone,
          timeZone: place.timeZone,
        }
      : null,
    amountSpent: derived.amountSpent,
    numberOfOrders: derived.numberOfOrders,
    statistics: derived.statistics,
    _index: i,
    _amountSpentMinor: derived._amountSpentMinor,
  };
}
