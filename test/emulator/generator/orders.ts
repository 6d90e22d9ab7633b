import { Rng } from "./prng";
import { moneyBag } from "./money";
import type { LineItemRecord, OrderRecord, ProductRecord } from "./types";

export const ORDER_ID_BASE = 5_600_000_000_000;
const LINE_ITEM_ID_BASE = 1_300_000_000_000;
const STREAM = 4;
const DISCOUNT_CODES = ["BFCM20", "WELCOME10", "CYBER25", "HOLIDAY15", "FREESHIP", "VIP10", "SPRING15"];
const CANCEL_REASONS = ["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER"] as const;

export interface LineSpec {
  productIndex: number;
  variantIndex: number;
  quantity: number;
  unitMinor: number;
  discountMinor: number;
}
export interface OrderEconomics {
  lines: LineSpec[];
  subtotalMinor: number; // before discounts
  discountMinor: number;
  totalMinor: number;
  discountCode: string | null;
  cancelled: boolean;
  test: boolean;
}

/** A cart's lines (an order's, or a checkout's): a log-normal basket target, popular products first. */
export function drawBasket(rng: Rng, products: readonly ProductRecord[]): { lines: LineSpec[]; subtotalMinor: number } {
  // Log-normal basket target (median ~$55) with a rare large order.
  let target = rng.logNormal(Math.log(5500), 0.75);
  if (rng.chance(0.005)) target *= rng.int(8, 30);
  const lineCount = rng.weighted([[1, 60], [2, 25], [3, 10], [4, 5]] as const);
  const lines: LineSpec[] = [];
  let subtotalMinor = 0;
  for (let l = 0; l < lineCount && products.length > 0; l++) {
    // A few products sell much more than the rest.
    const productIndex = Math.floor(products.length * rng.next() ** 2);
    const product = products[productIndex];
    if (!product) continue;
    const variantIndex = rng.int(0, product.variants.length - 1);
    const unitMinor = product.variants[variantIndex]?._priceMinor ?? 0;
    const quantity = Math.min(50, Math.max(1, Math.round(target / lineCount / Math.max(1, unitMinor))));
    lines.push({ productIndex, variantIndex, quantity, unitMinor, discountMinor: 0 });
    subtotalMinor += unitMinor * quantity;
  }
  return { lines, subtotalMinor };
}

/** The money side of order j; cheap, so aggregates can be computed without building records. */
export function orderEconomics(seed: number, j: number, products: readonly ProductRecord[]): OrderEconomics {
  const rng = Rng.for(seed, STREAM, j);
  const { lines, subtotalMinor } = drawBasket(rng, products);
  const discounted = subtotalMinor > 0 && rng.chance(0.25);
  const discountCode = discounted ? rng.pick(DISCOUNT_CODES) : null;
  const discountMinor = discounted ? Math.max(1, Math.round((subtotalMinor * rng.int(10, 25)) / 100)) : 0;
  let left = discountMinor;
  lines.forEach((line, l) => {
    const share = l === lines.length - 1 ? left : Math.floor((discountMinor * line.unitMinor * line.quantity) / subtotalMinor);
    line.discountMinor = share;
    left -= share;
  });
  return {
    lines,
    subtotalMinor,
    discountMinor,
    totalMinor: subtotalMinor - discountMinor,
    discountCode,
    cancelled: rng.chance(0.03),
    test: rng.chance(0.01),
  };
}

export interface OrderContext {
  seed: number;
  domain: string;
  currencyCode: string;
  products: readonly ProductRecord[];
  createdMs: number;
  /** the end of the store's history: what happens to an order later has not happened yet */
  untilMs: number;
  customerIndex: number | null;
  customerOrderIndex: number | null;
  email: string | null;
  phone: string | null;
}

