import { z } from "zod";
import type { CheckoutLineItem } from "../checkouts/checkout";
import type { CheckoutRow } from "../rows";
import {
  date,
  exactNumericId,
  money,
  NumericId,
  optionalDate,
  Owner,
  ownerId,
  parsePayload,
  resourceId,
  Timestamp,
} from "./payloads";

// checkouts/create|update payloads (REST shape) → the stored checkout. Pure. The buyer's email and
// phone are personal data: a reason for a bad payload names the field, never its value.

const LineItem = z.object({
  product_id: NumericId.nullish(),
  variant_id: NumericId.nullish(),
  quantity: z.number().int().nonnegative(),
  title: z.string().nullish(),
  variant_title: z.string().nullish(),
  price: z.string().nullish(),
});

export const CheckoutPayload = z.object({
  id: NumericId,
  token: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  created_at: Timestamp,
  updated_at: Timestamp,
  completed_at: Timestamp.nullish(),
  customer: Owner.nullish(),
  total_price: z.string(),
  currency: z.string(),
  abandoned_checkout_url: z.string().nullish(),
  line_items: z.array(LineItem).nullish(),
});
export type CheckoutPayload = z.infer<typeof CheckoutPayload>;

/** A product or variant id that cannot be read exactly becomes null: that item is never offered again. */
function lineItems(topic: string, p: CheckoutPayload): CheckoutLineItem[] | undefined {
  if (!p.line_items) return undefined;
  return p.line_items.map((item, i) => ({
    productId: exactNumericId(item.product_id),
    variantId: exactNumericId(item.variant_id),
    quantity: item.quantity,
    title: item.title ?? null,
    // "" for a product without variants
    variantTitle: item.variant_title || null,
    priceMinor:
      item.price === null || item.price === undefined
        ? null
        : money(topic, `line_items.${i}.price`, item.price, p.currency),
  }));
}

/** checkouts/create|update → CheckoutRow; lineItems undefined when the payload has none (keep them). */
export function checkoutRowFromPayload(topic: string, payload: unknown): CheckoutRow {
  const p = parsePayload(topic, CheckoutPayload, payload);
  return {
    id: resourceId(topic, "Checkout", { id: p.id }),
    token: p.token ?? null,
    customerId: ownerId(topic, p.customer),
    email: p.email ?? null,
    phone: p.phone ?? null,
    shopifyCreatedAt: date(topic, "created_at", p.created_at),
    shopifyUpdatedAt: date(topic, "updated_at", p.updated_at),
    completedAt: optionalDate(topic, "completed_at", p.completed_at),
    totalMinor: money(topic, "total_price", p.total_price, p.currency),
    currencyCode: p.currency,
    recoveryUrl: p.abandoned_checkout_url ?? null,
    lineItems: lineItems(topic, p),
  };
}
