import { notRedacted } from "./compliance/redaction-sql";

// The upserts of synced customers and orders, written once for both ways rows reach PostgreSQL:
// a batch's JSON parameter (store.server.ts: webhooks, reconciliation, the backfill on PGlite) or a
// file copied into staging tables chunk by chunk (store-staged.server.ts: the backfill on PostgreSQL).
// `source` is the FROM item that yields the rows as `r`; $1 is always the shop. A stored row is
// only replaced by a version Shopify updated at the same time or later, and nothing from before a
// customers/redact of its customer is written. Pure: strings only.

/** The order columns as a record definition: jsonb_to_recordset's and the staging table's. */
export const ORDER_RECORD = `id bigint, "customerId" bigint, "shopifyCreatedAt" timestamptz,
       "shopifyUpdatedAt" timestamptz, "cancelledAt" timestamptz, test boolean, "totalMinor" bigint,
       "discountMinor" bigint, "currencyCode" text, "discountCodes" text[], "landingPage" text, "referrerUrl" text,
       "utmSource" text, "utmMedium" text, "utmCampaign" text, "productIds" bigint[]`;

/** The customer columns as a record definition, in the order of `customerCopyLine`. */
export const CUSTOMER_RECORD = `id bigint, "firstName" text, "lastName" text, email text, phone text, locale text, tags text[],
       "emailMarketingState" text, "emailOptInLevel" text, "emailConsentUpdatedAt" timestamptz,
       "smsMarketingState" text, "smsOptInLevel" text, "smsConsentUpdatedAt" timestamptz, "countryCode" text,
       "provinceCode" text, "timeZone" text, "rfmGroup" text, "shopifyCreatedAt" timestamptz, "shopifyUpdatedAt" timestamptz`;

const COUNTED = `o.shop = $1 AND NOT o.test AND o."cancelledAt" IS NULL`;
const AGGREGATE_COLUMNS = `count(*)::int AS n, sum(o."totalMinor")::bigint AS spend,
         (count(*) FILTER (WHERE o."discountMinor" > 0))::int AS discounted,
         min(o."shopifyCreatedAt") AS first, max(o."shopifyCreatedAt") AS last`;

/** A customer's aggregates from the shop's stored orders (what recomputeAggregates writes), or none. */
export type AggregatesJoin = "none" | "lateral";

function aggregatesJoin(join: AggregatesJoin): string {
  switch (join) {
    case "none":
      return "";
    case "lateral":
      return `LEFT JOIN LATERAL (SELECT ${AGGREGATE_COLUMNS}
       FROM "Order" o WHERE ${COUNTED} AND o."customerId" = r.id) a ON true`;
    default: {
      const unreachable: never = join;
      throw new Error(`unknown aggregates join ${String(unreachable)}`);
    }
  }
}

export interface UpsertCustomersSql {
  source: string;
  aggregates: AggregatesJoin;
  /** an SQL boolean: the rows carry timeZone and rfmGroup (bulk files), else the stored ones stay */
  carriesProfile: string;
}

