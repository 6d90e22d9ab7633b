import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Emulator } from "./index";
import { graphqlClient, SHOP, startTestEmulator } from "./helpers";
import { validateAdminDocument } from "./schema";

// Metafields through the Admin GraphQL endpoint, with documents the published schema validates:
// the app-data metafield on currentAppInstallation, a customer's "$app" metafield, Shopify's
// userErrors, and metafieldsSet run line by line by bulkOperationRunMutation.

let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;
beforeAll(async () => {
  emulator = await startTestEmulator({ shops: [{ domain: SHOP, seed: 7, customers: 30, orders: 40, products: 3 }] });
  gql = await graphqlClient(emulator);
});
afterAll(() => emulator.close());

const INSTALLATION = `query Installation {
  currentAppInstallation { id metafield(namespace: "holiday", key: "deadlines") { namespace key type value jsonValue }
    metafields(first: 10) { nodes { namespace key value } } } }`;
const SET = `mutation Set($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id namespace key type value ownerType compareDigest owner { ... on Customer { id } ... on AppInstallation { id } } }
    userErrors { field message code elementIndex } } }`;
const CUSTOMER = `query Customer($id: ID!) { customer(id: $id) {
  segment: metafield(namespace: "$app", key: "rfm_segment") { value type }
  aliased: metafield(namespace: "app--7734281", key: "rfm_segment") { value }
  metafields(first: 5) { nodes { namespace key value } } } }`;
const DELETE = `mutation Delete($metafields: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $metafields) { deletedMetafields { ownerId namespace key } userErrors { field message } } }`;

const Written = z.object({
  metafieldsSet: z.object({
    metafields: z.array(z.record(z.unknown())),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string().nullable(), elementIndex: z.number().nullable() })),
  }),
});
const DEADLINES = JSON.stringify({ version: 1, occasion: "Christmas", deadlines: [{ shipping: "standard", until: 1765861199 }] });

async function installationId(): Promise<string> {
  const { json } = await gql(`{ currentAppInstallation { id } }`);
  return z.object({ currentAppInstallation: z.object({ id: z.string() }) }).parse(json.data).currentAppInstallation.id;
}
async function set(metafields: unknown[]) {
  const { json } = await gql(SET, { metafields });
  expect(json.errors).toBeUndefined();
  return Written.parse(json.data).metafieldsSet;
}

describe("metafields", () => {
  it("every document here is valid against the Admin schema", () => {
    for (const doc of [INSTALLATION, SET, CUSTOMER, DELETE]) expect(validateAdminDocument(doc)).toEqual([]);
  });

  it("sets the app-data metafield on the installation and reads it back", async () => {
    const owner = await installationId();
    expect(owner).toMatch(/^gid:\/\/shopify\/AppInstallation\/\d+$/);
    expect((await gql(INSTALLATION)).json.data).toEqual({ currentAppInstallation: { id: owner, metafield: null, metafields: { nodes: [] } } });

    const result = await set([{ ownerId: owner, namespace: "holiday", key: "deadlines", type: "json", value: DEADLINES }]);
    expect(result.userErrors).toEqual([]);
    expect(result.metafields).toEqual([
      expect.objectContaining({ namespace: "holiday", key: "deadlines", type: "json", value: DEADLINES, ownerType: "API_PERMISSION", owner: { id: owner } }),
    ]);
    expect((await gql(INSTALLATION)).json.data).toEqual({
      currentAppInstallation: {
        id: owner,
        metafield: { namespace: "holiday", key: "deadlines", type: "json", value: DEADLINES, jsonValue: JSON.parse(DEADLINES) },
        metafields: { nodes: [{ namespace: "holiday", key: "deadlines", value: DEADLINES }] },
      },
    });
  });

  it("sets a customer's $app metafield, read under $app and app--<id>, and deletes it", async () => {
    const customer = emulator.store(SHOP).customer(4).id;
    const result = await set([{ ownerId: customer, namespace: "$app", key: "rfm_segment", type: "single_line_text_field", value: "vip" }]);
    expect(result.userErrors).toEqual([]);
    expect(result.metafields[0]).toMatchObject({ namespace: "$app", ownerType: "CUSTOMER", owner: { id: customer } });
    expect((await gql(CUSTOMER, { id: customer })).json.data).toEqual({
      customer: {
        segment: { value: "vip", type: "single_line_text_field" },
        aliased: { value: "vip" },
        metafields: { nodes: [{ namespace: "$app", key: "rfm_segment", value: "vip" }] },
      },
    });
    const deleted = await gql(DELETE, { metafields: [{ ownerId: customer, namespace: "$app", key: "rfm_segment" }, { ownerId: customer, namespace: "$app", key: "nope" }] });
    expect(deleted.json.data).toEqual({
      metafieldsDelete: { deletedMetafields: [{ ownerId: customer, namespace: "$app", key: "rfm_segment" }, null], userErrors: [] },
    });
    expect((await gql(CUSTOMER, { id: customer })).json.data).toEqual({ customer: { segment: null, aliased: null, metafields: { nodes: [] } } });
  });

  it("answers Shopify's userErrors and writes nothing when one input is bad", async () => {
    const owner = await installationId();
    const customer = emulator.store(SHOP).customer(2).id;
    const good = { ownerId: customer, namespace: "holiday", key: "note", type: "single_line_text_field", value: "kept?" };
    const result = await set([
      good,
      { ownerId: owner, namespace: "holiday", key: "broken", type: "json", value: "{not json" },
      { ownerId: "gid://shopify/Customer/1", namespace: "holiday", key: "x1", type: "json", value: "{}" },
      { ownerId: customer, namespace: "holiday", key: "x2", type: "no_such_type", value: "1" },
      { ownerId: customer, namespace: "ab", key: "x3", type: "single_line_text_field", value: "a" },
      { ownerId: "gid://shopify/AppInstallation/1", namespace: "holiday", key: "x4", type: "json", value: "{}" },
    ]);
    expect(result.metafields).toEqual([]);
    expect(result.userErrors.map((e) => [e.field, e.code, e.elementIndex])).toEqual([
      [["metafields", "1", "value"], "INVALID_VALUE", 1],
      [["metafields", "2", "ownerId"], "INVALID", 2],
      [["metafields", "3", "type"], "INVALID_TYPE", 3],
      [["metafields", "4", "namespace"], "TOO_SHORT", 4],
      [["metafields", "5", "ownerId"], "APP_NOT_AUTHORIZED", 5],
    ]);
    expect(result.userErrors[0]?.message).toMatch(/^Value is invalid JSON/);
    const read = await gql(`query($id: ID!) { customer(id: $id) { metafield(namespace: "holiday", key: "note") { value } } }`, { id: customer });
    expect(read.json.data).toEqual({ customer: { metafield: null } });

    const many = Array.from({ length: 26 }, (_, i) => ({ ...good, key: `k${i}` }));
    expect((await set(many)).userErrors).toEqual([
      { field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null },
    ]);
    expect((await set(many.slice(0, 25))).userErrors).toEqual([]);
  });

  it("compare-and-set: a stale compareDigest is refused, the current one accepted", async () => {
    const customer = emulator.store(SHOP).customer(6).id;
    const first = await set([{ ownerId: customer, namespace: "holiday", key: "cas", type: "single_line_text_field", value: "one", compareDigest: null }]);
    const digest = String(first.metafields[0]?.compareDigest);
    const again = await set([{ ownerId: customer, namespace: "holiday", key: "cas", type: "single_line_text_field", value: "two", compareDigest: null }]);
    expect(again.userErrors.map((e) => e.code)).toEqual(["STALE_OBJECT"]);
    const ok = await set([{ ownerId: customer, namespace: "holiday", key: "cas", type: "single_line_text_field", value: "two", compareDigest: digest }]);
    expect(ok.userErrors).toEqual([]);
    expect(ok.metafields[0]?.value).toBe("two");
  });
});

