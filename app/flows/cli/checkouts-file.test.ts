import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Checkout } from "../../sync/checkouts/checkout";
import { describeBadLines, latestVersions, readCheckoutsFile } from "./checkouts-file";

// Hand-written files in both shapes the command reads: the Admin GraphQL abandonedCheckouts export
// (line items inline, or as `__parentId` child lines) and checkouts/* webhook payloads.

const read = (lines: Array<string | Record<string, unknown>>) =>
  readCheckoutsFile(lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))));

const money = (amount: string, currencyCode = "USD") => ({ shopMoney: { amount, currencyCode } });

// abandonedCheckouts { id token? createdAt updatedAt completedAt customer { id } abandonedCheckoutUrl
// totalPriceSet lineItems { quantity title variantTitle product { id } variant { id } originalUnitPriceSet } }
const exported = {
  id: "gid://shopify/AbandonedCheckout/7001",
  createdAt: "2026-11-28T09:00:00Z",
  updatedAt: "2026-11-28T09:12:00Z",
  completedAt: null,
  customer: { id: "gid://shopify/Customer/42" },
  abandonedCheckoutUrl: "https://shop.example/checkouts/c1/recover?key=k1",
  totalPriceSet: money("56.00"),
};
const scarf = {
  quantity: 2,
  title: "Merino Scarf",
  variantTitle: "Red",
  product: { id: "gid://shopify/Product/1" },
  variant: { id: "gid://shopify/ProductVariant/11" },
  originalUnitPriceSet: money("24.00"),
};
const custom = {
  quantity: 1,
  title: "Gift wrap",
  variantTitle: null,
  product: null,
  variant: null,
  originalUnitPriceSet: money("8.00"),
};

const SCARF_ITEM = {
  productId: 1n,
  variantId: 11n,
  quantity: 2,
  title: "Merino Scarf",
  variantTitle: "Red",
  priceMinor: 2400n,
};
const WRAP_ITEM = {
  productId: null,
  variantId: null,
  quantity: 1,
  title: "Gift wrap",
  variantTitle: null,
  priceMinor: 800n,
};
const EXPECTED: Checkout = {
  id: 7001n,
  token: null,
  customerId: 42n,
  email: null,
  phone: null,
  createdAt: new Date("2026-11-28T09:00:00Z"),
  updatedAt: new Date("2026-11-28T09:12:00Z"),
  completedAt: null,
  recoveryUrl: "https://shop.example/checkouts/c1/recover?key=k1",
  totalMinor: 5600n,
  currencyCode: "USD",
  lineItems: [SCARF_ITEM, WRAP_ITEM],
};

