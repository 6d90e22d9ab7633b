import { z } from "zod";
import { MoneyError, toMinorUnits } from "../../sync/money";
import type { Checkout, CheckoutLineItem } from "../../sync/checkouts/checkout";
import { describeIssues, parseJson, timestamp } from "../../sync/backfill/parse-lines";

// One line of a checkouts file → a checkout, one of its line items (a bulk export's child line), or
// a reason naming the field and the rule, never the value (lines carry emails and phones). Two
// shapes are read: the Admin GraphQL `abandonedCheckouts` export (camelCase, gids, money sets, line
// items inline or as `__parentId` children) and the checkouts/* webhook payload (snake_case, numeric
// ids, decimal strings). Fields the flows do not use may be left out. Pure.

export type CheckoutLine =
  | { kind: "checkout"; checkout: Checkout; itemsInline: boolean }
  | { kind: "item"; checkoutId: bigint; item: CheckoutLineItem }
  | { kind: "error"; reason: string };

const MAX_ID = 2n ** 63n - 1n;
const digits = (value: string): bigint | null => {
  const id = /^\d{1,19}$/.test(value) ? BigInt(value) : null;
  return id !== null && id <= MAX_ID ? id : null;
};

/** A gid of `type`, a numeric string or a JSON number that holds the id exactly. */
const idOf = (type: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const id =
      typeof value === "number"
        ? Number.isSafeInteger(value) && value >= 0
          ? BigInt(value)
          : null
        : digits(value.replace(new RegExp(`^gid://shopify/${type}/`), ""));
    if (id === null) {
      ctx.addIssue({
        code: "custom",
        message:
          typeof value === "number"
            ? "beyond 2^53 as a JSON number (write it as a string or a gid)"
            : `not a ${type} id`,
      });
      return z.NEVER;
    }
    return id;
  });

const text = z.string().nullish();
const Money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });
const Ref = (type: string) => z.object({ id: idOf(type) }).nullish();

const GraphqlItem = z.object({
  quantity: z.number().int().nonnegative(),
  title: text,
  variantTitle: text,
  product: Ref("Product"),
  variant: Ref("ProductVariant"),
  originalUnitPriceSet: Money.nullish(),
});
const GraphqlItems = z.union([
  z.array(GraphqlItem),
  z.object({ nodes: z.array(GraphqlItem) }).transform((c) => c.nodes),
  z.object({ edges: z.array(z.object({ node: GraphqlItem })) }).transform((c) => c.edges.map((e) => e.node)),
]);

const GraphqlCheckout = z.object({
  id: idOf("AbandonedCheckout"),
  token: text,
  createdAt: timestamp,
  updatedAt: timestamp,
  completedAt: timestamp.nullish(),
  customer: Ref("Customer"),
  email: text,
  phone: text,
  abandonedCheckoutUrl: text,
  totalPriceSet: Money.nullish(),
  lineItems: GraphqlItems.nullish(),
});

const RestItem = z.object({
  product_id: idOf("Product").nullish(),
  variant_id: idOf("ProductVariant").nullish(),
  quantity: z.number().int().nonnegative(),
  title: text,
  variant_title: text,
  price: z.string().nullish(),
});

const RestCheckout = z.object({
  id: idOf("Checkout"),
  token: text,
  created_at: timestamp,
  updated_at: timestamp,
  completed_at: timestamp.nullish(),
  customer: z
    .object({ id: idOf("Customer").nullish(), admin_graphql_api_id: idOf("Customer").nullish() })
    .nullish(),
  email: text,
  phone: text,
  abandoned_checkout_url: text,
  total_price: z.string().nullish(),
  currency: z.string().nullish(),
  line_items: z.array(RestItem).nullish(),
});

/** Thrown inside a conversion; becomes the line's reason. */
class FieldError extends Error {}

