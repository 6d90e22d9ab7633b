import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { graphqlClient, SHOP, startTestEmulator } from "./helpers";
import type { Emulator } from "./index";
import { validateAdminDocument } from "./schema";

// customerUpdate of a customer's contact through the Admin GraphQL endpoint: the new number is the
// customer's (and found by search), a number or address another customer has is refused, as is a
// malformed one, and nothing changes then.

let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;

beforeAll(async () => {
  emulator = await startTestEmulator({
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 7, customers: 20, orders: 20, products: 2 }],
  });
  gql = await graphqlClient(emulator);
});
afterAll(async () => {
  await emulator.close();
});

const UPDATE = `mutation Update($input: CustomerInput!) {
  customerUpdate(input: $input) { customer { id email phone } userErrors { field message } } }`;
const SEARCH = `query Search($q: String!) { customers(first: 5, query: $q) { nodes { id } } }`;
const Updated = z.object({
  customerUpdate: z.object({
    customer: z.object({ id: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() })),
  }),
});
async function update(input: Record<string, unknown>) {
  const { json } = await gql(UPDATE, { input });
  expect(json.errors).toBeUndefined();
  return Updated.parse(json.data).customerUpdate;
}

describe("customerUpdate", () => {
  it("its documents are valid against the Admin schema", () => {
    expect(validateAdminDocument(UPDATE)).toEqual([]);
    expect(validateAdminDocument(SEARCH)).toEqual([]);
  });

  it("gives a customer a new number that search then finds", async () => {
    const store = emulator.store(SHOP);
    const gid = `gid://shopify/Customer/${store.customerLegacyId(3)}`;
    const updated = await update({ id: gid, phone: "+1 (646) 555-0142" });
    expect(updated).toEqual({ customer: { id: gid, email: store.customer(3).email, phone: "+16465550142" }, userErrors: [] });
    expect(store.customer(3).phone).toBe("+16465550142");
    const { json } = await gql(SEARCH, { q: 'phone:"+16465550142"' });
    expect(json.data).toEqual({ customers: { nodes: [{ id: gid }] } });
  });

  it("refuses a number another customer has, a malformed one, and an unknown customer", async () => {
    const store = emulator.store(SHOP);
    const gid = `gid://shopify/Customer/${store.customerLegacyId(4)}`;
    const before = store.customer(4).phone;
    expect(await update({ id: gid, phone: "+16465550142" })).toEqual({
      customer: null,
      userErrors: [{ field: ["phone"], message: "Phone has already been taken" }],
    });
    expect(await update({ id: gid, phone: "12" })).toEqual({ customer: null, userErrors: [{ field: ["phone"], message: "Phone is invalid" }] });
    expect(store.customer(4).phone).toBe(before);
    expect(await update({ id: "gid://shopify/Customer/1", phone: "+16465550199" })).toEqual({
      customer: null,
      userErrors: [{ field: ["id"], message: "Customer does not exist" }],
    });
  });
});