describe("metafieldsSet in bulkOperationRunMutation", () => {
  it("runs once per JSONL line, each line's result on its own line, and the store keeps the values", async () => {
    const store = emulator.store(SHOP);
    const ids = [10, 11, 12].map((i) => store.customer(i).id);
    const lines = ids.map((id, n) => JSON.stringify({ metafields: [{ ownerId: id, namespace: "$app", key: "rfm_segment", type: "single_line_text_field", value: n === 1 ? "lapsed" : "vip" }] }));
    lines.push(JSON.stringify({ metafields: [{ ownerId: ids[0], namespace: "$app", key: "rfm_segment", type: "json", value: "{" }] }));

    const staged = await gql(`mutation { stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename: "vars", mimeType: "text/jsonl", httpMethod: POST }]) {
      stagedTargets { url parameters { name value } } } }`);
    const target = z.object({ stagedUploadsCreate: z.object({ stagedTargets: z.array(z.object({ url: z.string(), parameters: z.array(z.object({ name: z.string(), value: z.string() })) })) }) })
      .parse(staged.json.data).stagedUploadsCreate.stagedTargets[0];
    if (!target) throw new Error("no staged target");
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    form.append("file", new Blob([`${lines.join("\n")}\n`], { type: "text/jsonl" }), "vars");
    expect((await fetch(target.url, { method: "POST", body: form })).status).toBe(201);
    const key = target.parameters.find((p) => p.name === "key")?.value ?? "";

    const mutation = `mutation Segment($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { metafields { key value } userErrors { field code } } }`;
    const run = await gql(`mutation($m: String!, $p: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $p) { bulkOperation { id } userErrors { message } } }`, { m: mutation, p: key });
    const id = z.object({ bulkOperationRunMutation: z.object({ bulkOperation: z.object({ id: z.string() }) }) }).parse(run.json.data).bulkOperationRunMutation.bulkOperation.id;
    let url = "";
    await expect
      .poll(async () => {
        const op = z.object({ node: z.object({ status: z.string(), url: z.string().nullable() }) }).parse((await gql(`query($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }`, { id })).json.data).node;
        url = op.url ?? "";
        return op.status;
      })
      .toBe("COMPLETED");
    const results = (await (await fetch(url)).text()).trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(results).toEqual([
      { data: { metafieldsSet: { metafields: [{ key: "rfm_segment", value: "vip" }], userErrors: [] } }, __lineNumber: 0 },
      { data: { metafieldsSet: { metafields: [{ key: "rfm_segment", value: "lapsed" }], userErrors: [] } }, __lineNumber: 1 },
      { data: { metafieldsSet: { metafields: [{ key: "rfm_segment", value: "vip" }], userErrors: [] } }, __lineNumber: 2 },
      { data: { metafieldsSet: { metafields: [], userErrors: [{ field: ["metafields", "0", "value"], code: "INVALID_VALUE" }] } }, __lineNumber: 3 },
    ]);
    expect(ids.map((owner) => store.metafields.get(owner, "$app", "rfm_segment")?.value)).toEqual(["vip", "lapsed", "vip"]);
  });
});