function minor(
  field: string,
  amount: string | null | undefined,
  currency: string | null | undefined,
): bigint | null {
  if (amount === null || amount === undefined) return null;
  if (!currency) throw new FieldError(`${field}: needs the checkout's currency`);
  try {
    return toMinorUnits(amount, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new FieldError(`${field}: ${error.message}`);
    throw error;
  }
}

function graphqlItem(item: z.infer<typeof GraphqlItem>, field: string): CheckoutLineItem {
  const price = item.originalUnitPriceSet?.shopMoney;
  return {
    productId: item.product?.id ?? null,
    variantId: item.variant?.id ?? null,
    quantity: item.quantity,
    title: item.title ?? null,
    variantTitle: item.variantTitle ?? null,
    priceMinor: minor(`${field}originalUnitPriceSet`, price?.amount, price?.currencyCode),
  };
}

function fromGraphql(c: z.infer<typeof GraphqlCheckout>): CheckoutLine {
  const total = c.totalPriceSet?.shopMoney;
  return {
    kind: "checkout",
    itemsInline: c.lineItems !== null && c.lineItems !== undefined,
    checkout: {
      id: c.id,
      token: c.token ?? null,
      customerId: c.customer?.id ?? null,
      email: c.email ?? null,
      phone: c.phone ?? null,
      createdAt: new Date(c.createdAt),
      updatedAt: new Date(c.updatedAt),
      completedAt: c.completedAt ? new Date(c.completedAt) : null,
      recoveryUrl: c.abandonedCheckoutUrl ?? null,
      totalMinor: minor("totalPriceSet", total?.amount, total?.currencyCode),
      currencyCode: total?.currencyCode ?? null,
      lineItems: (c.lineItems ?? []).map((item, i) => graphqlItem(item, `lineItems.${i}.`)),
    },
  };
}

function fromRest(c: z.infer<typeof RestCheckout>): CheckoutLine {
  return {
    kind: "checkout",
    itemsInline: c.line_items !== null && c.line_items !== undefined,
    checkout: {
      id: c.id,
      token: c.token ?? null,
      customerId: c.customer?.admin_graphql_api_id ?? c.customer?.id ?? null,
      email: c.email ?? null,
      phone: c.phone ?? null,
      createdAt: new Date(c.created_at),
      updatedAt: new Date(c.updated_at),
      completedAt: c.completed_at ? new Date(c.completed_at) : null,
      recoveryUrl: c.abandoned_checkout_url ?? null,
      totalMinor: minor("total_price", c.total_price, c.currency),
      currencyCode: c.currency ?? null,
      lineItems: (c.line_items ?? []).map((item, i) => ({
        productId: item.product_id ?? null,
        variantId: item.variant_id ?? null,
        quantity: item.quantity,
        title: item.title ?? null,
        variantTitle: item.variant_title || null,
        priceMinor: minor(`line_items.${i}.price`, item.price, c.currency),
      })),
    },
  };
}

const ParentId = idOf("AbandonedCheckout");

function convert<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  to: (parsed: z.output<S>) => CheckoutLine,
): CheckoutLine {
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { kind: "error", reason: describeIssues(parsed.error) };
  try {
    return to(parsed.data);
  } catch (error) {
    if (error instanceof FieldError) return { kind: "error", reason: error.message };
    throw error;
  }
}

/** One line of the file (without its newline). */
export function parseCheckoutLine(line: string): CheckoutLine {
  if (line.trim() === "") return { kind: "error", reason: "empty line" };
  const json = parseJson(line);
  if ("reason" in json) return { kind: "error", reason: json.reason };
  const value = json.value;
  if (typeof value !== "object" || value === null) return { kind: "error", reason: "not a JSON object" };
  if ("__parentId" in value) {
    const parent = ParentId.safeParse(value.__parentId);
    if (!parent.success)
      return { kind: "error", reason: describeIssues(parent.error).replace("(line)", "__parentId") };
    return convert(GraphqlItem, value, (item) => ({
      kind: "item",
      checkoutId: parent.data,
      item: graphqlItem(item, ""),
    }));
  }
  // the webhook shape is told apart by its snake_case timestamps
  return "created_at" in value
    ? convert(RestCheckout, value, fromRest)
    : convert(GraphqlCheckout, value, fromGraphql);
}
