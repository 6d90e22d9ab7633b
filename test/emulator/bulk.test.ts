import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "./index";
import { signWebhookBody, summarizeStore } from "./index";
import { API_SECRET, graphqlClient, SHOP, startTestEmulator } from "./helpers";
import { ORDERS_BULK_QUERY, PRODUCTS_BULK_QUERY } from "../../app/sync/backfill/documents";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}
const received: Received[] = [];
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.end("ok");
  });
});
let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const address = app.address();
  const port = typeof address === "object" && address ? (address satisfies AddressInfo).port : 0;
  emulator = await startTestEmulator({
    appUrl: `http://127.0.0.1:${port}`,
    webhooks: [
      { topics: ["bulk_operations/finish"], uri: "/webhooks/bulk" },
      { topics: ["customers/update"], uri: "/webhooks/customers" },
      { topics: ["products/update"], uri: "/webhooks/products" },
    ],
  });
  gql = await graphqlClient(emulator);
  emulator.setThrottle(SHOP, { enabled: false });
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});

const RUN = `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount url partialDataUrl } }`;
const str = (v: unknown): string => (typeof v === "string" ? v : "");

async function runBulk(q: string): Promise<Record<string, unknown>> {
  const { json } = await gql(RUN, { q });
  const started: { bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: unknown[] } } = JSON.parse(JSON.stringify(json.data));
  expect(started.bulkOperationRunQuery.userErrors).toEqual([]);
  const id = started.bulkOperationRunQuery.bulkOperation?.id ?? "";
  for (let i = 0; i < 200; i++) {
    const polled: { bulkOperation: Record<string, unknown> } = JSON.parse(JSON.stringify((await gql(POLL, { id })).json.data));
    if (["COMPLETED", "FAILED", "CANCELED"].includes(str(polled.bulkOperation.status))) return polled.bulkOperation;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("bulk operation did not finish");
}

