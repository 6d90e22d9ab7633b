import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDERS_BULK_QUERY } from "~/sync/backfill/documents";
import { parseOrderLine } from "~/sync/backfill/parse-lines";
import { API_SECRET, graphqlClient, SHOP, startTestEmulator } from "./helpers";
import { signWebhookBody, type Emulator, type GeneratedStore } from "./index";

// A shopper places an order on the running emulator (POST /emulator/orders or placeOrder): a signed
// orders/create goes to the app, and the order is in every query the app makes, paged and bulk.

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
const hooks = (topic: string) => received.filter((r) => r.headers["x-shopify-topic"] === topic);
const NOW = new Date("2026-11-20T12:00:00Z");
const LANDING = "/products/scarf?utm_source=holiday-segments&utm_medium=email&utm_campaign=bf";
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

let emulator: Emulator;
let gql: Awaited<ReturnType<typeof graphqlClient>>;
let store: GeneratedStore;
let placed: { id: string; legacyResourceId: string; name: string; index: number };
const CUSTOMER = 3;

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const address = app.address();
  const port = typeof address === "object" && address ? (address satisfies AddressInfo).port : 0;
  emulator = await startTestEmulator({
    appUrl: `http://127.0.0.1:${port}`,
    webhooks: [{ topics: ["orders/create", "orders/updated", "orders/cancelled"], uri: "/webhooks/orders" }],
    now: () => NOW,
  });
  gql = await graphqlClient(emulator);
  emulator.setThrottle(SHOP, { enabled: false });
  store = emulator.store(SHOP);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});

