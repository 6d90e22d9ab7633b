import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMinorUnits } from "../money";
import { parseCustomerLine, parseOrderLine } from "./parse-lines";

const order = (extra: Record<string, unknown> = {}) => ({
  id: "gid://shopify/Order/5600000000001",
  createdAt: "2025-11-28T10:00:00Z",
  updatedAt: "2025-11-29T10:00:00Z",
  cancelledAt: null,
  test: false,
  customer: { id: "gid://shopify/Customer/42" },
  currentTotalPriceSet: { shopMoney: { amount: "120.5", currencyCode: "USD" } },
  totalDiscountsSet: { shopMoney: { amount: "10.00", currencyCode: "USD" } },
  discountCodes: ["BFCM20"],
  landingPageUrl: "https://shop.example/?utm_source=newsletter&utm_medium=email",
  customerJourneySummary: null,
  ...extra,
});

describe("parseOrderLine", () => {
  it("converts a bulk order line into a row with exact minor units and UTM from the landing page", () => {
    const result = parseOrderLine(JSON.stringify(order()), 1, "USD");
    expect(result).toEqual({
      kind: "row",
      row: {
        id: 5600000000001n,
        customerId: 42n,
        shopifyCreatedAt: new Date("2025-11-28T10:00:00Z"),
        shopifyUpdatedAt: new Date("2025-11-29T10:00:00Z"),
        cancelledAt: null,
        test: false,
        totalMinor: 12050n,
        discountMinor: 1000n,
        currencyCode: "USD",
        discountCodes: ["BFCM20"],
        landingPage: "https://shop.example/?utm_source=newsletter&utm_medium=email",
        referrerUrl: null,
        utmSource: "newsletter",
        utmMedium: "email",
        utmCampaign: null,
      },
    });
  });

  it("prefers the customer journey's first visit", () => {
    const line = order({
      customerJourneySummary: {
        firstVisit: { landingPage: "https://a.example/x", referrerUrl: "https://google.com", utmParameters: { source: "g", medium: "cpc", campaign: "bf" } },
      },
    });
    const result = parseOrderLine(JSON.stringify(line), 1, "USD");
    expect(result.kind === "row" && result.row).toMatchObject({ landingPage: "https://a.example/x", referrerUrl: "https://google.com", utmSource: "g", utmMedium: "cpc", utmCampaign: "bf" });
  });

  it("guest orders, zero-decimal currencies", () => {
    const line = order({
      customer: null,
      currentTotalPriceSet: { shopMoney: { amount: "1200", currencyCode: "JPY" } },
      totalDiscountsSet: { shopMoney: { amount: "0", currencyCode: "JPY" } },
    });
    const result = parseOrderLine(JSON.stringify(line), 1, "JPY");
    expect(result.kind === "row" && result.row).toMatchObject({ customerId: null, totalMinor: 1200n, discountMinor: 0n, currencyCode: "JPY" });
  });

  it.each([
    ["not json {", "invalid JSON"],
    ["[1,2]", "not a JSON object"],
    [JSON.stringify(order({ test: "no" })), "test: expected boolean, got string"],
    [JSON.stringify({ ...order(), createdAt: undefined }), "createdAt: missing"],
    [JSON.stringify(order({ updatedAt: "yesterday" })), "updatedAt: not a timestamp"],
    [JSON.stringify(order({ id: "gid://shopify/Product/1" })), "id: not a Order id"],
    [JSON.stringify(order({ currentTotalPriceSet: { shopMoney: { amount: "1.234", currencyCode: "USD" } } })), "more decimals than USD allows"],
    [JSON.stringify(order({ currentTotalPriceSet: { shopMoney: { amount: "1.00", currencyCode: "EUR" } } })), "unknown currency mix"],
  ])("a bad line is an error with its number and reason: %s", (text, reason) => {
    const result = parseOrderLine(text, 17, "USD");
    expect(result.kind).toBe("error");
    if (result.kind === "error") {
      expect(result.line).toBe(17);
      expect(result.reason).toContain(reason);
    }
  });

  it("lines with __parentId are children", () => {
    expect(parseOrderLine('{"id":"gid://shopify/LineItem/1","__parentId":"gid://shopify/Order/1"}', 3, "USD")).toEqual({ kind: "child" });
  });

  it("never throws, whatever the line (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ ...order(), customer: v }))), (text) => {
        const result = parseOrderLine(text, 1, "USD");
        expect(["row", "error", "child"]).toContain(result.kind);
      }),
    );
  });

  it("round-trips any amount exactly (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom("USD", "JPY", "BHD"), (total, discount, currency) => {
        const line = order({
          currentTotalPriceSet: { shopMoney: { amount: formatMinorUnits(total, currency), currencyCode: currency } },
          totalDiscountsSet: { shopMoney: { amount: formatMinorUnits(discount, currency), currencyCode: currency } },
        });
        const result = parseOrderLine(JSON.stringify(line), 1, currency);
        expect(result.kind === "row" && [result.row.totalMinor, result.row.discountMinor]).toEqual([total, discount]);
      }),
    );
  });

  it("an error reason never quotes a value from the line (property)", () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.constantFrom("id", "createdAt", "test", "customer", "discountCodes"), (email, field) => {
        const result = parseOrderLine(JSON.stringify(order({ [field]: { email } })), 1, "USD");
        expect(result.kind).toBe("error");
        if (result.kind === "error") expect(result.reason).not.toContain(email);
      }),
    );
  });
});

