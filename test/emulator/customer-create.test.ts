import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { API_SECRET, graphqlClient, SHOP, startTestEmulator } from "./helpers";
import { signWebhookBody, type Emulator } from "./index";
import { validateAdminDocument } from "./schema";

// customerCreate through the Admin GraphQL endpoint: the customer is appended after every other
// (next index, next legacy id), found by email and phone search, counted and exported in bulk, and
// customers/create goes to the app signed; taken or malformed contacts are userErrors.

const received: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.end("ok");
  });
});
const NOW = new Date("2026-11-20T12:00:00Z");
const CUSTOMERS = 25;
let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const address = app.address();
  const port = typeof address === "object" && address ? (address satisfies AddressInfo).port : 0;
  emulator = await startTestEmulator({
    appUrl: `http://127.0.0.1:${port}`,
    webhooks: [{ topics: ["customers/create", "customers/update"], uri: "/webhooks/customers" }],
    shops: [{ domain: SHOP, seed: 7, customers: CUSTOMERS, orders: 40, products: 3 }],
    now: () => NOW,
  });
  gql = await graphqlClient(emulator);
  // the first query builds the query root: what is created after it must still be seen
  await gql(`{ customersCount { count } }`);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});

const CREATE = `mutation Create($input: CustomerInput!) {
  customerCreate(input: $input) {
    customer { id legacyResourceId email phone firstName lastName createdAt numberOfOrders
      emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt }
      smsMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } }
    userErrors { field message } } }`;
const SEARCH = `query Search($q: String!) { customers(first: 5, query: $q) { nodes { id email phone } } customersCount(query: $q) { count } }`;
const Created = z.object({
  customerCreate: z.object({
    customer: z.object({ id: z.string(), legacyResourceId: z.string() }).passthrough().nullable(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() })),
  }),
});
async function create(input: Record<string, unknown>) {
  const { json } = await gql(CREATE, { input });
  expect(json.errors).toBeUndefined();
  return Created.parse(json.data).customerCreate;
}
const CONSENT_AT = "2026-11-20T11:59:00Z";

