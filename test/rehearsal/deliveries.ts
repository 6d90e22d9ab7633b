import type { GeneratedStore } from "../emulator/index";
import type { CartLine } from "../emulator/generator/types";
import { checkoutPayload, customerPayload, orderPayload, productPayload } from "../emulator/webhook-payloads";
import { signedDelivery, type Prepared } from "../bench/webhook-load";
import type { ProfileEvent } from "./profile";

// The profile's events as signed webhooks, built on the emulator's store (so its Admin API agrees
// with what the app hears): checkouts started and changed in the store, customers' consent and
// products' stock changed there, new orders with new ids. Times are the peak's start plus the
// event's offset.

export interface TimedRequest extends Prepared {
  /** when to post it (epoch ms) */
  atMs: number;
  path: string;
  topic: string;
  /** the customer an order is for (segment freshness) */
  customerId?: string;
  /** a new order's numeric id */
  orderId?: string;
}

/** The store's products a shopper can buy now, with their buyable variants (store indices). */
export interface CatalogueItem {
  product: number;
  variants: number[];
  legacyId: string;
  title: string;
}

export function catalogueOf(store: GeneratedStore): CatalogueItem[] {
  return store.products.flatMap((p) => {
    const variants = p.variants.flatMap((v, i) => (v.inventoryQuantity > 0 ? [i] : []));
    return p.status === "ACTIVE" && p.publishedAt !== null && variants.length > 0
      ? [{ product: p._index, variants, legacyId: p.legacyResourceId, title: p.title }]
      : [];
  });
}

export interface DeliveryContext {
  store: GeneratedStore;
  shop: string;
  secret: string;
  catalogue: readonly CatalogueItem[];
  /** the peak's start (epoch ms) */
  t0: number;
  /** the first order id to use (above the store's) */
  nextOrderId: number;
}

export interface Built {
  requests: TimedRequest[];
  /** session → the checkout's numeric id */
  checkoutIds: Map<number, string>;
}

const iso = (ms: number) => new Date(Math.round(ms)).toISOString().replace(/\.\d{3}Z$/, "Z");

export function buildDeliveries(
  ctx: DeliveryContext,
  events: readonly ProfileEvent[],
  sendAt: (e: ProfileEvent, i: number) => number,
): Built {
  const { store } = ctx;
  const checkoutIndex = new Map<number, number>();
  const checkoutIds = new Map<number, string>();
  const requests: TimedRequest[] = [];
  const template = orderPayload(store.order(0), store.customer(0));
  const toStore = (lines: readonly CartLine[]): CartLine[] =>
    lines.flatMap((l) => {
      const item = ctx.catalogue[l.productIndex];
      const variant = item?.variants[l.variantIndex];
      return item && variant !== undefined
        ? [{ productIndex: item.product, variantIndex: variant, quantity: l.quantity }]
        : [];
    });
  const sign = (
    topic: string,
    path: string,
    payload: unknown,
    atMs: number,
    order?: { customerId: string; orderId: string },
  ) =>
    requests.push({
      ...signedDelivery({ shop: ctx.shop, secret: ctx.secret, topic, payload }),
      atMs,
      path,
      topic,
      ...order,
    });

  events.forEach((e, i) => {
    const atMs = sendAt(e, i);
    switch (e.kind) {
      case "checkout": {
        const at = new Date(ctx.t0 + e.activityAt);
        const known = checkoutIndex.get(e.session);
        const record =
          known === undefined
            ? store.startCheckout({ customerIndex: e.customer, lines: toStore(e.lines), at })
            : store.updateCheckout(known, { lines: toStore(e.lines), completed: e.completed }, at);
        checkoutIndex.set(e.session, record._index);
        checkoutIds.set(e.session, record.legacyResourceId);
        const customer = record._customerIndex === null ? null : store.customer(record._customerIndex);
        sign(
          known === undefined ? "checkouts/create" : "checkouts/update",
          "/webhooks/checkouts",
          checkoutPayload(record, customer),
          atMs,
        );
        break;
      }
      case "order": {
        const id = ctx.nextOrderId++;
        const customer = store.customer(e.customer);
        const placed = iso(ctx.t0 + e.at);
        let totalMinor = 0;
        const lineItems = toStore(e.lines).flatMap((l, n) => {
          const p = store.products[l.productIndex];
          const v = p?.variants[l.variantIndex];
          if (!p || !v) return [];
          totalMinor += v._priceMinor * l.quantity;
          const price = (v._priceMinor / 100).toFixed(2);
          return [
            {
              id: id * 10 + n,
              admin_graphql_api_id: `gid://shopify/LineItem/${id * 10 + n}`,
              title: p.title,
              variant_title: v.title,
              sku: v.sku,
              product_id: Number(p.legacyResourceId),
              variant_id: Number(v.legacyResourceId),
              quantity: l.quantity,
              current_quantity: l.quantity,
              price,
              total_discount: "0.00",
            },
          ];
        });
        const total = (totalMinor / 100).toFixed(2);
        const money = {
          shop_money: { amount: total, currency_code: store.currencyCode },
          presentment_money: { amount: total, currency_code: store.currencyCode },
        };
        const payload = {
          ...template,
          id,
          admin_graphql_api_id: `gid://shopify/Order/${id}`,
          name: `#R${id}`,
          order_number: id,
          email: customer.email,
          created_at: placed,
          updated_at: placed,
          processed_at: placed,
          cancelled_at: null,
          cancel_reason: null,
          test: false,
          financial_status: "paid",
          total_price: total,
          current_total_price: total,
          current_total_price_set: money,
          total_discounts: "0.00",
          discount_codes: [],
          line_items: lineItems,
          customer: {
            id: Number(store.customerLegacyId(e.customer)),
            admin_graphql_api_id: customer.id,
            email: customer.email,
          },
        };
        sign("orders/create", "/webhooks/orders", payload, atMs, {
          customerId: String(store.customerLegacyId(e.customer)),
          orderId: String(id),
        });
        break;
      }
      case "consent": {
        const at = new Date(ctx.t0 + e.at);
        const state = e.subscribed ? "SUBSCRIBED" : "UNSUBSCRIBED";
        const consentUpdatedAt = at.toISOString();
        const record = store.updateCustomer(
          e.customer,
          e.channel === "email"
            ? {
                emailMarketingConsent: {
                  marketingState: state,
                  marketingOptInLevel: "SINGLE_OPT_IN",
                  consentUpdatedAt,
                },
              }
            : {
                smsMarketingConsent: {
                  marketingState: state,
                  marketingOptInLevel: "SINGLE_OPT_IN",
                  consentUpdatedAt,
                  consentCollectedFrom: "OTHER",
                },
              },
          at,
        );
        sign("customers/update", "/webhooks/customers", customerPayload(record), atMs);
        break;
      }
      case "stock": {
        const item = ctx.catalogue[e.product];
        if (!item) break;
        const record = store.updateProduct(
          item.product,
          { inventoryQuantity: e.quantity },
          new Date(ctx.t0 + e.at),
        );
        sign("products/update", "/webhooks/products", productPayload(record), atMs);
        break;
      }
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  });
  return { requests, checkoutIds };
}
