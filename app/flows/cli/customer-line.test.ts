import { describe, expect, it } from "vitest";
import { parseFlowCustomer } from "./customer-line";

// A customers line as `plan` reads it, plus when each consent was last changed (the welcome flow's trigger).

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ id: "gid://shopify/Customer/7", ...fields });

describe("parseFlowCustomer", () => {
  it("reads the consents' times when there", () => {
    const got = parseFlowCustomer(
      line({
        emailMarketingConsent: { marketingState: "SUBSCRIBED", consentUpdatedAt: "2026-11-25T15:00:00Z" },
        smsMarketingConsent: { marketingState: "NOT_SUBSCRIBED", consentUpdatedAt: null },
        defaultAddress: { countryCodeV2: "US", provinceCode: "NY", timeZone: "America/New_York" },
      }),
      1,
    );
    expect(got).toEqual({
      kind: "row",
      row: {
        id: 7n,
        email: null,
        phone: null,
        emailMarketingState: "SUBSCRIBED",
        smsMarketingState: "NOT_SUBSCRIBED",
        countryCode: "US",
        provinceCode: "NY",
        timeZone: "America/New_York",
        emailConsentUpdatedAt: new Date("2026-11-25T15:00:00Z"),
        smsConsentUpdatedAt: null,
      },
    });
  });

  it("needs only the id", () => {
    expect(parseFlowCustomer(line({}), 1)).toMatchObject({
      kind: "row",
      row: { id: 7n, emailConsentUpdatedAt: null, smsConsentUpdatedAt: null },
    });
  });

  it("a consent time that is not a time is bad input, named by field, never by value", () => {
    const bad = parseFlowCustomer(
      line({ smsMarketingConsent: { marketingState: "SUBSCRIBED", consentUpdatedAt: "yesterday" } }),
      4,
    );
    expect(bad).toEqual({
      kind: "error",
      line: 4,
      reason: "smsMarketingConsent.consentUpdatedAt: not a timestamp",
    });
    expect(parseFlowCustomer('{"email":"a@example.com"}', 5)).toEqual({
      kind: "error",
      line: 5,
      reason: "id: missing",
    });
  });
});