const post = (body: unknown) =>
  fetch(`${emulator.url}/emulator/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("an order placed on the running emulator", () => {
  it("POST /emulator/orders places it and answers its id and name; orders/create arrives signed", async () => {
    const spentBefore = store.customer(CUSTOMER)._amountSpentMinor;
    const res = await post({
      shop: SHOP,
      customerIndex: CUSTOMER,
      lines: [{ productIndex: 1, variantIndex: 0, quantity: 2 }],
      landingSite: LANDING,
      discountCodes: ["WELCOME10"],
    });
    expect(res.status).toBe(201);
    placed = await res.json();
    const order = store.order(placed.index);
    expect(placed).toEqual({
      id: order.id,
      legacyResourceId: order.legacyResourceId,
      name: order.name,
      index: store.generatedOrderCount,
    });
    expect(order.createdAt).toBe(NOW.toISOString());
    expect(store.customer(CUSTOMER)._amountSpentMinor).toBe(spentBefore + order._totalMinor);

    await expect.poll(() => hooks("orders/create").length).toBe(1);
    const create = hooks("orders/create")[0];
    expect(create?.headers["x-shopify-hmac-sha256"]).toBe(signWebhookBody(create?.body ?? "", API_SECRET));
    expect(create?.headers["x-shopify-shop-domain"]).toBe(SHOP);
    expect(JSON.parse(create?.body ?? "{}")).toMatchObject({
      id: Number(placed.legacyResourceId),
      name: placed.name,
      landing_site: `https://test-shop.example${LANDING}`,
      discount_codes: [{ code: "WELCOME10" }],
      customer: { id: store.customerLegacyId(CUSTOMER) },
    });
  });

  it("refuses what it cannot place: an unknown shop, variant or customer, a malformed body", async () => {
    const lines = [{ productIndex: 1, variantIndex: 0, quantity: 1 }];
    for (const body of [
      { shop: "nope.myshopify.com", customerIndex: null, lines },
      { shop: SHOP, customerIndex: null, lines: [{ productIndex: 999, variantIndex: 0, quantity: 1 }] },
      { shop: SHOP, customerIndex: 10_000, lines },
      { shop: SHOP, customerIndex: null, lines: [] },
    ])
      expect((await post(body)).status).toBe(400);
    expect(store.orderCount).toBe(store.generatedOrderCount + 1);
  });

  it("is in the orders connection, its filters and counts, node lookup, and its customer's aggregates", async () => {
    const customerId = store.customer(CUSTOMER).id;
    const { json } = await gql(
      `#graphql
      query Live($created: String!, $updated: String!, $mine: String!, $order: ID!, $customer: ID!) {
        created: orders(first: 10, query: $created) { nodes { id name createdAt landingPageUrl discountCodes
          customer { id } currentTotalPriceSet { shopMoney { amount currencyCode } }
          customerJourneySummary { customerOrderIndex firstVisit { landingPage source occurredAt utmParameters { source medium campaign } } }
          lineItems(first: 5) { nodes { quantity variant { id } } } } }
        createdCount: ordersCount(query: $created) { count }
        updated: orders(first: 10, query: $updated) { nodes { id } }
        mine: orders(first: 250, query: $mine) { nodes { id } }
        last: orders(last: 1) { nodes { id } }
        order(id: $order) { name }
        customer(id: $customer) { numberOfOrders amountSpent { amount } lastOrder { id } orders(first: 250) { nodes { id } } }
      }`,
      {
        created: `created_at:>=${NOW.toISOString()}`,
        updated: `updated_at:>'2026-11-19T00:00:00Z'`,
        mine: `customer_id:${store.customerLegacyId(CUSTOMER)}`,
        order: placed.id,
        customer: customerId,
      },
    );
    expect(json.errors).toBeUndefined();
    const order = store.order(placed.index);
    const customer = store.customer(CUSTOMER);
    const url = `https://test-shop.example${LANDING}`;
    expect(json.data).toEqual({
      created: {
        nodes: [
          {
            id: placed.id,
            name: placed.name,
            createdAt: NOW.toISOString(),
            landingPageUrl: url,
            discountCodes: ["WELCOME10"],
            customer: { id: customerId },
            currentTotalPriceSet: { shopMoney: order.currentTotalPriceSet.shopMoney },
            customerJourneySummary: {
              customerOrderIndex: Number(customer.numberOfOrders),
              firstVisit: {
                landingPage: url,
                source: "holiday-segments",
                occurredAt: new Date(NOW.getTime() - 15 * 60_000).toISOString(),
                utmParameters: { source: "holiday-segments", medium: "email", campaign: "bf" },
              },
            },
            lineItems: { nodes: [{ quantity: 2, variant: { id: store.products[1]?.variants[0]?.id } }] },
          },
        ],
      },
      createdCount: { count: 1 },
      updated: { nodes: [{ id: placed.id }] },
      mine: { nodes: store.ordersOf(CUSTOMER).map((j) => ({ id: store.order(j).id })) },
      last: { nodes: [{ id: placed.id }] },
      order: { name: placed.name },
      customer: {
        numberOfOrders: customer.numberOfOrders,
        amountSpent: { amount: customer.amountSpent.amount },
        lastOrder: { id: placed.id },
        orders: { nodes: store.ordersOf(CUSTOMER).map((j) => ({ id: store.order(j).id })) },
      },
    });
    expect(store.ordersOf(CUSTOMER).at(-1)).toBe(placed.index);
  });

  it("is in the backfill's bulk export, and the app reads its landing page and UTM back", async () => {
    const RUN = `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`;
    const started = await gql(RUN, { q: ORDERS_BULK_QUERY });
    const id =
      /"id":"(gid:\/\/shopify\/BulkOperation\/\d+)"/.exec(JSON.stringify(started.json.data))?.[1] ?? "";
    let url = "";
    await expect
      .poll(async () => {
        const polled = await gql(`query($id: ID!) { bulkOperation(id: $id) { status url } }`, { id });
        const op =
          isRecord(polled.json.data) && isRecord(polled.json.data.bulkOperation)
            ? polled.json.data.bulkOperation
            : {};
        url = str(op.url);
        return op.status;
      })
      .toBe("COMPLETED");
    const lines = (await (await fetch(url)).text()).trimEnd().split("\n");
    const roots = lines.filter((l) => !l.includes('"__parentId"'));
    expect(roots.length).toBe(store.orderCount);
    const line = roots.find((l) => l.includes(placed.id)) ?? "";
    const parsed = parseOrderLine(line, 1, store.currencyCode);
    if (parsed.kind !== "row") throw new Error(JSON.stringify(parsed));
    expect(parsed.row).toMatchObject({
      id: BigInt(placed.legacyResourceId),
      customerId: BigInt(store.customerLegacyId(CUSTOMER)),
      landingPage: `https://test-shop.example${LANDING}`,
      utmSource: "holiday-segments",
      utmMedium: "email",
      utmCampaign: "bf",
      discountCodes: ["WELCOME10"],
      totalMinor: BigInt(store.order(placed.index)._totalMinor),
    });
  });

  it("refunds send orders/updated; cancelling sends orders/cancelled and orders/updated", async () => {
    emulator.refundOrder(SHOP, placed.index, 100);
    await expect.poll(() => hooks("orders/updated").length).toBe(1);
    expect(JSON.parse(hooks("orders/updated")[0]?.body ?? "{}")).toMatchObject({
      financial_status: "partially_refunded",
    });
    emulator.cancelOrder(SHOP, placed.index, undefined, "CUSTOMER");
    await expect
      .poll(() => [hooks("orders/cancelled").length, hooks("orders/updated").length])
      .toEqual([1, 2]);
    expect(JSON.parse(hooks("orders/cancelled")[0]?.body ?? "{}")).toMatchObject({
      id: Number(placed.legacyResourceId),
      cancelled_at: NOW.toISOString(),
      cancel_reason: "customer",
      financial_status: "refunded",
    });
  });
});
