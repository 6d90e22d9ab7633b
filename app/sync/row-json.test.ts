import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customersJson, ordersJson } from "./row-json";
import type { CustomerRow, OrderRow } from "./rows";

// The reference: what the upserts sent before, JSON.stringify with bigints as strings.
const reference = (rows: unknown[]) =>
  JSON.parse(
    JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)),
  );

const id = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n });
const date = fc.date({
  min: new Date("1970-01-01T00:00:00Z"),
  max: new Date("2100-01-01T00:00:00Z"),
  noInvalidDate: true,
});
// any text, quotes, backslashes, control and non-BMP characters included
const text = fc.string({ unit: "binary" });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const order: fc.Arbitrary<OrderRow> = fc.record({
  id,
  customerId: maybe(id),
  shopifyCreatedAt: date,
  shopifyUpdatedAt: date,
  cancelledAt: maybe(date),
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
  productIds: fc.option(fc.array(id, { maxLength: 4 }), { nil: undefined }),
});

const customer: fc.Arbitrary<CustomerRow> = fc.record({
  id,
  firstName: maybe(text),
  lastName: maybe(text),
  email: maybe(text),
  phone: maybe(text),
  locale: maybe(text),
  tags: fc.array(text, { maxLength: 3 }),
  emailMarketingState: maybe(text),
  emailOptInLevel: maybe(text),
  emailConsentUpdatedAt: maybe(date),
  smsMarketingState: maybe(text),
  smsOptInLevel: maybe(text),
  smsConsentUpdatedAt: maybe(date),
  countryCode: maybe(text),
  provinceCode: maybe(text),
  timeZone: fc.option(maybe(text), { nil: undefined }),
  rfmGroup: fc.option(maybe(text), { nil: undefined }),
  shopifyCreatedAt: date,
  shopifyUpdatedAt: date,
});

describe("batched upsert parameters", () => {
  it("orders: the same document as JSON.stringify with bigints as strings", () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 5 }), (rows) => {
        expect(JSON.parse(ordersJson(rows))).toEqual(reference(rows));
      }),
      { numRuns: 300 },
    );
  });

  it("customers: the same document, a field the source lacks left out", () => {
    fc.assert(
      fc.property(fc.array(customer, { maxLength: 5 }), (rows) => {
        expect(JSON.parse(customersJson(rows))).toEqual(reference(rows));
      }),
      { numRuns: 300 },
    );
  });
});
