import { z } from "zod";

// A checkout as the flows read it, whatever the source: the stored row (webhooks) or a file (the
// flows command line). Pure.

const Id = z.string().regex(/^\d{1,19}$/, { message: "not a numeric id" });

/**
 * One line of the cart as stored in Checkout.lineItems (JSON: ids and money as decimal strings,
 * since JSON numbers cannot hold every bigint), read back with bigints.
 */
export const CheckoutLineItem = z
  .object({
    /** null: a custom item, or a product deleted since */
    productId: Id.nullable(),
    variantId: Id.nullable(),
    quantity: z.number().int().nonnegative(),
    title: z.string().nullable(),
    variantTitle: z.string().nullable(),
    /** the unit price in minor units of the checkout's currency; null: the source did not say */
    priceMinor: z
      .string()
      .regex(/^-?\d+$/)
      .nullable(),
  })
  .transform((item) => ({
    ...item,
    productId: item.productId === null ? null : BigInt(item.productId),
    variantId: item.variantId === null ? null : BigInt(item.variantId),
    priceMinor: item.priceMinor === null ? null : BigInt(item.priceMinor),
  }));
export type CheckoutLineItem = z.output<typeof CheckoutLineItem>;

export const CheckoutLineItems = z.array(CheckoutLineItem);

/** The line items as JSON for the Checkout.lineItems column (what CheckoutLineItem reads back). */
export function lineItemsJson(items: readonly CheckoutLineItem[]): z.input<typeof CheckoutLineItems> {
  return items.map((item) => ({
    productId: item.productId === null ? null : item.productId.toString(),
    variantId: item.variantId === null ? null : item.variantId.toString(),
    quantity: item.quantity,
    title: item.title,
    variantTitle: item.variantTitle,
    priceMinor: item.priceMinor === null ? null : item.priceMinor.toString(),
  }));
}

export interface Checkout {
  id: bigint;
  token: string | null;
  customerId: bigint | null;
  /** personal data: never logged */
  email: string | null;
  /** personal data: never logged */
  phone: string | null;
  createdAt: Date;
  /** the last activity on the checkout */
  updatedAt: Date;
  /** null: not completed (abandoned, so far) */
  completedAt: Date | null;
  recoveryUrl: string | null;
  /** null: the source did not say (a file may leave it out) */
  totalMinor: bigint | null;
  currencyCode: string | null;
  lineItems: CheckoutLineItem[];
}
