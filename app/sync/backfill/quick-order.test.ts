import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderFromJson } from "./parse-lines";
import { quickOrder } from "./quick-order";

// Lines in the bulk query's field order, with values that are plain and values that are not.
const text = fc.oneof(
  { arbitrary: fc.constantFrom("SPRING15", "é✓😀", "", "a,b", "a b"), weight: 4 },
  { arbitrary: fc.oneof(fc.string(), fc.constantFrom('a"b', "a\\b", "tab\there")), weight: 1 },
);
const time = fc.oneof(
  fc
    .date({ min: new Date("2000-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom("2025-11-28T10:00:00Z", "2025-11-28T10:00:00+01:00", "2025-13-40T10:00:00Z", "yesterday"),
);
const amount = fc.oneof(
  fc.constantFrom("0.0", "120.5", "49.98", "-3.10", "1.234", "12", "1e3", "007.50"),
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => (n / 100).toFixed(2)),
);
const money = fc.record({
  shopMoney: fc.record({ amount, currencyCode: fc.constantFrom("USD", "USD", "EUR") }),
});
const orderLine = fc.record({
  id: fc.oneof(
    fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map((n) => `gid://shopify/Order/${n}`),
    fc.constant("gid://shopify/Order/x"),
  ),
  createdAt: time,
  updatedAt: time,
  cancelledAt: fc.option(time, { nil: null }),
  test: fc.boolean(),
  customer: fc.option(
    fc.record({ id: fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map((n) => `gid://shopify/Customer/${n}`) }),
    { nil: null },
  ),
  currentTotalPriceSet: money,
  totalDiscountsSet: money,
  discountCodes: fc.array(text, { maxLength: 3 }),
  landingPageUrl: fc.option(
    fc.oneof(text, fc.constantFrom("https://s.example/?utm_source=mail&utm_campaign=bf", "/p?x=1")),
    { nil: null },
  ),
  customerJourneySummary: fc.constantFrom(null, { firstVisit: null }),
});

describe("quickOrder (an orders file's plain lines without JSON.parse)", () => {
  it("reads a line exactly as the checked path does, or leaves it to that path (property)", () => {
    let read = 0;
    fc.assert(
      fc.property(orderLine, (value) => {
        const line = JSON.stringify(value);
        const quick = quickOrder(line, "USD");
        const checked = orderFromJson(JSON.parse(line) as Record<string, unknown>, 1, "USD");
        if (quick === undefined) return;
        read++;
        expect(checked).toEqual({ kind: "row", row: quick.row });
        expect(quick.gid).toBe(value.id);
      }),
      { numRuns: 3000 },
    );
    expect(read).toBeGreaterThan(100); // the property says something about the quick path
  });

  it("reads the common shapes, and leaves other field orders and escaped strings to JSON.parse", () => {
    const plain = {
      id: "gid://shopify/Order/5600000000001",
      createdAt: "2023-11-02T00:08:58.630Z",
      updatedAt: "2023-11-02T06:08:58.630Z",
      cancelledAt: null,
      test: false,
      customer: { id: "gid://shopify/Customer/7100000000006" },
      currentTotalPriceSet: { shopMoney: { amount: "117.45", currencyCode: "USD" } },
      totalDiscountsSet: { shopMoney: { amount: "14.52", currencyCode: "USD" } },
      discountCodes: ["SPRING15", "VIP"],
      landingPageUrl: "https://s.example/?utm_source=mail",
      customerJourneySummary: { firstVisit: null },
    };
    expect(quickOrder(JSON.stringify(plain), "USD")?.row).toMatchObject({
      id: 5600000000001n,
      customerId: 7100000000006n,
      totalMinor: 11745n,
      discountMinor: 1452n,
      discountCodes: ["SPRING15", "VIP"],
      utmSource: "mail",
      cancelledAt: null,
    });
    const { test, ...rest } = plain;
    expect(quickOrder(JSON.stringify({ test, ...rest }), "USD")).toBeUndefined();
    expect(quickOrder(JSON.stringify({ ...plain, discountCodes: ['A"B'] }), "USD")).toBeUndefined();
    expect(
      quickOrder(
        JSON.stringify({ ...plain, customerJourneySummary: { firstVisit: { landingPage: "/" } } }),
        "USD",
      ),
    ).toBeUndefined();
    expect(quickOrder(JSON.stringify(plain), "EUR")).toBeUndefined();
  });
});