describe("parseCustomerLine", () => {
  const customer = {
    id: "gid://shopify/Customer/42",
    firstName: "Zoë",
    lastName: "O'Brien-Łukasz",
    email: "a@example.com",
    phone: "+15555550100",
    createdAt: "2024-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    locale: "en",
    tags: ["vip"],
    emailMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN", consentUpdatedAt: "2024-02-01T00:00:00Z" },
    smsMarketingConsent: { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null },
    defaultAddress: { countryCodeV2: "US", provinceCode: "NY", timeZone: "America/New_York" },
    statistics: { rfmGroup: "CHAMPIONS" },
  };

  it("converts a bulk customer line into a row", () => {
    expect(parseCustomerLine(JSON.stringify(customer), 1)).toEqual({
      kind: "row",
      row: {
        id: 42n,
        firstName: "Zoë",
        lastName: "O'Brien-Łukasz",
        email: "a@example.com",
        phone: "+15555550100",
        locale: "en",
        tags: ["vip"],
        emailMarketingState: "SUBSCRIBED",
        emailOptInLevel: "CONFIRMED_OPT_IN",
        emailConsentUpdatedAt: new Date("2024-02-01T00:00:00Z"),
        smsMarketingState: "NOT_SUBSCRIBED",
        smsOptInLevel: "SINGLE_OPT_IN",
        smsConsentUpdatedAt: null,
        countryCode: "US",
        provinceCode: "NY",
        timeZone: "America/New_York",
        rfmGroup: "CHAMPIONS",
        shopifyCreatedAt: new Date("2024-01-01T00:00:00Z"),
        shopifyUpdatedAt: new Date("2025-01-01T00:00:00Z"),
      },
    });
  });

  it("no address, no consent, no rfm group: nulls (timeZone and rfmGroup null, not undefined)", () => {
    const result = parseCustomerLine(JSON.stringify({ ...customer, defaultAddress: null, emailMarketingConsent: null, smsMarketingConsent: null, statistics: { rfmGroup: null } }), 1);
    expect(result.kind === "row" && result.row).toMatchObject({ timeZone: null, rfmGroup: null, countryCode: null, emailMarketingState: null });
  });

  it("a customer without a name (or a file from before names were read) has null names", () => {
    const { firstName: _first, lastName: _last, ...unnamed } = customer;
    for (const line of [unnamed, { ...customer, firstName: null, lastName: null }]) {
      const result = parseCustomerLine(JSON.stringify(line), 1);
      expect(result.kind === "row" && result.row).toMatchObject({ id: 42n, firstName: null, lastName: null, email: "a@example.com" });
    }
  });

  it("a name that is not text is an error naming the field, not the value", () => {
    expect(parseCustomerLine(JSON.stringify({ ...customer, firstName: ["Zoë"] }), 4)).toEqual({
      kind: "error",
      line: 4,
      reason: "firstName: expected string, got array",
    });
  });

  it("a missing field is an error naming the field, not the value", () => {
    const { tags: _tags, ...rest } = customer;
    expect(parseCustomerLine(JSON.stringify(rest), 9)).toEqual({ kind: "error", line: 9, reason: "tags: missing" });
    const bad = parseCustomerLine(JSON.stringify({ ...customer, id: "a@example.com" }), 2);
    expect(bad.kind === "error" && bad.reason).not.toContain("a@example.com");
  });
});
