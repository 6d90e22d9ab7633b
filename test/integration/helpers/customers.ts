import type { CustomerRow } from "~/sync/rows";

// Customer rows as the sync stores them, for tests: a subscribed, named customer unless told otherwise.

const AT = new Date("2026-11-01T00:00:00Z");

export function customerRow(id: bigint, overrides: Partial<CustomerRow> = {}): CustomerRow {
  return {
    id,
    firstName: "Jo",
    lastName: `Customer ${id}`,
    email: `c${id}@example.com`,
    phone: null,
    locale: "en",
    tags: [],
    emailMarketingState: "SUBSCRIBED",
    emailOptInLevel: "SINGLE_OPT_IN",
    emailConsentUpdatedAt: AT,
    smsMarketingState: null,
    smsOptInLevel: null,
    smsConsentUpdatedAt: null,
    countryCode: "US",
    provinceCode: null,
    timeZone: null,
    rfmGroup: null,
    shopifyCreatedAt: AT,
    shopifyUpdatedAt: AT,
    ...overrides,
  };
}