describe("customerCreate", () => {
  it("its documents are valid against the Admin schema", () => {
    expect(validateAdminDocument(CREATE)).toEqual([]);
    expect(validateAdminDocument(SEARCH)).toEqual([]);
  });

  it("appends the customer with the next legacy id, PENDING consent, and sends customers/create", async () => {
    const store = emulator.store(SHOP);
    const lastLegacy = store.customerLegacyId(CUSTOMERS - 1);
    const created = await create({
      email: "New.Shopper@Example.org",
      phone: "+1 212 555 0199",
      firstName: "Nora",
      lastName: "Quinn",
      emailMarketingConsent: { marketingState: "PENDING", marketingOptInLevel: "CONFIRMED_OPT_IN", consentUpdatedAt: CONSENT_AT },
      smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: CONSENT_AT },
    });
    expect(created.userErrors).toEqual([]);
    expect(created.customer).toEqual({
      id: `gid://shopify/Customer/${lastLegacy + 1}`,
      legacyResourceId: String(lastLegacy + 1),
      email: "new.shopper@example.org",
      phone: "+12125550199",
      firstName: "Nora",
      lastName: "Quinn",
      createdAt: NOW.toISOString(),
      numberOfOrders: "0",
      emailMarketingConsent: { marketingState: "PENDING", marketingOptInLevel: "CONFIRMED_OPT_IN", consentUpdatedAt: "2026-11-20T11:59:00Z" },
      smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: "2026-11-20T11:59:00Z" },
    });
    expect(store.customerCount).toBe(CUSTOMERS + 1);

    await expect.poll(() => received.filter((r) => r.headers["x-shopify-topic"] === "customers/create").length).toBe(1);
    const hook = received.find((r) => r.headers["x-shopify-topic"] === "customers/create");
    expect(hook?.headers["x-shopify-hmac-sha256"]).toBe(signWebhookBody(hook?.body ?? "", API_SECRET));
    expect(JSON.parse(hook?.body ?? "{}")).toMatchObject({
      id: lastLegacy + 1,
      email: "new.shopper@example.org",
      phone: "+12125550199",
      email_marketing_consent: { state: "pending", opt_in_level: "confirmed_opt_in" },
      sms_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in" },
    });
  });

  it("is found by exact email (any case) and phone search, counted, and in the bulk export", async () => {
    const id = emulator.store(SHOP).customer(CUSTOMERS).id;
    for (const q of ["email:new.shopper@example.org", "email:NEW.SHOPPER@EXAMPLE.ORG", "phone:+12125550199", `email:"new.shopper@example.org"`]) {
      const { json } = await gql(SEARCH, { q });
      expect(json.data, q).toEqual({ customers: { nodes: [{ id, email: "new.shopper@example.org", phone: "+12125550199" }] }, customersCount: { count: 1 } });
    }
    const none = await gql(SEARCH, { q: "email:new.shopper@example.com" });
    expect(none.json.data).toEqual({ customers: { nodes: [] }, customersCount: { count: 0 } });
    // a generated customer by email and by phone, as stored
    const generated = emulator.store(SHOP).customers.slice(0, CUSTOMERS).find((c) => c.email !== null && c.phone !== null);
    if (!generated) throw new Error("no generated customer with both");
    const byEmail = await gql(SEARCH, { q: `email:${generated.email ?? ""}` });
    expect(byEmail.json.data).toMatchObject({ customers: { nodes: [{ id: generated.id }] } });
    const byPhone = await gql(SEARCH, { q: `phone:${generated.phone ?? ""}` });
    expect(byPhone.json.data).toMatchObject({ customers: { nodes: expect.arrayContaining([expect.objectContaining({ id: generated.id })]) } });

    const all = await gql(`{ customersCount { count } last: customers(last: 1) { nodes { id } } }`);
    expect(all.json.data).toEqual({ customersCount: { count: CUSTOMERS + 1 }, last: { nodes: [{ id }] } });
    const run = await gql(`mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id email } } } }") { bulkOperation { id } userErrors { message } } }`);
    const op = z.object({ bulkOperationRunQuery: z.object({ bulkOperation: z.object({ id: z.string() }) }) }).parse(run.json.data).bulkOperationRunQuery.bulkOperation.id;
    let url = "";
    await expect
      .poll(async () => {
        const node = z.object({ node: z.object({ status: z.string(), url: z.string().nullable() }) }).parse((await gql(`query($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }`, { id: op })).json.data).node;
        url = node.url ?? "";
        return node.status;
      })
      .toBe("COMPLETED");
    const lines = (await (await fetch(url)).text()).trim().split("\n");
    expect(lines).toHaveLength(CUSTOMERS + 1);
    expect(JSON.parse(lines.at(-1) ?? "{}")).toEqual({ id, email: "new.shopper@example.org" });
  });

  it("refuses taken and malformed contacts, and a customer with nothing to name it", async () => {
    const taken = emulator.store(SHOP).customers.slice(0, CUSTOMERS).find((c) => c.phone !== null);
    const cases: Array<[Record<string, unknown>, Array<{ field: string[] | null; message: string }>]> = [
      [{ email: "NEW.SHOPPER@example.org" }, [{ field: ["email"], message: "Email has already been taken" }]],
      [{ email: "someone@else.org", phone: taken?.phone }, [{ field: ["phone"], message: "Phone has already been taken" }]],
      [{ email: "not-an-email" }, [{ field: ["email"], message: "Email is invalid" }]],
      [{ email: "ok@else.org", phone: "555-0100" }, [{ field: ["phone"], message: "Phone is invalid" }]],
      [{ note: "no contact" }, [{ field: null, message: "A name, phone number, or email address must be present" }]],
      [
        { firstName: "No", emailMarketingConsent: { marketingState: "SUBSCRIBED" } },
        [{ field: ["input", "emailMarketingConsent"], message: "An email address is required to set the email marketing consent state." }],
      ],
    ];
    for (const [input, errors] of cases) {
      const result = await create(input);
      expect(result, JSON.stringify(input)).toEqual({ customer: null, userErrors: errors });
    }
    expect(emulator.store(SHOP).customerCount).toBe(CUSTOMERS + 1);
  });

  it("needs write_customers, as Shopify does", async () => {
    const token = emulator.issueCustomAppToken(SHOP, ["read_customers"]);
    const res = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "X-Shopify-Emulator-Shop": SHOP },
      body: JSON.stringify({ query: CREATE, variables: { input: { email: "denied@else.org" } } }),
    });
    const json = z.object({ errors: z.array(z.object({ message: z.string() })) }).parse(await res.json());
    expect(json.errors[0]?.message).toBe("Access denied for customerCreate field. Required access: `write_customers` access scope.");
  });

  it("consent updates may set PENDING and send customers/update", async () => {
    const id = emulator.store(SHOP).customer(CUSTOMERS).id;
    const { json } = await gql(
      `mutation($input: CustomerSmsMarketingConsentUpdateInput!) { customerSmsMarketingConsentUpdate(input: $input) {
        customer { smsMarketingConsent { marketingState } } userErrors { field message } } }`,
      { input: { customerId: id, smsMarketingConsent: { marketingState: "PENDING", marketingOptInLevel: "CONFIRMED_OPT_IN" } } },
    );
    expect(json.data).toEqual({ customerSmsMarketingConsentUpdate: { customer: { smsMarketingConsent: { marketingState: "PENDING" } }, userErrors: [] } });
    await expect.poll(() => received.filter((r) => r.headers["x-shopify-topic"] === "customers/update").length).toBe(1);
  });
});
