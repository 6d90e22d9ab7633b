import { z } from "zod";

// What a message template can read. Personal data stays at the name, email and locale a greeting
// needs: nothing else about the customer reaches a template (or a preview). Pure.

const text = (max: number) => z.string().max(max);
const webUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL");
/** Whether "2026-02-31"-like parts name a real calendar day and clock time. */
function realDateTime(s: string): boolean {
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0] = (s.match(/\d+/g) ?? []).map(Number);
  const t = new Date(Date.UTC(2000, mo - 1, d, h, mi, sec));
  t.setUTCFullYear(y);
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === sec;
}
/** 2026-12-20 */
export const IsoLocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be an ISO date like 2026-12-20")
  .refine(realDateTime, "is not a calendar date");
/** 2026-12-20T18:00 or 2026-12-20T18:00:00, a wall-clock time without offset */
export const IsoLocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "must be an ISO local date-time like 2026-12-20T18:00")
  .refine(realDateTime, "is not a calendar date and time");

export const TemplateCustomer = z
  .object({
    firstName: text(255).optional(),
    lastName: text(255).optional(),
    email: text(320).optional(),
    locale: text(35).optional(),
  })
  .strict();
export type TemplateCustomer = z.infer<typeof TemplateCustomer>;

export const TemplateProduct = z
  .object({
    title: text(255),
    url: webUrl,
    /** decimal string in the shop's currency ("24.00"); `| money` formats it */
    price: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, "must be a decimal amount like 24.00"),
    imageUrl: webUrl.optional(),
  })
  .strict();
export type TemplateProduct = z.infer<typeof TemplateProduct>;

/**
 * A delivery promise: an order placed by `orderBy` (the recipient's wall-clock time) with `shipping`
 * arrives by the occasion the shop's cut-offs are for.
 */
export const TemplateDelivery = z
  .object({
    orderBy: IsoLocalDateTime,
    shipping: z.enum(["standard", "express"]),
    occasion: text(255),
    date: IsoLocalDate,
  })
  .strict();
export type TemplateDelivery = z.infer<typeof TemplateDelivery>;

/** A line of a shopper's cart (an abandoned checkout), in stock when the message was decided. */
export const TemplateCartLine = z
  .object({
    title: text(255),
    quantity: z.number().int().min(1).max(10_000),
    /** unit price, decimal string in the shop's currency */
    price: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, "must be a decimal amount like 24.00").nullable(),
  })
  .strict();
export type TemplateCartLine = z.infer<typeof TemplateCartLine>;

/** The checkout a flow message is about: its recovery link and the lines still in stock. */
export const TemplateCheckout = z
  .object({ url: webUrl.nullable(), lines: z.array(TemplateCartLine).max(50) })
  .strict();
export type TemplateCheckout = z.infer<typeof TemplateCheckout>;

export const TemplateVariables = z
  .object({
    customer: TemplateCustomer,
    shop: z.object({ name: text(255), domain: text(255), currencyCode: z.string().regex(/^[A-Z]{3}$/) }).strict(),
    event: z.object({ name: text(255), date: IsoLocalDate }).strict(),
    /** the end of the offer (the sale's last minute), in the recipient's (or shop's) wall-clock time */
    deadline: IsoLocalDateTime.nullable(),
    /** the campaign's delivery promise, when it makes one and a cut-off is still ahead */
    delivery: TemplateDelivery.nullable(),
    discount: z.object({ code: text(64), percent: z.number().int().min(1).max(100) }).strict().nullable(),
    products: z.array(TemplateProduct).max(20),
    /** a flow message's checkout (abandoned checkout flows); null elsewhere */
    checkout: TemplateCheckout.nullable().optional(),
    unsubscribeUrl: webUrl,
    /** no page of the app sets it, so it is always empty; kept so templates saved with it still render */
    preferencesUrl: webUrl.optional(),
  })
  .strict();
export type TemplateVariables = z.infer<typeof TemplateVariables>;

/** What every message of a campaign or flow shares: all but the customer, their own links and a flow message's checkout. */
export type SharedVariables = Omit<TemplateVariables, "customer" | "unsubscribeUrl" | "preferencesUrl" | "checkout">;

