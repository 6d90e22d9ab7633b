import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { schemaForWebhook } from "shopify-webhook-schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckoutsFile } from "~/flows/cli/checkouts-file";
import { SEGMENT_CHANGED_MUTATION, segmentChangedTrigger } from "~/segments/flow-trigger";
import { checkoutRowFromPayload } from "~/sync/webhooks/checkout-payloads";
import { examplePayload, nearestExampleVersion } from "../support/example-payloads";
import { API_SECRET, graphqlClient, SHOP, startTestEmulator } from "./helpers";
import {
  checkoutPayload,
  generateStore,
  parseMinor,
  signWebhookBody,
  TEST_HISTORY_END,
  type CheckoutRecord,
  type Emulator,
  type GeneratedStore,
} from "./index";

// The emulator's checkouts: generated with the store (one completed into each order, a share
// abandoned), served as Admin GraphQL AbandonedCheckouts (paged and bulk), sent as signed
// checkouts/* webhooks in Shopify's documented shape; and flowTriggerReceive, recorded.

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

describe("generated checkouts", () => {
  const store = generateStore({
    domain: "checkouts.myshopify.com",
    seed: 5,
    customers: 400,
    products: 20,
    until: TEST_HISTORY_END,
  });
  const all = [...store.checkouts];

  it("one is completed into each order, with its cart, a few minutes before it was placed", () => {
    for (const order of store.orders) {
      const checkout = store.checkout(order._index);
      expect(checkout.completedAt).toBe(order.createdAt);
      expect(checkout._orderIndex).toBe(order._index);
      expect(checkout._customerIndex).toBe(order._customerIndex);
      expect(Date.parse(order.createdAt) - Date.parse(checkout.createdAt)).toBeLessThanOrEqual(46 * 60_000);
      expect(Date.parse(checkout.createdAt)).toBeGreaterThanOrEqual(store.startMs);
      expect(checkout.lineItems.map((li) => [li._productIndex, li._variantIndex, li.quantity])).toEqual(
        order.lineItems.map((li) => [li._productIndex, li._variantIndex, li.quantity]),
      );
    }
  });

  it("a fifth are abandoned: not completed, by a customer who existed by then or a guest, always with an email", () => {
    const abandoned = all.filter((k) => k._orderIndex === null);
    expect(abandoned.length / all.length).toBeCloseTo(0.2, 2);
    expect(store.abandonedCheckoutIndices().map((k) => store.checkout(k).id)).toEqual(
      abandoned.map((k) => k.id),
    );
    for (const k of abandoned) {
      expect(k.completedAt).toBeNull();
      expect(k._email).toMatch(/@/);
      expect(Date.parse(k.updatedAt)).toBeGreaterThanOrEqual(Date.parse(k.createdAt));
      expect(Date.parse(k.updatedAt)).toBeLessThanOrEqual(store.untilMs);
      if (k._customerIndex !== null)
        expect(store.customerCreatedMs(k._customerIndex)).toBeLessThanOrEqual(Date.parse(k.createdAt));
    }
    expect(abandoned.some((k) => k._customerIndex === null)).toBe(true);
    expect(abandoned.some((k) => k._customerIndex !== null)).toBe(true);
  });

  it("each has its own token in its recovery URL, and a cart of catalogue variants adding up to its total", () => {
    expect(new Set(all.map((k) => k._token)).size).toBe(all.length);
    for (const k of all) {
      expect(k._token).toMatch(/^[0-9a-f]{32}$/);
      expect(k.abandonedCheckoutUrl).toContain(`/checkouts/${k._token}/recover?key=`);
      expect(k.lineItems.length).toBeGreaterThan(0);
      for (const li of k.lineItems) {
        const variant = store.products[li._productIndex]?.variants[li._variantIndex];
        expect(li._variantLegacyId).toBe(Number(variant?.legacyResourceId));
      }
      expect(parseMinor(k.totalPriceSet.shopMoney.amount)).toBe(
        k.lineItems.reduce((s, li) => s + li._unitMinor * li.quantity, 0),
      );
    }
  });

  it("property: any seed gives the same checkouts again, each built on its own", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(0, 0.2, 0.5),
        (seed, customers, share) => {
          const a = generateStore({
            domain: "p.myshopify.com",
            seed,
            customers,
            products: 6,
            until: TEST_HISTORY_END,
            abandonedCheckoutShare: share,
          });
          const b = generateStore({
            domain: "p.myshopify.com",
            seed,
            customers,
            products: 6,
            until: TEST_HISTORY_END,
            abandonedCheckoutShare: share,
          });
          expect(a.checkoutCount).toBe(a.orderCount + Math.round((a.orderCount * share) / (1 - share)));
          const backwards = [...Array(b.checkoutCount).keys()]
            .reverse()
            .map((k) => b.checkout(k))
            .reverse();
          expect(JSON.stringify([...a.checkouts])).toBe(JSON.stringify(backwards));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe(`checkouts/* payloads in Shopify's shape (${nearestExampleVersion()})`, () => {
  interface Schema {
    type?: string | string[];
    properties?: Record<string, Schema>;
    required?: string[];
    items?: Schema;
  }
  const jsonType = (v: unknown): string =>
    v === null
      ? "null"
      : Array.isArray(v)
        ? "array"
        : Number.isInteger(v)
          ? "integer"
          : typeof v === "number"
            ? "number"
            : typeof v;
  // null is taken where the example allows it: Shopify's own example has null there
  function problems(value: unknown, schema: Schema, example: unknown, path: string): string[] {
    const types = schema.type === undefined ? [] : [schema.type].flat();
    const type = jsonType(value);
    if (!(
      types.length === 0 ||
      types.includes(type) ||
      (type === "integer" && types.includes("number")) ||
      (value === null && example === null)
    ))
      return [`${path}: ${type}, schema says ${types.join("|")}`];
    if (isRecord(value) && schema.properties) {
      const out = (schema.required ?? [])
        .filter((key) => !(key in value))
        .map((key) => `${path}.${key}: missing`);
      for (const [key, sub] of Object.entries(schema.properties))
        if (key in value)
          out.push(
            ...problems(value[key], sub, isRecord(example) ? example[key] : undefined, `${path}.${key}`),
          );
      return out;
    }
    if (Array.isArray(value) && schema.items) {
      const sample = Array.isArray(example) ? example[0] : undefined;
      return value.flatMap((item, i) => problems(item, schema.items ?? {}, sample, `${path}[${i}]`));
    }
    return [];
  }
  const store = generateStore({
    domain: "payloads.myshopify.com",
    seed: 3,
    customers: 60,
    products: 12,
    until: TEST_HISTORY_END,
  });
  const customerOf = (k: CheckoutRecord) =>
    k._customerIndex === null ? null : store.customer(k._customerIndex);

  it.each(["checkouts/create", "checkouts/update"])("%s", (topic) => {
    const schema: Schema = schemaForWebhook(nearestExampleVersion(), topic);
    const example = examplePayload(topic);
    // Where the generated data has none: a guest's checkout has no customer, a checkout left before
    // the address step has no address (AbandonedCheckout.billingAddress: "Null if the user didn't
    // provide"), a customer may have no email or phone, and a country without provinces has none.
    const documented = (key: string) => (isRecord(example[key]) ? example[key] : {});
    const noProvince = (key: string) => ({ ...documented(key), province: null, province_code: null });
    const lenient = {
      ...example,
      customer: { ...documented("customer"), email: null, phone: null, default_address: null },
      billing_address: noProvince("billing_address"),
      shipping_address: noProvince("shipping_address"),
    };
    for (const k of store.checkouts) {
      const payload = checkoutPayload(k, customerOf(k));
      const allowed = {
        ...lenient,
        ...(k._customerIndex === null ? { customer: null } : {}),
        ...(payload.billing_address === null ? { billing_address: null, shipping_address: null } : {}),
      };
      expect(problems(payload, schema, allowed, "checkout"), k.id).toEqual([]);
    }
  });

  it("the app reads each back as generated: token, contact, recovery URL and every line's product and variant", () => {
    for (const k of store.checkouts) {
      const row = checkoutRowFromPayload("checkouts/update", checkoutPayload(k, customerOf(k)));
      expect(row).toMatchObject({
        id: BigInt(k.legacyResourceId),
        token: k._token,
        customerId: k._customerIndex === null ? null : BigInt(store.customerLegacyId(k._customerIndex)),
        email: k._email,
        recoveryUrl: k.abandonedCheckoutUrl,
        totalMinor: BigInt(k._totalMinor),
        completedAt: k.completedAt ? new Date(k.completedAt) : null,
      });
      expect(row.lineItems).toEqual(
        k.lineItems.map((li) => ({
          productId: BigInt(li._productLegacyId),
          variantId: BigInt(li._variantLegacyId),
          quantity: li.quantity,
          title: li.title,
          variantTitle: li.variantTitle,
          priceMinor: BigInt(li._unitMinor),
        })),
      );
    }
  });
});

describe("checkouts and Shopify Flow through the emulator", () => {
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
  let store: GeneratedStore;
  const hooks = (topic: string) => received.filter((r) => r.headers["x-shopify-topic"] === topic);

  beforeAll(async () => {
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const address = app.address();
    const port = typeof address === "object" && address ? (address satisfies AddressInfo).port : 0;
    emulator = await startTestEmulator({
      appUrl: `http://127.0.0.1:${port}`,
      webhooks: [
        { topics: ["checkouts/create", "checkouts/update"], uri: "/webhooks/checkouts" },
        { topics: ["bulk_operations/finish"], uri: "/webhooks/bulk" },
      ],
      now: () => new Date("2026-11-28T12:00:00Z"),
    });
    gql = await graphqlClient(emulator);
    emulator.setThrottle(SHOP, { enabled: false });
    store = emulator.store(SHOP);
  });
  afterAll(async () => {
    await emulator.close();
    await new Promise((resolve) => app.close(resolve));
  });

  it("lists the abandoned checkouts, page by page, with their cart", async () => {
    const abandoned = store.abandonedCheckoutIndices().map((k) => store.checkout(k));
    const { json } = await gql(
      `#graphql
      query Abandoned($after: String) {
        abandonedCheckoutsCount { count }
        abandonedCheckouts(first: 5, after: $after) {
          nodes { id abandonedCheckoutUrl completedAt customer { id } totalPriceSet { shopMoney { amount } }
            lineItems(first: 10) { nodes { quantity title variant { id } product { id } } } }
          pageInfo { hasNextPage }
        }
      }`,
    );
    expect(json.errors).toBeUndefined();
    expect(json.data).toMatchObject({
      abandonedCheckoutsCount: { count: abandoned.length },
      abandonedCheckouts: { pageInfo: { hasNextPage: true } },
    });
    const first = abandoned[0];
    const data =
      isRecord(json.data) &&
      isRecord(json.data.abandonedCheckouts) &&
      Array.isArray(json.data.abandonedCheckouts.nodes)
        ? json.data.abandonedCheckouts.nodes
        : [];
    expect(data[0]).toEqual({
      id: first?.id,
      abandonedCheckoutUrl: first?.abandonedCheckoutUrl,
      completedAt: null,
      customer:
        first?._customerIndex === null || first === undefined
          ? null
          : { id: store.customer(first._customerIndex).id },
      totalPriceSet: { shopMoney: { amount: first?.totalPriceSet.shopMoney.amount } },
      lineItems: {
        nodes: first?.lineItems.map((li) => ({
          quantity: li.quantity,
          title: li.title,
          variant: { id: store.products[li._productIndex]?.variants[li._variantIndex]?.id },
          product: { id: store.products[li._productIndex]?.id },
        })),
      },
    });
  });

  it("exports them in bulk: line items as child lines, which the flows command line reads back", async () => {
    const RUN = `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`;
    const query = `{ abandonedCheckouts { edges { node { id createdAt updatedAt completedAt customer { id } abandonedCheckoutUrl
      totalPriceSet { shopMoney { amount currencyCode } }
      lineItems { edges { node { id quantity title variantTitle product { id } variant { id } originalUnitPriceSet { shopMoney { amount currencyCode } } } } } } } } }`;
    const started = await gql(RUN, { q: query });
    expect(JSON.stringify(started.json.data)).toContain('"userErrors":[]');
    await expect.poll(() => hooks("bulk_operations/finish").length).toBe(1);
    const finished: { admin_graphql_api_id: string } = JSON.parse(
      hooks("bulk_operations/finish")[0]?.body ?? "{}",
    );
    const polled = await gql(`query($id: ID!) { bulkOperation(id: $id) { url } }`, {
      id: finished.admin_graphql_api_id,
    });
    const url = JSON.stringify(polled.json.data).match(/"url":"([^"]+)"/)?.[1] ?? "";
    const text = await (await fetch(url)).text();
    const file = await readCheckoutsFile(text.trimEnd().split("\n"));
    expect(file.errors).toEqual([]);
    const abandoned = store.abandonedCheckoutIndices().map((k) => store.checkout(k));
    expect(
      file.checkouts.map((c) => [
        c.id,
        c.customerId,
        c.recoveryUrl,
        c.totalMinor,
        c.lineItems.map((li) => [li.variantId, li.quantity, li.priceMinor]),
      ]),
    ).toEqual(
      abandoned.map((k) => [
        BigInt(k.legacyResourceId),
        k._customerIndex === null ? null : BigInt(store.customerLegacyId(k._customerIndex)),
        k.abandonedCheckoutUrl,
        BigInt(k._totalMinor),
        k.lineItems.map((li) => [BigInt(li._variantLegacyId), li.quantity, BigInt(li._unitMinor)]),
      ]),
    );
  });

  it("a shopper's live checkout sends signed checkouts/create, then checkouts/update on each change", async () => {
    const started = emulator.startCheckout(SHOP, {
      customerIndex: 3,
      lines: [{ productIndex: 1, variantIndex: 0, quantity: 2 }],
    });
    await expect.poll(() => hooks("checkouts/create").length).toBe(1);
    const create = hooks("checkouts/create")[0];
    expect(create?.headers["x-shopify-hmac-sha256"]).toBe(signWebhookBody(create?.body ?? "", API_SECRET));
    expect(JSON.parse(create?.body ?? "{}")).toMatchObject({
      id: Number(started.legacyResourceId),
      token: started._token,
      completed_at: null,
      customer: { id: store.customerLegacyId(3) },
    });
    expect(store.abandonedCheckoutIndices()).toContain(started._index);

    const k = started._index;
    emulator.updateCheckout(SHOP, k, { lines: [{ productIndex: 2, variantIndex: 0, quantity: 1 }] });
    emulator.updateCheckout(SHOP, k, { completed: true });
    await expect.poll(() => hooks("checkouts/update").length).toBe(2);
    const last: { completed_at: string | null; line_items: Array<{ product_id: number }> } = JSON.parse(
      hooks("checkouts/update").at(-1)?.body ?? "{}",
    );
    expect(last.completed_at).toBe("2026-11-28T12:00:00.000Z");
    expect(last.line_items.map((li) => li.product_id)).toEqual([Number(store.products[2]?.legacyResourceId)]);
  });

  it("replays a generated checkout as Shopify sent it: create as started, update as it ended", async () => {
    const before = received.length;
    const k = store.abandonedCheckoutIndices()[0] ?? 0;
    expect(await emulator.sendCheckoutWebhooks(SHOP, k)).toEqual([
      { topic: "checkouts/create", status: 200 },
      { topic: "checkouts/update", status: 200 },
    ]);
    const [create, update] = received
      .slice(before)
      .map((r): { updated_at: string; created_at: string } => JSON.parse(r.body));
    expect(create?.updated_at).toBe(create?.created_at);
    expect(update?.updated_at).toBe(store.checkout(k).updatedAt);
  });

  it("records flowTriggerReceive calls, checked against the Admin schema like every document", async () => {
    const variables = segmentChangedTrigger({ customerId: 42n, fromSegment: "recent", toSegment: "vip" });
    const { json } = await gql(SEGMENT_CHANGED_MUTATION, { ...variables });
    expect(json).toMatchObject({ data: { flowTriggerReceive: { userErrors: [] } } });
    const big = await gql(SEGMENT_CHANGED_MUTATION, {
      handle: "rfm-segment-changed",
      payload: { note: "x".repeat(50_000) },
    });
    expect(JSON.stringify(big.json.data)).toContain("Payload must be less than 50000 bytes");
    const invalid = await gql(
      `mutation { flowTriggerReceive(handle: "rfm-segment-changed", payload: {}) { notAField } }`,
    );
    expect(invalid.json.errors).toBeDefined();
    expect(emulator.flowTriggerCalls(SHOP).map((c) => [c.handle, c.payload, c.userErrors.length])).toEqual([
      ["rfm-segment-changed", { customer_id: 42, "From segment": "recent", "To segment": "vip" }, 0],
      ["rfm-segment-changed", { note: "x".repeat(50_000) }, 1],
    ]);
  });
});