describe("bulk operations", () => {
  it("runs end to end: JSONL with children after parents, counts equal the truth, signed finish webhook", async () => {
    const op = await runBulk(`{ customers { edges { node { id email orders { edges { node { id currentTotalPriceSet { shopMoney { amount } } } } } } } } }`);
    expect(op.status).toBe("COMPLETED");
    const text = await (await fetch(str(op.url))).text();
    const lines = text.trimEnd().split("\n").map((l): Record<string, unknown> => JSON.parse(l));
    const store = emulator.store(SHOP);
    const customers = lines.filter((l) => l.__parentId === undefined);
    const orders = lines.filter((l) => l.__parentId !== undefined);
    expect(customers.map((c) => c.id)).toEqual([...store.customers].map((c) => c.id));
    expect(orders.length).toBe(store.customerCount === 0 ? 0 : summarizeStore(store).orders - summarizeStore(store).guestOrders);
    const seen = new Set<unknown>();
    for (const line of lines) {
      if (line.__parentId === undefined) seen.add(line.id);
      else expect(seen.has(line.__parentId)).toBe(true);
    }
    expect(op.objectCount).toBe(String(lines.length));
    expect(op.rootObjectCount).toBe(String(customers.length));

    await expect.poll(() => received.find((r) => r.headers["x-shopify-topic"] === "bulk_operations/finish")).toBeDefined();
    const hook = received.find((r) => r.headers["x-shopify-topic"] === "bulk_operations/finish");
    expect(hook?.headers["x-shopify-hmac-sha256"]).toBe(signWebhookBody(hook?.body ?? "", API_SECRET));
    expect(JSON.parse(hook?.body ?? "{}")).toMatchObject({ admin_graphql_api_id: op.id, status: "completed", error_code: null, type: "query" });
  });

  it("refuses invalid bulk queries as userErrors", async () => {
    const cases = [
      "{ shop { name } }",
      "{ customers { edges { node { id foo } } } }",
      "{ customers { edges { node { orders { edges { node { lineItems { edges { node { id } } } } } } } } } }",
    ];
    for (const q of cases) {
      const { json } = await gql(RUN, { q });
      const data: { bulkOperationRunQuery: { bulkOperation: unknown; userErrors: { code: string }[] } } = JSON.parse(JSON.stringify(json.data));
      expect(data.bulkOperationRunQuery.bulkOperation).toBeNull();
      expect(data.bulkOperationRunQuery.userErrors[0]?.code).toBe("INVALID");
    }
  });

  it("fails the next operation on request, with INTERNAL_SERVER_ERROR", async () => {
    emulator.failNextBulkOperation(SHOP);
    const op = await runBulk("{ orders { nodes { id } } }");
    expect(op).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR", url: null });
  });

  it("fires customers/update after a tag change", async () => {
    const store = emulator.store(SHOP);
    const id = store.customer(5).id;
    const { json } = await gql(`mutation { tagsAdd(id: "${id}", tags: ["vip"]) { node { id } userErrors { message } } }`);
    expect(json.errors).toBeUndefined();
    expect(store.customer(5).tags).toContain("vip");
    await expect.poll(() => received.some((r) => r.headers["x-shopify-topic"] === "customers/update" && JSON.stringify(JSON.parse(r.body).tags).includes("vip"))).toBe(true);
  });

  it("serves the app's products query: variants after their product, stock, prices and images as generated", async () => {
    const op = await runBulk(PRODUCTS_BULK_QUERY);
    expect(op.status).toBe("COMPLETED");
    const lines = (await (await fetch(str(op.url))).text()).trimEnd().split("\n").map((l): Record<string, unknown> => JSON.parse(l));
    const store = emulator.store(SHOP);
    const products = lines.filter((l) => l.__parentId === undefined);
    expect(products.map((p) => p.id)).toEqual(store.products.map((p) => p.id));
    expect(op.rootObjectCount).toBe(String(store.products.length));
    let parent: unknown;
    for (const line of lines) {
      if (line.__parentId === undefined) parent = line.id;
      else expect(line.__parentId).toBe(parent); // the emulator writes children right after their parent
    }
    for (const [k, record] of store.products.entries()) {
      const variants = lines.filter((l) => l.__parentId === record.id);
      expect(variants.map((v) => v.availableForSale)).toEqual(record.variants.map((v) => v.availableForSale));
      expect(products[k]).toMatchObject({
        status: record.status,
        publishedAt: record.publishedAt,
        tracksInventory: true,
        featuredMedia: record._imageUrl ? { preview: { image: { url: record._imageUrl } } } : null,
      });
    }
  });

  it("serves the app's orders query: line items naming their products", async () => {
    const op = await runBulk(ORDERS_BULK_QUERY);
    const lines = (await (await fetch(str(op.url))).text()).trimEnd().split("\n").map((l): Record<string, unknown> => JSON.parse(l));
    const store = emulator.store(SHOP);
    const items = lines.filter((l) => l.__parentId !== undefined);
    expect(items.length).toBe([...store.orders].reduce((n, o) => n + o.lineItems.length, 0));
    const first = store.order(0);
    expect(items.filter((l) => l.__parentId === first.id).map((l) => l.product)).toEqual(
      first.lineItems.map((li) => ({ id: store.products[li._productIndex]?.id })),
    );
  });

  it("fires a signed products/update when a product changes", async () => {
    const record = emulator.updateProduct(SHOP, 2, { inventoryQuantity: 0 });
    expect(record.variants.every((v) => !v.availableForSale && v.inventoryQuantity === 0)).toBe(true);
    await expect.poll(() => received.find((r) => r.headers["x-shopify-topic"] === "products/update")).toBeDefined();
    const hook = received.find((r) => r.headers["x-shopify-topic"] === "products/update");
    expect(hook?.headers["x-shopify-hmac-sha256"]).toBe(signWebhookBody(hook?.body ?? "", API_SECRET));
    const body: { id: number; updated_at: string; variants: Array<{ inventory_quantity: number }> } = JSON.parse(hook?.body ?? "{}");
    expect(body.id).toBe(Number(record.legacyResourceId));
    expect(body.updated_at).toBe(record.updatedAt);
    expect(body.variants.every((v) => v.inventory_quantity === 0)).toBe(true);
  });
});
