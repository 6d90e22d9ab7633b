import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCustomerFacts, parseOrderFacts } from "./fact-lines";
import { parseOrderLine } from "./parse-lines";

// The command lines' line readers against an oracle written on JSON.parse: what a line must hold
// (the definition's fields, nothing else), what it gives, and that the bulk export's own lines —
// read by the backfill's regex fast path — give what the backfill reads.

const EXPONENT: Record<string, number> = { USD: 2, JPY: 0, EUR: 2 };

/** "12.5" → 1250n for USD; undefined when not an amount of the currency. Written apart from money.ts. */
function minorOf(amount: unknown, currency: string): bigint | undefined {
  if (typeof amount !== "string") return undefined;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!match) return undefined;
  const exponent = EXPONENT[currency] ?? 2;
  const fraction = (match[3] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) return undefined;
  const digits = BigInt((match[2] ?? "0") + fraction.padEnd(exponent, "0"));
  return match[1] === "-" ? -digits : digits;
}

type Expected = { kind: "error"; field: string } | { kind: "row"; row: Record<string, unknown> };

/** What a JSON.parse'd order must give: a row of the definition's fields, or an error naming the field. */
function oracle(o: Record<string, unknown>, shop: string): Expected {
  const gid = (v: unknown, type: string) => (typeof v === "string" && new RegExp(`^gid://shopify/${type}/\\d{1,18}$`).test(v) ? BigInt(v.split("/").pop() ?? "") : undefined);
  const time = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);
  const id = gid(o.id, "Order");
  if (id === undefined) return { kind: "error", field: "id" };
  const createdAt = time(o.createdAt);
  if (!createdAt) return { kind: "error", field: "createdAt" };
  const cancelledAt = o.cancelledAt === null ? null : time(o.cancelledAt);
  if (cancelledAt === undefined) return { kind: "error", field: "cancelledAt" };
  if (typeof o.test !== "boolean") return { kind: "error", field: "test" };
  const customer = o.customer === null ? null : typeof o.customer === "object" ? gid((o.customer as { id?: unknown }).id, "Customer") : undefined;
  if (customer === undefined) return { kind: "error", field: "customer" };
  const money = (v: unknown) => (v as { shopMoney?: { amount?: unknown; currencyCode?: unknown } } | undefined)?.shopMoney;
  const total = money(o.currentTotalPriceSet);
  const discount = money(o.totalDiscountsSet);
  if (total?.currencyCode !== shop || discount?.currencyCode !== shop) return { kind: "error", field: "currency" };
  const totalMinor = minorOf(total.amount, shop);
  const discountMinor = minorOf(discount.amount, shop);
  if (totalMinor === undefined || discountMinor === undefined) return { kind: "error", field: "amount" };
  if (totalMinor < 0n) return { kind: "error", field: "currentTotalPriceSet: negative" };
  if (discountMinor < 0n) return { kind: "error", field: "totalDiscountsSet: negative" };
  return { kind: "row", row: { id, customerId: customer, shopifyCreatedAt: createdAt, cancelledAt, test: o.test, totalMinor, discountMinor } };
}

