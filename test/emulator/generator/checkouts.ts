import { hashSeed, Rng } from "./prng";
import { moneyBag } from "./money";
import { drawBasket } from "./orders";
import { seasonalTime } from "./timeline";
import type {
  CartLine,
  CheckoutLineItemRecord,
  CheckoutRecord,
  CustomerRecord,
  OrderRecord,
  ProductRecord,
} from "./types";

// Checkouts: one completed into each order (a few minutes of checkout before it was placed), and
// abandoned ones in between, at the season's rhythm, by customers who existed by then (or by a guest
// who left an email). Every checkout draws from its own stream, so any one is built on its own.

export const CHECKOUT_ID_BASE = 3_100_000_000_000;
const LINE_ITEM_ID_BASE = 2_700_000_000_000;
const STREAM = 7;
const MINUTE = 60_000;

export interface CheckoutContext {
  seed: number;
  domain: string;
  /** the shop's numeric id, in the recovery URL as in Shopify's */
  shopId: number;
  currencyCode: string;
  products: readonly ProductRecord[];
  startMs: number;
  untilMs: number;
}

const hex = (seed: number, stream: number, k: number, words: number): string =>
  Array.from({ length: words }, (_, w) =>
    hashSeed(seed, stream + w, k)
      .toString(16)
      .padStart(8, "0"),
  ).join("");

function lineItems(k: number, lines: readonly CartLine[], ctx: CheckoutContext): CheckoutLineItemRecord[] {
  return lines.flatMap((line, l) => {
    const product = ctx.products[line.productIndex];
    const variant = product?.variants[line.variantIndex];
    if (!product || !variant) return [];
    const variantTitle = variant.title === "Default Title" ? null : variant.title;
    const total = moneyBag(variant._priceMinor * line.quantity, ctx.currencyCode);
    return [
      {
        id: `gid://shopify/AbandonedCheckoutLineItem/${LINE_ITEM_ID_BASE + k * 8 + l}`,
        title: product.title,
        variantTitle,
        sku: variant.sku,
        quantity: line.quantity,
        originalUnitPriceSet: moneyBag(variant._priceMinor, ctx.currencyCode),
        originalTotalPriceSet: total,
        discountedTotalPriceSet: total,
        _productIndex: line.productIndex,
        _variantIndex: line.variantIndex,
        _productLegacyId: Number(product.legacyResourceId),
        _variantLegacyId: Number(variant.legacyResourceId),
        _unitMinor: variant._priceMinor,
      },
    ];
  });
}

export interface CheckoutSpec {
  createdMs: number;
  updatedMs: number;
  completedMs: number | null;
  customer: CustomerRecord | null;
  /** a guest's contact, when there is no customer */
  guestEmail: string | null;
  orderIndex: number | null;
  lines: readonly CartLine[];
}

/** Checkout k as Shopify's AbandonedCheckout shows it. */
export function buildCheckout(k: number, spec: CheckoutSpec, ctx: CheckoutContext): CheckoutRecord {
  const id = CHECKOUT_ID_BASE + k + 1;
  const token = hex(ctx.seed, STREAM + 10, k, 4);
  const key = hex(ctx.seed, STREAM + 20, k, 4);
  const items = lineItems(k, spec.lines, ctx);
  const totalMinor = items.reduce((sum, item) => sum + item._unitMinor * item.quantity, 0);
  const money = (minor: number) => moneyBag(minor, ctx.currencyCode);
  const host = `${ctx.domain.replace(/\.myshopify\.com$/, "")}.example`;
  return {
    id: `gid://shopify/AbandonedCheckout/${id}`,
    legacyResourceId: String(id),
    name: `#${id}`,
    createdAt: new Date(spec.createdMs).toISOString(),
    updatedAt: new Date(spec.updatedMs).toISOString(),
    completedAt: spec.completedMs === null ? null : new Date(spec.completedMs).toISOString(),
    abandonedCheckoutUrl: `https://${host}/${ctx.shopId}/checkouts/${token}/recover?key=${key}`,
    note: "",
    discountCodes: [],
    taxesIncluded: false,
    subtotalPriceSet: money(totalMinor),
    totalLineItemsPriceSet: money(totalMinor),
    totalDiscountSet: money(0),
    totalPriceSet: money(totalMinor),
    lineItems: items,
    _token: token,
    _email: spec.customer?.email ?? spec.guestEmail,
    _phone: spec.customer?.phone ?? null,
    _index: k,
    _customerIndex: spec.customer?._index ?? null,
    _orderIndex: spec.orderIndex,
    _totalMinor: totalMinor,
  };
}

/** The checkout completed into order j: its cart, a few minutes before the order was placed. */
export function completedCheckoutSpec(
  seed: number,
  order: OrderRecord,
  customer: CustomerRecord | null,
  startMs: number,
): CheckoutSpec {
  const rng = Rng.for(seed, STREAM, -1 - order._index);
  const placedMs = Date.parse(order.createdAt);
  return {
    createdMs: Math.max(startMs, placedMs - rng.int(2, 45) * MINUTE - rng.int(0, 59_999)),
    updatedMs: placedMs,
    completedMs: placedMs,
    customer,
    guestEmail: customer ? null : (order.email ?? `guest-${order._index}@checkout.example`),
    orderIndex: order._index,
    lines: order.lineItems.map((li) => ({
      productIndex: li._productIndex,
      variantIndex: li._variantIndex,
      quantity: li.quantity,
    })),
  };
}

export interface AbandonedDraw {
  createdMs: number;
  updatedMs: number;
  /** a customer created by then, or null: a guest */
  customerIndex: number | null;
  lines: CartLine[];
}

/** Abandoned checkout a (0-based among the abandoned ones): when, whose, and what was in the cart. */
export function drawAbandoned(
  seed: number,
  a: number,
  ctx: Pick<CheckoutContext, "products" | "startMs" | "untilMs">,
  customers: { count: number; createdMs(i: number): number },
): AbandonedDraw {
  const rng = Rng.for(seed, STREAM, a);
  const createdMs = Math.floor(seasonalTime(rng, ctx.startMs, ctx.untilMs));
  const updatedMs = Math.min(ctx.untilMs, createdMs + rng.int(0, 40) * MINUTE + rng.int(0, 59_999));
  // customers are created in index order over the history: those before the checkout come first
  const known = Math.floor(
    (customers.count * (createdMs - ctx.startMs)) / Math.max(1, ctx.untilMs - ctx.startMs),
  );
  const pick = known > 0 && !rng.chance(0.1) ? rng.int(0, known - 1) : null;
  const customerIndex = pick !== null && customers.createdMs(pick) <= createdMs ? pick : null;
  const { lines } = drawBasket(rng, ctx.products);
  return {
    createdMs,
    updatedMs,
    customerIndex,
    lines: lines.map((l) => ({
      productIndex: l.productIndex,
      variantIndex: l.variantIndex,
      quantity: l.quantity,
    })),
  };
}
