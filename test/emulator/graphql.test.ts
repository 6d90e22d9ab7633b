import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "./index";
import { validateAdminDocument } from "./index";
import { graphqlClient, startTestEmulator, SHOP } from "./helpers";

let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;
let clock = Date.parse("2026-11-20T12:00:00Z");

beforeAll(async () => {
  emulator = await startTestEmulator({ now: () => new Date(clock) });
  gql = await graphqlClient(emulator);
});
afterAll(() => emulator.close());

describe("schema validation", () => {
  it("accepts a valid document and refuses unknown fields in Shopify's shape", () => {
    expect(validateAdminDocument(`#graphql\n query { shop { name ianaTimezone } }`)).toEqual([]);
    expect(validateAdminDocument("{ foo }")).toEqual([
      {
        message: "Field 'foo' doesn't exist on type 'QueryRoot'",
        locations: [{ line: 1, column: 3 }],
        path: ["query", "foo"],
        extensions: { code: "undefinedField", typeName: "QueryRoot", fieldName: "foo" },
      },
    ]);
    const [parseError] = validateAdminDocument("{ shop { ");
    expect(parseError?.message).toMatch(/^syntax error, /);
    expect(validateAdminDocument("{ customer { id } }")[0]?.extensions?.code).toBe("missingRequiredArguments");
    expect(validateAdminDocument("{ customers(first: 1, bogus: 2) { nodes { id } } }")[0]?.extensions?.code).toBe("argumentNotAccepted");
    expect(validateAdminDocument("query($id: String!) { customer(id: $id) { id } }")[0]?.extensions?.code).toBe("variableMismatch");
  });
});

describe("Admin GraphQL endpoint", () => {
  it("refuses requests without the shop's access token", async () => {
    const res = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_wrong", "X-Shopify-Emulator-Shop": SHOP },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  it("answers invalid documents with HTTP 200 and errors", async () => {
    const { status, json } = await gql("{ shop { foo } }");
    expect(status).toBe(200);
    expect(json.errors).toMatchObject([{ extensions: { code: "undefinedField", typeName: "Shop", fieldName: "foo" } }]);
  });

  it("returns seeded data with cost extensions", async () => {
    const store = emulator.store(SHOP);
    const { json } = await gql(`{ shop { name myshopifyDomain currencyCode } customersCount { count precision } customer(id: "${store.customer(3).id}") { id email numberOfOrders amountSpent { amount } defaultAddress { timeZone } } }`);
    expect(json.errors).toBeUndefined();
    expect(json.data).toEqual({
      shop: { name: store.name, myshopifyDomain: SHOP, currencyCode: "USD" },
      customersCount: { count: 120, precision: "EXACT" },
      customer: {
        id: store.customer(3).id,
        email: store.customer(3).email,
        numberOfOrders: store.customer(3).numberOfOrders,
        amountSpent: { amount: store.customer(3).amountSpent.amount },
        defaultAddress: store.customer(3).defaultAddress ? { timeZone: store.customer(3).defaultAddress?.timeZone } : null,
      },
    });
    expect(json.extensions).toMatchObject({ cost: { requestedQueryCost: 5, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } } });
  });

  it("paginates customers with cursors until the end", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { json } = await gql("query($after: String) { customers(first: 50, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }", { after });
      const data = JSON.stringify(json.data);
      const parsed: { customers: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = JSON.parse(data);
      seen.push(...parsed.customers.edges.map((e) => e.node.id));
      if (!parsed.customers.pageInfo.hasNextPage) break;
      after = parsed.customers.pageInfo.endCursor;
    }
    expect(seen).toEqual([...emulator.store(SHOP).customers].map((c) => c.id));
  });

  it("filters with Shopify search syntax", async () => {
    const store = emulator.store(SHOP);
    const cutoff = new Date(store.customerUpdatedMs(60)).toISOString();
    const { json } = await gql(`{ customers(first: 250, query: "updated_at:>'${cutoff}'") { nodes { id updatedAt } } }`);
    const parsed: { customers: { nodes: { id: string; updatedAt: string }[] } } = JSON.parse(JSON.stringify(json.data));
    const expected = [...store.customers].filter((c) => Date.parse(c.updatedAt) > Date.parse(cutoff)).map((c) => c.id);
    expect(parsed.customers.nodes.map((n) => n.id)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it("refuses a field the emulator does not back instead of inventing data", async () => {
    const { json } = await gql("{ shop { name timezoneOffsetMinutes } }");
    expect(JSON.stringify(json.errors)).toContain("not emulated: Shop.timezoneOffsetMinutes");
  });

  it("updates consent, bumps updatedAt and rejects unknown customers as userErrors", async () => {
    const store = emulator.store(SHOP);
    const target = [...store.customers].find((c) => c.email !== null);
    if (!target) throw new Error("no customer with email");
    clock += 1000;
    const { json } = await gql(
      `mutation($input: CustomerEmailMarketingConsentUpdateInput!) { customerEmailMarketingConsentUpdate(input: $input) { customer { emailMarketingConsent { marketingState } updatedAt } userErrors { field message } } }`,
      { input: { customerId: target.id, emailMarketingConsent: { marketingState: "UNSUBSCRIBED" } } },
    );
    expect(json.data).toEqual({
      customerEmailMarketingConsentUpdate: { customer: { emailMarketingConsent: { marketingState: "UNSUBSCRIBED" }, updatedAt: new Date(clock).toISOString() }, userErrors: [] },
    });
    expect(store.customer(target._index).emailMarketingConsent?.marketingState).toBe("UNSUBSCRIBED");
    expect(json.extensions).toMatchObject({ cost: { requestedQueryCost: 10 } });
  });
});

describe("throttling", () => {
  it("throttles when the bucket is empty and recovers at the restore rate", async () => {
    emulator.setThrottle(SHOP, { enabled: true, maximumAvailable: 60, restoreRate: 10 });
    const query = "{ customers(first: 25) { nodes { id } } }"; // 2 + 25 × 1 = 27
    expect((await gql(query)).json.errors).toBeUndefined();
    const second = await gql(query);
    expect(second.json.extensions).toMatchObject({ cost: { requestedQueryCost: 27, actualQueryCost: 27 } });
    const third = await gql(query);
    expect(third.json.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
    clock += 3000; // 30 points back
    expect((await gql(query)).json.errors).toBeUndefined();
    emulator.setThrottle(SHOP, { enabled: false });
  });

  it("rejects documents over the max cost", async () => {
    const { json } = await gql("{ customers(first: 250) { nodes { id orders(first: 10) { nodes { id } } } } }");
    expect(json.errors).toMatchObject([{ extensions: { code: "MAX_COST_EXCEEDED", maxCost: 1000 } }]);
  });
});