/** What one message adds to or overrides of the shared variables (a flow decides it per step): stored with its outbox row. */
export const MessagePayload = z
  .object({
    checkout: TemplateCheckout.nullable().optional(),
    discount: z.object({ code: text(64), percent: z.number().int().min(1).max(100) }).strict().nullable().optional(),
    products: z.array(TemplateProduct).max(20).optional(),
  })
  .strict();
export type MessagePayload = z.infer<typeof MessagePayload>;

/** A customer as stored (or made up for a preview). */
export interface CustomerFacts {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  locale?: string | null;
}

const fitting = (schema: z.ZodTypeAny, value: string | null | undefined): string | undefined =>
  value && schema.safeParse(value).success ? value : undefined;

/**
 * The customer a template sees: each field only when it fits its limit (a stored value that does
 * not is left out, as if unknown, rather than failing the message).
 */
export function templateCustomer(facts: CustomerFacts): TemplateCustomer {
  const shape = TemplateCustomer.shape;
  const customer: TemplateCustomer = {};
  const firstName = fitting(shape.firstName, facts.firstName);
  const lastName = fitting(shape.lastName, facts.lastName);
  const email = fitting(shape.email, facts.email);
  const locale = fitting(shape.locale, facts.locale);
  if (firstName !== undefined) customer.firstName = firstName;
  if (lastName !== undefined) customer.lastName = lastName;
  if (email !== undefined) customer.email = email;
  if (locale !== undefined) customer.locale = locale;
  return customer;
}

/**
 * The variables of one message. A preview (the sample customer) and a real send (the stored
 * customer) are both built here, so a preview shows exactly what that customer would get.
 */
export function messageVariables(
  shared: SharedVariables,
  customer: CustomerFacts,
  products: readonly TemplateProduct[],
  unsubscribeUrl: string,
): TemplateVariables {
  return {
    customer: templateCustomer(customer),
    shop: shared.shop,
    event: shared.event,
    deadline: shared.deadline,
    delivery: shared.delivery,
    discount: shared.discount,
    products: [...products],
    unsubscribeUrl,
  };
}
/**
 * The keys a template may read under each root, for the static check that finds a typo even in a
 * branch the sample data does not take. "scalar": a value with no properties of its own.
 */
export const TEMPLATE_VARIABLE_KEYS = {
  customer: ["firstName", "lastName", "email", "locale"],
  shop: ["name", "domain", "currencyCode"],
  event: ["name", "date"],
  deadline: "scalar",
  delivery: ["orderBy", "shipping", "occasion", "date"],
  discount: ["code", "percent"],
  products: ["title", "url", "price", "imageUrl"],
  checkout: ["url", "lines"],
  unsubscribeUrl: "scalar",
  preferencesUrl: "scalar",
} as const satisfies Record<keyof TemplateVariables, readonly string[] | "scalar">;

/**
 * The scope handed to Liquid: an optional value that is absent becomes null, so strict variables
 * flag `customer.fristName` while a customer without a first name still renders
 * (`{{ customer.firstName | default: "there" }}`).
 */
export function templateScope(v: TemplateVariables) {
  return {
    customer: {
      firstName: v.customer.firstName ?? null,
      lastName: v.customer.lastName ?? null,
      email: v.customer.email ?? null,
      locale: v.customer.locale ?? null,
    },
    shop: { ...v.shop },
    event: { ...v.event },
    deadline: v.deadline,
    delivery: v.delivery ? { ...v.delivery } : null,
    discount: v.discount ? { ...v.discount } : null,
    products: v.products.map((p) => ({ title: p.title, url: p.url, price: p.price, imageUrl: p.imageUrl ?? null })),
    checkout: v.checkout ? { url: v.checkout.url, lines: v.checkout.lines.map((l) => ({ ...l })) } : null,
    unsubscribeUrl: v.unsubscribeUrl,
    preferencesUrl: v.preferencesUrl ?? null,
  };
}

/** What templates show of the shop. */
export interface ShopInfo {
  name: string;
  /** the storefront's host (templates write https://{{ shop.domain }}) */
  domain: string;
  currencyCode: string;
}