export function buildOrder(j: number, ctx: OrderContext): OrderRecord {
  const eco = orderEconomics(ctx.seed, j, ctx.products);
  const rng = Rng.for(ctx.seed, STREAM + 100, j);
  // Clamped to the end of the history: an order placed an hour before it was cancelled or shipped
  // by then at the latest, and no time lies in the future of a store generated "now".
  const at = (ms: number) => new Date(Math.min(ctx.untilMs, ms)).toISOString();
  const createdAt = at(ctx.createdMs + rng.int(0, 59_999));
  const cancelledAt = eco.cancelled ? at(Date.parse(createdAt) + rng.int(1, 72) * 3_600_000) : null;
  const fulfilledAt = at(Date.parse(createdAt) + rng.int(1, 96) * 3_600_000);
  const c = ctx.currencyCode;
  const id = ORDER_ID_BASE + j + 1;
  const lineItems: LineItemRecord[] = eco.lines.map((line, l) => {
    const product = ctx.products[line.productIndex];
    const variant = product?.variants[line.variantIndex];
    const title = product?.title ?? "Unknown";
    const variantTitle = variant && variant.title !== "Default Title" ? variant.title : null;
    return {
      id: `gid://shopify/LineItem/${LINE_ITEM_ID_BASE + j * 8 + l}`,
      name: variantTitle ? `${title} - ${variantTitle}` : title,
      title,
      variantTitle,
      sku: variant?.sku ?? "",
      quantity: line.quantity,
      currentQuantity: eco.cancelled ? 0 : line.quantity,
      originalUnitPriceSet: moneyBag(line.unitMinor, c),
      totalDiscountSet: moneyBag(line.discountMinor, c),
      _productIndex: line.productIndex,
      _variantIndex: line.variantIndex,
      _productLegacyId: Number(product?.legacyResourceId ?? 0),
      _variantLegacyId: variant ? Number(variant.legacyResourceId) : null,
    };
  });
  const utm = rng.chance(0.3) ? `?utm_source=${rng.pick(["newsletter", "instagram", "google"])}&utm_medium=${rng.pick(["email", "social", "cpc"])}` : "";
  return {
    id: `gid://shopify/Order/${id}`,
    legacyResourceId: String(id),
    name: `#${1001 + j}`,
    createdAt,
    processedAt: createdAt,
    updatedAt: cancelledAt ?? fulfilledAt,
    cancelledAt,
    cancelReason: eco.cancelled ? rng.pick(CANCEL_REASONS) : null,
    closed: !eco.cancelled,
    confirmed: true,
    test: eco.test,
    email: ctx.email,
    phone: ctx.phone,
    currencyCode: c,
    tags: [],
    sourceName: rng.weighted([["web", 85], ["pos", 10], ["shopify_draft_order", 5]] as const),
    landingPageUrl: rng.chance(0.8) ? `https://${ctx.domain.replace(".myshopify.com", ".example")}/${utm}` : null,
    discountCode: eco.discountCode,
    discountCodes: eco.discountCode ? [eco.discountCode] : [],
    displayFinancialStatus: eco.cancelled ? rng.pick(["REFUNDED", "VOIDED"] as const) : "PAID",
    displayFulfillmentStatus: eco.cancelled ? "UNFULFILLED" : "FULFILLED",
    subtotalPriceSet: moneyBag(eco.totalMinor, c),
    totalPriceSet: moneyBag(eco.totalMinor, c),
    currentTotalPriceSet: moneyBag(eco.totalMinor, c),
    totalDiscountsSet: moneyBag(eco.discountMinor, c),
    currentTotalDiscountsSet: moneyBag(eco.discountMinor, c),
    currentTotalTaxSet: moneyBag(0, c),
    subtotalLineItemsQuantity: eco.lines.reduce((s, l) => s + l.quantity, 0),
    customerJourneySummary:
      ctx.customerOrderIndex === null ? null : { customerOrderIndex: ctx.customerOrderIndex, daysToConversion: rng.int(0, 14), ready: true },
    lineItems,
    _index: j,
    _customerIndex: ctx.customerIndex,
    _totalMinor: eco.totalMinor,
    _discountMinor: eco.discountMinor,
  };
}