const time = fc.oneof(
  fc.date({ min: new Date("2000-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom("2025-11-28T10:00:00Z", "2025-11-28T10:00:00+01:00", "yesterday"),
);
const amount = fc.oneof(
  { arbitrary: fc.constantFrom("0.0", "120.5", "-3.10", "-0.00", "1.234", "12", "1e3", "007.50", "-0.01"), weight: 1 },
  { arbitrary: fc.integer({ min: -1_000_000, max: 10_000_000 }).map((n) => (n / 100).toFixed(2)), weight: 3 },
);
const money = fc.record({
  shopMoney: fc.record({ amount, currencyCode: fc.oneof({ arbitrary: fc.constant("USD"), weight: 9 }, { arbitrary: fc.constant("EUR"), weight: 1 }) }),
});
const id = (type: string) => fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map((n) => `gid://shopify/${type}/${n}`);

// The bulk query's fields in its order (the regex fast path reads these), any of the fields the
// definition does not use left out; orderWithMissing now and then drops a required one too.
const order = fc
  .record({
    id: fc.oneof({ arbitrary: id("Order"), weight: 9 }, { arbitrary: fc.constant("gid://shopify/Order/x"), weight: 1 }),
    createdAt: time,
    updatedAt: time,
    cancelledAt: fc.option(time, { nil: null }),
    test: fc.oneof({ arbitrary: fc.boolean(), weight: 9 }, { arbitrary: fc.constant("false"), weight: 1 }),
    customer: fc.option(fc.record({ id: id("Customer") }), { nil: null }),
    currentTotalPriceSet: money,
    totalDiscountsSet: money,
    discountCodes: fc.array(fc.constantFrom("BFCM", "é✓", 'A"B'), { maxLength: 2 }),
    landingPageUrl: fc.option(fc.constantFrom("/p?utm_source=x", "https://s.example/"), { nil: null }),
    customerJourneySummary: fc.constantFrom(null, { firstVisit: null }),
  })
  .chain((full) =>
    fc.subarray(["updatedAt", "discountCodes", "landingPageUrl", "customerJourneySummary"]).map((dropped) =>
      Object.fromEntries(Object.entries(full).filter(([k]) => !dropped.includes(k))),
    ),
  );
const orderWithMissing = fc.tuple(order, fc.constantFrom("none", "none", "none", "createdAt", "test", "customer", "totalDiscountsSet")).map(([o, missing]) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== missing)));

describe("parseOrderFacts (the command lines' order lines)", () => {
  it("gives what an oracle on JSON.parse gives: the definition's fields only, negatives refused (property)", () => {
    let rows = 0;
    let errors = 0;
    fc.assert(
      fc.property(orderWithMissing, (value) => {
        const text = JSON.stringify(value);
        const got = parseOrderFacts(text, 7, "USD");
        const want = oracle(JSON.parse(text) as Record<string, unknown>, "USD");
        if (want.kind === "row") {
          rows++;
          expect(got.kind === "row" ? { ...got.row } : got).toMatchObject(want.row);
        } else {
          errors++;
          expect(got).toMatchObject({ kind: "error", line: 7 });
          if (want.field.includes("negative")) expect(got.kind === "error" && got.reason).toContain(want.field.replace(": negative", ": negative amount"));
        }
      }),
      { numRuns: 3000 },
    );
    expect(rows).toBeGreaterThan(300);
    expect(errors).toBeGreaterThan(300);
  });

  it("reads the bulk export's lines as the backfill does (property)", () => {
    fc.assert(
      fc.property(order, (value) => {
        const text = JSON.stringify(value);
        const backfill = parseOrderLine(text, 1, "USD");
        const facts = parseOrderFacts(text, 1, "USD");
        if (backfill.kind !== "row") return;
        const { id, customerId, shopifyCreatedAt, cancelledAt, test, totalMinor, discountMinor } = backfill.row;
        if (totalMinor < 0n || discountMinor < 0n) expect(facts.kind).toBe("error");
        else expect(facts).toEqual({ kind: "row", row: expect.objectContaining({ id, customerId, shopifyCreatedAt, cancelledAt, test, totalMinor, discountMinor }) });
      }),
      { numRuns: 2000 },
    );
  });

  it("the documented example line, and the same line without each required field", () => {
    const example = '{"id":"gid://shopify/Order/1","createdAt":"2026-11-01T10:00:00Z","cancelledAt":null,"test":false,"customer":{"id":"gid://shopify/Customer/7"},"currentTotalPriceSet":{"shopMoney":{"amount":"12.50","currencyCode":"USD"}},"totalDiscountsSet":{"shopMoney":{"amount":"0.0","currencyCode":"USD"}}}';
    expect(parseOrderFacts(example, 1, "USD")).toEqual({
      kind: "row",
      row: { id: 1n, customerId: 7n, shopifyCreatedAt: new Date("2026-11-01T10:00:00Z"), cancelledAt: null, test: false, totalMinor: 1250n, discountMinor: 0n },
    });
    const value = JSON.parse(example) as Record<string, unknown>;
    for (const field of Object.keys(value)) {
      const { [field]: _gone, ...rest } = value;
      expect(parseOrderFacts(JSON.stringify(rest), 3, "USD"), field).toEqual({ kind: "error", line: 3, reason: `${field}: missing` });
    }
    expect(parseOrderFacts(example.replace('"12.50"', '"-12.50"'), 4, "USD")).toEqual({ kind: "error", line: 4, reason: "currentTotalPriceSet: negative amount" });
    expect(parseOrderFacts('{"id":"gid://shopify/LineItem/1","product":null,"__parentId":"gid://shopify/Order/1"}', 5, "USD")).toEqual({ kind: "child" });
  });
});

describe("parseCustomerFacts (the command lines' customer lines)", () => {
  const customer = fc.record(
    {
      id: id("Customer"),
      email: fc.option(fc.emailAddress(), { nil: null }),
      phone: fc.option(fc.constant("+15555550100"), { nil: null }),
      createdAt: time,
      updatedAt: time,
      tags: fc.array(fc.string(), { maxLength: 2 }),
      emailMarketingConsent: fc.option(fc.record({ marketingState: fc.constantFrom("SUBSCRIBED", "NOT_SUBSCRIBED"), consentUpdatedAt: fc.option(time, { nil: null }) }), { nil: null }),
      smsMarketingConsent: fc.option(fc.record({ marketingState: fc.constantFrom("SUBSCRIBED", "UNSUBSCRIBED") }), { nil: null }),
      defaultAddress: fc.option(
        fc.record({ countryCodeV2: fc.constantFrom("US", "CA"), countryCode: fc.constantFrom("GB"), provinceCode: fc.option(fc.constantFrom("FL", "QC"), { nil: null }), timeZone: fc.option(fc.constantFrom("America/New_York"), { nil: null }) }, { requiredKeys: [] }),
        { nil: null },
      ),
    },
    { requiredKeys: ["id"] },
  );

  it("needs only the id; reads what planning uses as an oracle on JSON.parse does (property)", () => {
    fc.assert(
      fc.property(customer, (value) => {
        const got = parseCustomerFacts(JSON.stringify(value), 2);
        const address = value.defaultAddress ?? null;
        expect(got).toEqual({
          kind: "row",
          row: {
            id: BigInt(value.id.split("/").pop() ?? ""),
            email: value.email ?? null,
            phone: value.phone ?? null,
            emailMarketingState: value.emailMarketingConsent?.marketingState ?? null,
            smsMarketingState: value.smsMarketingConsent?.marketingState ?? null,
            countryCode: address?.countryCodeV2 ?? address?.countryCode ?? null,
            provinceCode: address?.provinceCode ?? null,
            timeZone: address?.timeZone ?? null,
          },
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("a field that is there must have its type; the reason names the field, never the value", () => {
    expect(parseCustomerFacts('{"id":"gid://shopify/Customer/7"}', 1)).toMatchObject({ kind: "row", row: { id: 7n, email: null } });
    expect(parseCustomerFacts('{"email":"a@example.com"}', 2)).toEqual({ kind: "error", line: 2, reason: "id: missing" });
    const bad = parseCustomerFacts('{"id":"gid://shopify/Customer/7","email":{"x":"a@example.com"}}', 3);
    expect(bad).toEqual({ kind: "error", line: 3, reason: "email: expected string, got object" });
    expect(parseCustomerFacts('{"id":"gid://shopify/Customer/7","createdAt":5,"tags":"x"}', 4).kind).toBe("row");
  });
});
