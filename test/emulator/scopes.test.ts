import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHOP, startTestEmulator } from "./helpers";
import type { Emulator } from "./index";

// Custom-app tokens with their own scopes: what a shop's admin hands a merchant's script.

describe("emulator: access scopes of custom-app tokens", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  const call = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const r = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "X-Shopify-Emulator-Shop": SHOP },
      body: JSON.stringify({ query, variables }),
    });
    return { status: r.status, json: (await r.json()) as { data?: Record<string, unknown>; errors?: unknown } };
  };

  it("lists the token's scopes and denies a root field outside them, as Shopify words it", async () => {
    const token = emulator.issueCustomAppToken(SHOP, ["read_customers"]);
    const scopes = await call(token, "{ currentAppInstallation { accessScopes { handle } } }");
    expect(scopes.json.data).toEqual({ currentAppInstallation: { accessScopes: [{ handle: "read_customers" }] } });
    const denied = await call(token, "{ customers(first: 1) { nodes { id } } orders(first: 1) { nodes { id } } }");
    expect(denied.status).toBe(200);
    expect(denied.json.errors).toEqual([
      expect.objectContaining({
        message: "Access denied for orders field. Required access: `read_orders` access scope.",
        path: ["orders"],
        extensions: expect.objectContaining({ code: "ACCESS_DENIED", requiredAccess: "`read_orders` access scope." }),
      }),
    ]);
    // orders is non-null in the schema: the error takes the whole data with it
    expect(denied.json.data).toBeNull();
    const allowed = await call(token, "{ customers(first: 1) { nodes { id } } }");
    expect(allowed.json).toEqual({ data: { customers: { nodes: [{ id: expect.stringMatching(/^gid:\/\/shopify\/Customer\//) }] } }, extensions: expect.anything() });
    expect((await call("shpat_not_issued", "{ shop { name } }")).status).toBe(401);
  });

  it("fails a bulk query over data the token may not read with ACCESS_DENIED", async () => {
    const token = emulator.issueCustomAppToken(SHOP, ["read_customers"]);
    const run = await call(token, "mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", {
      q: "{ orders { edges { node { id } } } }",
    });
    const id = (run.json.data as { bulkOperationRunQuery: { bulkOperation: { id: string } } }).bulkOperationRunQuery.bulkOperation.id;
    let op: { status: string; errorCode: string | null } = { status: "CREATED", errorCode: null };
    for (let i = 0; i < 50 && (op.status === "CREATED" || op.status === "RUNNING"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const read = await call(token, "query($id: ID!) { bulkOperation(id: $id) { status errorCode } }", { id });
      op = (read.json.data as { bulkOperation: typeof op }).bulkOperation;
    }
    expect(op).toEqual({ status: "FAILED", errorCode: "ACCESS_DENIED" });
  });
});
