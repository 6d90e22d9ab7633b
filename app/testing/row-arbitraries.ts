import fc from "fast-check";
import type { CustomerRow, OrderRow } from "../sync/rows";

// Synced rows as fast-check generates them, for the tests of how rows reach the database (JSON
// parameters, COPY lines). `text` decides which strings: any code unit for encoders, or only what
// PostgreSQL's text type can hold (no NUL, no lone surrogate) when rows go through a database.

export interface RowText {
  text: fc.Arbitrary<string>;
}

/** Any code unit: quotes, backslashes, control characters, lone surrogates. */
export const anyText: RowText = { text: fc.string({ unit: "binary" }) };

/** What PostgreSQL stores: any Unicode but NUL, with COPY's and arrays' special characters often. */
export const storableText: RowText = {
  text: fc.string({
    unit: fc.oneof(
      fc.constantFrom("\\", "\t", "\n", "\r", '"', "{", "}", ",", " ", "N", "\\N", "NULL", "é", "😀"),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }).filter((c) => !c.includes("\u0000")),
    ),
    maxLength: 12,
  }),
};

export const rowId = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n });
export const rowDate = fc.date({
  min: new Date("1970-01-01T00:00:00Z"),
  max: new Date("2100-01-01T00:00:00Z"),
  noInvalidDate: true,
});
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

export function orderRows({ text }: RowText, id: fc.Arbitrary<bigint> = rowId): fc.Arbitrary<OrderRow> {
  return fc.record({
    id,
    customerId: maybe(id),
    shopifyCreatedAt: rowDate,
    shopifyUpdatedAt: rowDate,
    cancelledAt: maybe(rowDate),
    test: fc.boolean(),
    totalMinor: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
    discountMinor: fc.bigInt({ min: 0n, max: 10n ** 15n }),
    currencyCode: fc.constantFrom("USD", "JPY", "EUR"),
    discountCodes: fc.array(text, { maxLength: 3 }),
    landingPage: maybe(text),
    referrerUrl: maybe(text),
    utmSource: maybe(text),
    utmMedium: maybe(text),
    utmCampaign: maybe(text),
    productIds: fc.option(fc.array(rowId, { maxLength: 4 }), { nil: undefined }),
  });
}

/** Bulk rows carry a time zone and an RFM group, webhook rows neither. */
export function customerRows({ text }: RowText, id: fc.Arbitrary<bigint> = rowId): fc.Arbitrary<CustomerRow> {
  const profile = fc.option(fc.record({ timeZone: maybe(text), rfmGroup: maybe(text) }), { nil: undefined });
  const row = fc.record({
    id,
    firstName: maybe(text),
    lastName: maybe(text),
    email: maybe(text),
    phone: maybe(text),
    locale: maybe(text),
    tags: fc.array(text, { maxLength: 3 }),
    emailMarketingState: maybe(text),
    emailOptInLevel: maybe(text),
    emailConsentUpdatedAt: maybe(rowDate),
    smsMarketingState: maybe(text),
    smsOptInLevel: maybe(text),
    smsConsentUpdatedAt: maybe(rowDate),
    countryCode: maybe(text),
    provinceCode: maybe(text),
    shopifyCreatedAt: rowDate,
    shopifyUpdatedAt: rowDate,
  });
  return fc
    .tuple(row, profile)
    .map(([r, p]): CustomerRow => ({ ...r, timeZone: p?.timeZone, rfmGroup: p?.rfmGroup }));
}