export function upsertCustomersSql({ source, aggregates, carriesProfile }: UpsertCustomersSql): string {
  const agg = aggregates !== "none";
  return `INSERT INTO "Customer" AS c (shop, id, "firstName", "lastName", email, phone, locale, tags, "emailMarketingState", "emailOptInLevel",
       "emailConsentUpdatedAt", "smsMarketingState", "smsOptInLevel", "smsConsentUpdatedAt", "countryCode",
       "provinceCode", "timeZone", "rfmGroup", "shopifyCreatedAt", "shopifyUpdatedAt", "syncedAt"
       ${agg ? `, "orderCount", "spendMinor", "discountedOrderCount", "firstOrderAt", "lastOrderAt"` : ""})
     SELECT DISTINCT ON (r.id) $1, r.id, r."firstName", r."lastName", r.email, r.phone, r.locale, coalesce(r.tags, '{}'), r."emailMarketingState",
       r."emailOptInLevel", r."emailConsentUpdatedAt", r."smsMarketingState", r."smsOptInLevel", r."smsConsentUpdatedAt",
       r."countryCode", r."provinceCode", r."timeZone", r."rfmGroup", r."shopifyCreatedAt", r."shopifyUpdatedAt", now()
       ${agg ? ", coalesce(a.n, 0), coalesce(a.spend, 0), coalesce(a.discounted, 0), a.first, a.last" : ""}
     FROM ${source}
     ${aggregatesJoin(aggregates)}
     WHERE ${notRedacted({ shop: "$1", customerColumn: "r.id", updatedAt: `(r."shopifyUpdatedAt" AT TIME ZONE 'UTC')` })}
     ORDER BY r.id, r."shopifyUpdatedAt" DESC
     ON CONFLICT (shop, id) DO UPDATE SET
       "firstName" = excluded."firstName", "lastName" = excluded."lastName", email = excluded.email, phone = excluded.phone, locale = excluded.locale, tags = excluded.tags,
       "emailMarketingState" = excluded."emailMarketingState", "emailOptInLevel" = excluded."emailOptInLevel",
       "emailConsentUpdatedAt" = excluded."emailConsentUpdatedAt", "smsMarketingState" = excluded."smsMarketingState",
       "smsOptInLevel" = excluded."smsOptInLevel", "smsConsentUpdatedAt" = excluded."smsConsentUpdatedAt",
       "countryCode" = excluded."countryCode", "provinceCode" = excluded."provinceCode",
       "timeZone" = CASE WHEN ${carriesProfile} THEN excluded."timeZone" ELSE c."timeZone" END,
       "rfmGroup" = CASE WHEN ${carriesProfile} THEN excluded."rfmGroup" ELSE c."rfmGroup" END,
       "shopifyCreatedAt" = excluded."shopifyCreatedAt", "shopifyUpdatedAt" = excluded."shopifyUpdatedAt",
       ${agg ? `"orderCount" = excluded."orderCount", "spendMinor" = excluded."spendMinor", "discountedOrderCount" = excluded."discountedOrderCount", "firstOrderAt" = excluded."firstOrderAt", "lastOrderAt" = excluded."lastOrderAt",` : ""}
       "syncedAt" = now()
     WHERE c."shopifyUpdatedAt" <= excluded."shopifyUpdatedAt"`;
}

export interface UpsertOrdersSql {
  source: string;
  /** an SQL boolean: the rows carry line items' products, else the stored ones stay */
  carriesProducts: string;
}

export function upsertOrdersSql({ source, carriesProducts }: UpsertOrdersSql): string {
  return `INSERT INTO "Order" AS o (shop, id, "customerId", "shopifyCreatedAt", "shopifyUpdatedAt", "cancelledAt", test,
       "totalMinor", "discountMinor", "currencyCode", "discountCodes", "landingPage", "referrerUrl", "utmSource",
       "utmMedium", "utmCampaign", "productIds", "syncedAt")
     SELECT DISTINCT ON (r.id) $1, r.id, r."customerId", r."shopifyCreatedAt", r."shopifyUpdatedAt", r."cancelledAt", r.test,
       r."totalMinor", r."discountMinor", r."currencyCode", coalesce(r."discountCodes", '{}'), r."landingPage",
       r."referrerUrl", r."utmSource", r."utmMedium", r."utmCampaign", coalesce(r."productIds", '{}'), now()
     FROM ${source}
     WHERE ${notRedacted({ shop: "$1", customerColumn: `r."customerId"`, orderColumn: "r.id", updatedAt: `(r."shopifyUpdatedAt" AT TIME ZONE 'UTC')` })}
     ORDER BY r.id, r."shopifyUpdatedAt" DESC
     ON CONFLICT (shop, id) DO UPDATE SET
       "customerId" = excluded."customerId", "shopifyCreatedAt" = excluded."shopifyCreatedAt",
       "shopifyUpdatedAt" = excluded."shopifyUpdatedAt", "cancelledAt" = excluded."cancelledAt", test = excluded.test,
       "totalMinor" = excluded."totalMinor", "discountMinor" = excluded."discountMinor",
       "currencyCode" = excluded."currencyCode", "discountCodes" = excluded."discountCodes",
       "landingPage" = excluded."landingPage", "referrerUrl" = excluded."referrerUrl",
       "utmSource" = excluded."utmSource", "utmMedium" = excluded."utmMedium", "utmCampaign" = excluded."utmCampaign",
       "productIds" = CASE WHEN ${carriesProducts} THEN excluded."productIds" ELSE o."productIds" END,
       "syncedAt" = now()
     WHERE o."shopifyUpdatedAt" <= excluded."shopifyUpdatedAt"`;
}