describe("the checkouts file", () => {
  it("reads a bulk export whose line items are child lines, wherever they come", async () => {
    const parent = "gid://shopify/AbandonedCheckout/7001";
    const file = await read([
      { ...scarf, __parentId: parent }, // before its checkout: Shopify does not promise the order
      exported,
      { ...custom, __parentId: parent },
      {
        id: "gid://shopify/AbandonedCheckout/7002",
        createdAt: "2026-11-28T10:00:00Z",
        updatedAt: "2026-11-28T10:00:00Z",
      },
    ]);
    expect(file.errors).toEqual([]);
    expect(file.checkouts[0]).toEqual(EXPECTED);
    // the flows need no more than id and times: everything else may be left out
    expect(file.checkouts[1]).toEqual({
      id: 7002n,
      token: null,
      customerId: null,
      email: null,
      phone: null,
      createdAt: new Date("2026-11-28T10:00:00Z"),
      updatedAt: new Date("2026-11-28T10:00:00Z"),
      completedAt: null,
      recoveryUrl: null,
      totalMinor: null,
      currencyCode: null,
      lineItems: [],
    });
  });

  it("reads line items inline: as an array, or as the connection's nodes or edges", async () => {
    const file = await read([
      { ...exported, lineItems: [scarf, custom] },
      { ...exported, lineItems: { nodes: [scarf, custom] } },
      { ...exported, lineItems: { edges: [{ node: scarf }, { node: custom }] } },
    ]);
    expect(file).toEqual({ checkouts: [EXPECTED, EXPECTED, EXPECTED], errors: [] });
  });

  it("reads checkouts/* webhook payloads, one version per line", async () => {
    const payload = (updatedAt: string, extra: Record<string, unknown> = {}) => ({
      id: 7001,
      token: "c1",
      email: "ada@example.com",
      phone: "+15550101",
      created_at: "2026-11-28T09:00:00-05:00",
      updated_at: updatedAt,
      completed_at: null,
      customer: { id: 42, admin_graphql_api_id: "gid://shopify/Customer/42" },
      total_price: "56.00",
      currency: "USD",
      abandoned_checkout_url: "https://shop.example/checkouts/c1/recover?key=k1",
      line_items: [
        {
          product_id: 1,
          variant_id: 11,
          quantity: 2,
          title: "Merino Scarf",
          variant_title: "Red",
          price: "24.00",
          sku: "S-1",
        },
        {
          product_id: null,
          variant_id: null,
          quantity: 1,
          title: "Gift wrap",
          variant_title: null,
          price: "8.00",
        },
      ],
      ...extra,
    });
    const file = await read([
      payload("2026-11-28T09:12:00-05:00"),
      payload("2026-11-28T09:40:00-05:00", { completed_at: "2026-11-28T09:40:00-05:00" }),
    ]);
    expect(file.errors).toEqual([]);
    expect(file.checkouts[0]).toEqual({
      ...EXPECTED,
      token: "c1",
      email: "ada@example.com",
      phone: "+15550101",
      createdAt: new Date("2026-11-28T14:00:00Z"),
      updatedAt: new Date("2026-11-28T14:12:00Z"),
    });
    expect(latestVersions(file.checkouts)).toEqual([
      expect.objectContaining({ id: 7001n, completedAt: new Date("2026-11-28T14:40:00Z") }),
    ]);
  });

  it("reports each bad line by number and field, never by value, and reads the rest", async () => {
    const file = await read([
      "{not json",
      { ...exported, updatedAt: undefined, email: "secret@example.com" },
      { ...exported, customer: { id: "gid://shopify/Order/1" }, email: "secret@example.com" },
      { ...exported, totalPriceSet: money("1.234") },
      "",
      { ...scarf, quantity: -1, __parentId: exported.id },
      { ...scarf, __parentId: "gid://shopify/AbandonedCheckout/9" },
      { id: 2 ** 60, created_at: "2026-11-28T09:00:00Z", updated_at: "2026-11-28T09:00:00Z" },
      {
        id: 5,
        created_at: "2026-11-28T09:00:00Z",
        updated_at: "2026-11-28T09:00:00Z",
        line_items: [{ quantity: 1, price: "3.00" }],
      },
      exported,
      { ...scarf, __parentId: "gid://shopify/AbandonedCheckout/7003" },
      { ...exported, id: "gid://shopify/AbandonedCheckout/7003", lineItems: [] },
      "[1]",
    ]);
    expect(describeBadLines(file.errors)).toEqual([
      "1: invalid JSON",
      "2: updatedAt: missing",
      "3: customer.id: not a Customer id",
      '4: totalPriceSet: "1.234" has more decimals than USD allows (2)',
      "5: empty line",
      "6: quantity: too_small",
      "7: __parentId: no checkout 9 in the file",
      "8: id: beyond 2^53 as a JSON number (write it as a string or a gid)",
      "9: line_items.0.price: needs the checkout's currency",
      "11: __parentId: checkout 7003 on line 12 lists its line items inline",
      "13: not a JSON object",
    ]);
    expect(file.checkouts.map((c) => c.id)).toEqual([7001n, 7003n]);
    expect(JSON.stringify(file.errors)).not.toContain("secret");
  });

  it("property: checkouts written in any of the shapes read back the same", async () => {
    const id = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n });
    const item = fc.record({
      productId: fc.option(id, { nil: null }),
      variantId: fc.option(id, { nil: null }),
      quantity: fc.nat({ max: 50 }),
      title: fc.option(fc.string(), { nil: null }),
      // "" is how a webhook says "no variant title": read as null
      variantTitle: fc.option(fc.string({ minLength: 1 }), { nil: null }),
      priceMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
    });
    const checkout = fc.record({
      id,
      customerId: fc.option(id, { nil: null }),
      createdMs: fc.integer({ min: Date.parse("2026-01-01"), max: Date.parse("2027-01-01") }),
      idleMs: fc.integer({ min: 0, max: 86_400_000 }),
      completed: fc.boolean(),
      totalMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      items: fc.array(item, { maxLength: 4 }),
    });
    const amount = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, "0")}`;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(checkout, { selector: (c) => c.id, maxLength: 4 }),
        fc.constantFrom("children", "inline", "webhook"),
        async (list, shape) => {
          const lines: Array<Record<string, unknown>> = [];
          for (const c of list) {
            const createdAt = new Date(c.createdMs).toISOString();
            const updatedAt = new Date(c.createdMs + c.idleMs).toISOString();
            const completedAt = c.completed ? updatedAt : null;
            const gql = c.items.map((i) => ({
              quantity: i.quantity,
              title: i.title,
              variantTitle: i.variantTitle,
              product: i.productId === null ? null : { id: `gid://shopify/Product/${i.productId}` },
              variant: i.variantId === null ? null : { id: `gid://shopify/ProductVariant/${i.variantId}` },
              originalUnitPriceSet: money(amount(i.priceMinor)),
            }));
            const gid = `gid://shopify/AbandonedCheckout/${c.id}`;
            const head = {
              id: gid,
              createdAt,
              updatedAt,
              completedAt,
              customer: c.customerId === null ? null : { id: `gid://shopify/Customer/${c.customerId}` },
              totalPriceSet: money(amount(c.totalMinor)),
            };
            if (shape === "children") lines.push(head, ...gql.map((g) => ({ ...g, __parentId: gid })));
            else if (shape === "inline") lines.push({ ...head, lineItems: gql });
            else
              lines.push({
                id: String(c.id),
                created_at: createdAt,
                updated_at: updatedAt,
                completed_at: completedAt,
                customer: c.customerId === null ? null : { id: String(c.customerId) },
                total_price: amount(c.totalMinor),
                currency: "USD",
                line_items: c.items.map((i) => ({
                  product_id: i.productId === null ? null : String(i.productId),
                  variant_id: i.variantId === null ? null : String(i.variantId),
                  quantity: i.quantity,
                  title: i.title,
                  variant_title: i.variantTitle,
                  price: amount(i.priceMinor),
                })),
              });
          }
          const file = await read(lines);
          expect(file.errors).toEqual([]);
          expect(
            file.checkouts.map((c) => [
              c.id,
              c.customerId,
              c.updatedAt.getTime(),
              c.completedAt !== null,
              c.totalMinor,
              c.lineItems,
            ]),
          ).toEqual(
            list.map((c) => [c.id, c.customerId, c.createdMs + c.idleMs, c.completed, c.totalMinor, c.items]),
          );
        },
      ),
    );
  });
});
