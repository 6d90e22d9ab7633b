import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Emulator } from "./index";
import { graphqlClient, SHOP, startTestEmulator } from "./helpers";

const OTHER = "other-shop.myshopify.com";
const hooks: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.end("ok");
  });
});
let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;
let otherGql: Awaited<ReturnType<typeof graphqlClient>>;

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const address = app.address();
  const port = typeof address === "object" && address ? (address satisfies AddressInfo).port : 0;
  emulator = await startTestEmulator({
    appUrl: `http://127.0.0.1:${port}`,
    webhooks: [{ topics: ["bulk_operations/finish"], uri: "/webhooks/bulk" }],
    shops: [
      { domain: SHOP, seed: 7, customers: 40, orders: 80, products: 4 },
      { domain: OTHER, seed: 8, customers: 5, orders: 5, products: 1 },
    ],
  });
  gql = await graphqlClient(emulator);
  otherGql = await graphqlClient(emulator, OTHER);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});

const STAGE = `mutation Stage($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`;
const RUN = `mutation Run($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) { bulkOperation { id status type } userErrors { field message code } } }`;
const NODE = `query Op($id: ID!) { node(id: $id) { ... on BulkOperation { id status type errorCode objectCount rootObjectCount url query } } }`;
const TAGS_ADD = `mutation Tag($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

const Target = z.object({
  url: z.string(),
  resourceUrl: z.null(),
  parameters: z.array(z.object({ name: z.string(), value: z.string() })),
});
const Staged = z.object({
  stagedUploadsCreate: z.object({ stagedTargets: z.array(Target), userErrors: z.array(z.unknown()) }),
});
const Run = z.object({
  bulkOperationRunMutation: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string(), type: z.string() }).nullable(),
    userErrors: z.array(
      z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string() }),
    ),
  }),
});
const Op = z.object({
  node: z.object({
    id: z.string(),
    status: z.string(),
    type: z.string(),
    errorCode: z.string().nullable(),
    objectCount: z.string(),
    url: z.string().nullable(),
    query: z.string(),
  }),
});

type Client = typeof gql;

async function stage(client: Client = gql): Promise<z.infer<typeof Target>> {
  const { json } = await client(STAGE, {
    input: [
      {
        resource: "BULK_MUTATION_VARIABLES",
        filename: "bulk_op_vars",
        mimeType: "text/jsonl",
        httpMethod: "POST",
      },
    ],
  });
  const target = Staged.parse(json.data).stagedUploadsCreate.stagedTargets[0];
  if (!target) throw new Error("no staged target");
  return target;
}

/** The form as Shopify documents it: every parameter, then `file` last. */
function form(
  target: z.infer<typeof Target>,
  jsonl: string,
  edit?: (name: string, value: string) => string,
): FormData {
  const body = new FormData();
  for (const { name, value } of target.parameters) body.append(name, edit ? edit(name, value) : value);
  body.append("file", new Blob([jsonl], { type: "text/jsonl" }), "bulk_op_vars");
  return body;
}

const keyOf = (target: z.infer<typeof Target>) =>
  target.parameters.find((p) => p.name === "key")?.value ?? "";

async function upload(jsonl: string, client: Client = gql): Promise<string> {
  const target = await stage(client);
  const res = await fetch(target.url, { method: "POST", body: form(target, jsonl) });
  expect(res.status).toBe(201);
  return keyOf(target);
}

async function runMutation(mutation: string, path: string, client: Client = gql) {
  return Run.parse((await client(RUN, { mutation, path })).json.data).bulkOperationRunMutation;
}

async function finished(id: string) {
  for (let i = 0; i < 400; i++) {
    const op = Op.parse((await gql(NODE, { id })).json.data).node;
    if (["COMPLETED", "FAILED", "CANCELED"].includes(op.status)) return op;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("bulk mutation did not finish");
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("staged uploads", () => {
  it("hands out a signed POST target on the emulator's host and accepts the form like GCS", async () => {
    const target = await stage();
    expect(target.url).toBe(`${emulator.url}/shopify-staged-uploads/`);
    expect(target.parameters.map((p) => p.name)).toEqual([
      "key",
      "Content-Type",
      "success_action_status",
      "acl",
      "policy",
      "x-goog-credential",
      "x-goog-algorithm",
      "x-goog-date",
      "x-goog-signature",
    ]);
    expect(keyOf(target)).toMatch(/^tmp\/\d+\/bulk\/[0-9a-f-]{36}\/bulk_op_vars$/);
    const res = await fetch(target.url, { method: "POST", body: form(target, '{"id":"x"}\n') });
    expect(res.status).toBe(201);
    expect(await res.text()).toContain(`<Key>${keyOf(target)}</Key>`);
  });

  it("refuses a tampered form, a form without the file last and other resources", async () => {
    const target = await stage();
    const tampered = await fetch(target.url, {
      method: "POST",
      body: form(target, "{}\n", (n, v) => (n === "key" ? `${v}x` : v)),
    });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("<Code>AccessDenied</Code>");
    const unsigned = await fetch(target.url, {
      method: "POST",
      body: form(target, "{}\n", (n, v) => (n === "x-goog-signature" ? "00" : v)),
    });
    expect(unsigned.status).toBe(403);
    const fileFirst = new FormData();
    fileFirst.append("file", new Blob(["{}\n"]), "bulk_op_vars");
    for (const { name, value } of target.parameters) fileFirst.append(name, value);
    expect((await fetch(target.url, { method: "POST", body: fileFirst })).status).toBe(400);
    const { json } = await gql(STAGE, {
      input: [{ resource: "IMAGE", filename: "a.png", mimeType: "image/png", httpMethod: "POST" }],
    });
    expect(JSON.stringify(json.errors)).toContain("not emulated: stagedUploadsCreate for IMAGE");
  });
});

describe("bulk mutations", () => {
  it("runs the mutation once per line through the real resolvers, with a result line per input line", async () => {
    const store = emulator.store(SHOP);
    const rows = [
      { id: store.customer(1).id, tags: ["bulk-a"] },
      { id: "gid://shopify/Customer/1", tags: ["bulk-a"] },
      { id: store.customer(2).id, tags: "not-a-list-of-strings-but-ok" },
      { id: store.customer(3).id },
    ];
    const started = await runMutation(TAGS_ADD, await upload(jsonl(rows)));
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation).toMatchObject({ status: "CREATED", type: "MUTATION" });
    const op = await finished(started.bulkOperation?.id ?? "");
    expect(op).toMatchObject({ status: "COMPLETED", type: "MUTATION", objectCount: "4", query: TAGS_ADD });
    const lines = (await (await fetch(op.url ?? "")).text())
      .trimEnd()
      .split("\n")
      .map((l): unknown => JSON.parse(l));
    expect(lines).toEqual([
      { data: { tagsAdd: { node: { id: store.customer(1).id }, userErrors: [] } }, __lineNumber: 0 },
      {
        data: { tagsAdd: { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] } },
        __lineNumber: 1,
      },
      { data: { tagsAdd: { node: { id: store.customer(2).id }, userErrors: [] } }, __lineNumber: 2 },
      {
        errors: [
          expect.objectContaining({
            message: "Variable $tags of type [String!]! was provided invalid value",
          }),
        ],
        __lineNumber: 3,
      },
    ]);
    expect(store.customer(1).tags).toContain("bulk-a");
    expect(store.customer(2).tags).toContain("not-a-list-of-strings-but-ok");
    expect(store.customer(3).tags).not.toContain("bulk-a");

    const current = await gql(
      `{ currentBulkOperation(type: MUTATION) { id type } query: currentBulkOperation { type } }`,
    );
    expect(current.json.data).toMatchObject({ currentBulkOperation: { id: op.id, type: "MUTATION" } });
    await expect
      .poll(() => hooks.find((h) => JSON.parse(h.body).admin_graphql_api_id === op.id))
      .toBeDefined();
    const hook = hooks.find((h) => JSON.parse(h.body).admin_graphql_api_id === op.id);
    expect(JSON.parse(hook?.body ?? "{}")).toMatchObject({
      status: "completed",
      type: "mutation",
      error_code: null,
    });
  });

  it("refuses an invalid document, a query and an unknown, foreign or malformed upload as userErrors", async () => {
    const path = await upload(jsonl([{ id: "gid://shopify/Customer/1", tags: ["x"] }]));
    const invalid = await runMutation("mutation { tagsAdd(id: $id) { node { id } } }", path);
    expect(invalid).toMatchObject({
      bulkOperation: null,
      userErrors: [{ field: ["mutation"], code: "INVALID_MUTATION" }],
    });
    const notMutation = await runMutation("query { shop { name } }", path);
    expect(notMutation.userErrors[0]?.code).toBe("INVALID_MUTATION");
    const unknown = await runMutation(
      TAGS_ADD,
      "tmp/1/bulk/00000000-0000-0000-0000-000000000000/bulk_op_vars",
    );
    expect(unknown).toMatchObject({
      bulkOperation: null,
      userErrors: [{ field: ["stagedUploadPath"], code: "NO_SUCH_FILE" }],
    });
    expect((await runMutation(TAGS_ADD, path, otherGql)).userErrors[0]?.code).toBe("NO_SUCH_FILE");
    const staged = await stage();
    expect((await runMutation(TAGS_ADD, keyOf(staged))).userErrors[0]?.code).toBe("NO_SUCH_FILE"); // staged, never uploaded
    const malformed = await runMutation(TAGS_ADD, await upload('{"id": "a"}\nnot json\n'));
    expect(malformed).toMatchObject({
      bulkOperation: null,
      userErrors: [
        { code: "INVALID_STAGED_UPLOAD_FILE", message: "Unexpected file structure - expected JSONL" },
      ],
    });
  });

  it("runs at most five bulk mutations per shop at once (API 2026-01 and later), beside the queries", async () => {
    emulator.holdBulkOperations(SHOP, true);
    const path = await upload(jsonl([{ id: emulator.store(SHOP).customer(4).id, tags: ["limit"] }]));
    const ids: string[] = [];
    const runQuery = async () => {
      const { json } = await gql(
        `mutation { bulkOperationRunQuery(query: "{ customers { edges { node { id } } } }") { bulkOperation { id } userErrors { code } } }`,
      );
      return z
        .object({
          bulkOperationRunQuery: z.object({
            bulkOperation: z.object({ id: z.string() }).nullable(),
            userErrors: z.array(z.object({ code: z.string() })),
          }),
        })
        .parse(json.data).bulkOperationRunQuery;
    };
    try {
      for (let i = 0; i < 5; i++) {
        const started = await runMutation(TAGS_ADD, path);
        expect(started.userErrors).toEqual([]);
        ids.push(started.bulkOperation?.id ?? "");
      }
      const sixth = await runMutation(TAGS_ADD, path);
      expect(sixth).toMatchObject({ bulkOperation: null, userErrors: [{ code: "LIMIT_REACHED" }] });
      // queries have their own five; another shop its own limits
      const query = await runQuery();
      expect(query.userErrors).toEqual([]);
      ids.push(query.bulkOperation?.id ?? "");
      const other = await runMutation(
        TAGS_ADD,
        await upload(jsonl([{ id: "gid://shopify/Customer/1", tags: ["x"] }]), otherGql),
        otherGql,
      );
      expect(other.userErrors).toEqual([]);
    } finally {
      emulator.holdBulkOperations(SHOP, false);
    }
    for (const id of ids) expect((await finished(id)).status).toBe("COMPLETED");
    expect((await runMutation(TAGS_ADD, path)).userErrors).toEqual([]);
  });

  it("fails the next operation on request, keeping what ran as partial data", async () => {
    emulator.failNextBulkOperation(SHOP);
    const store = emulator.store(SHOP);
    const started = await runMutation(
      TAGS_ADD,
      await upload(
        jsonl([
          { id: store.customer(5).id, tags: ["f"] },
          { id: store.customer(6).id, tags: ["f"] },
        ]),
      ),
    );
    const op = await finished(started.bulkOperation?.id ?? "");
    expect(op).toMatchObject({
      status: "FAILED",
      errorCode: "INTERNAL_SERVER_ERROR",
      url: null,
      objectCount: "1",
    });
    expect(store.customer(6).tags).not.toContain("f");
  });
});
