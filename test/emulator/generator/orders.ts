import { hashSeed, Rng } from "./prng";
import { moneyBag } from "./money";
import type { CartLine, LineItemRecord, OrderRecord, ProductRecord } from "./types";

export const ORDER_ID_BASE = 5_600_000_000_000;
const LINE_ITEM_ID_BASE = 1_300_000_000_000;
const STREAM = 4;
const TOKEN_STREAM = 40;
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

/** A discount of `percent`% of a subtotal, a cent at least: how an order's discount code takes off. */
export function percentOff(subtotalMinor: number, percent: number): number {
  return Math.max(1, Math.round((subtotalMinor * percent) / 100));
}

/** Spreads an order's discount over its lines by their amounts; the last line takes what rounding left. */
export function allocateDiscount(lines: LineSpec[], discountMinor: number, subtotalMinor: number): void {
  let left = discountMinor;
  lines.forEach((line, l) => {
    const share = l === lines.length - 1 ? left : Math.floor((discountMinor * line.unitMinor * line.quantity) / subtotalMinor);
    line.discountMinor = share;
    left -= share;
  });
}

/** A cart's lines at the catalogue's prices (as drawBasket prices them); an unknown variant is refused. */
export function priceCart(cart: readonly CartLine[], products: readonly ProductRecord[]): { lines: LineSpec[]; subtotalMinor: number } {
  const lines = cart.map((line): LineSpec => {
    const unitMinor = products[line.productIndex]?.variants[line.variantIndex]?._priceMinor;
    if (unitMinor === undefined) throw new RangeError(`no variant ${line.variantIndex} of product ${line.productIndex}`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError(`quantity must be a positive integer`);
    return { productIndex: line.productIndex, variantIndex: line.variantIndex, quantity: line.quantity, unitMinor, discountMinor: 0 };
  });
  return { lines, subtotalMinor: lines.reduce((sum, l) => sum + l.unitMinor * l.quantity, 0) };
}

/** An order's line items; `id(l)` numbers line l, a cancelled order's have nothing left (currentQuantity 0). */
export function lineItemRecords(
  lines: readonly LineSpec[],
  id: (l: number) => number,
  products: readonly ProductRecord[],
  currencyCode: string,
  cancelled: boolean,
): LineItemRecord[] {
  return lines.map((line, l) => {
    const product = products[line.productIndex];
    const variant = product?.variants[line.variantIndex];
    const title = product?.title ?? "Unknown";
    const variantTitle = variant && variant.title !== "Default Title" ? variant.title : null;
    return {
      id: `gid://shopify/LineItem/${id(l)}`,
      name: variantTitle ? `${title} - ${variantTitle}` : title,
      title,
      variantTitle,
      sku: variant?.sku ?? "",
      quantity: line.quantity,
      currentQuantity: cancelled ? 0 : line.quantity,
      originalUnitPriceSet: moneyBag(line.unitMinor, currencyCode),
      totalDiscountSet: moneyBag(line.discountMinor, currencyCode),
      _productIndex: line.productIndex,
      _variantIndex: line.variantIndex,
      _productLegacyId: Number(product?.legacyResourceId ?? 0),
      _variantLegacyId: variant ? Number(variant.legacyResourceId) : null,
    };
  });
}

/** An order's amounts as placed (no tax, no shipping): the subtotal is after discounts, like Shopify's. */
export function orderMoney(
  eco: Pick<OrderEconomics, "lines" | "totalMinor" | "discountMinor">,
  currencyCode: string,
): Pick<
  OrderRecord,
  | "subtotalPriceSet"
  | "totalPriceSet"
  | "currentTotalPriceSet"
  | "totalDiscountsSet"
  | "currentTotalDiscountsSet"
  | "currentTotalTaxSet"
  | "subtotalLineItemsQuantity"
> {
  return {
    subtotalPriceSet: moneyBag(eco.totalMinor, currencyCode),
    totalPriceSet: moneyBag(eco.totalMinor, currencyCode),
    currentTotalPriceSet: moneyBag(eco.totalMinor, currencyCode),
    totalDiscountsSet: moneyBag(eco.discountMinor, currencyCode),
    currentTotalDiscountsSet: moneyBag(eco.discountMinor, currencyCode),
    currentTotalTaxSet: moneyBag(0, currencyCode),
    subtotalLineItemsQuantity: eco.lines.reduce((s, l) => s + l.quantity, 0),
  };
}

/** Order j's status page (token and key from the seed), on the shop's storefront host like Shopify's. */
export function orderStatusUrl(seed: number, j: number, domain: string, shopId: number): string {
  const hex = (stream: number) =>
    [0, 1, 2, 3].map((w) => hashSeed(seed, stream + w, j).toString(16).padStart(8, "0")).join("");
  const host = `${domain.replace(/\.myshopify\.com$/, "")}.example`;
  return `https://${host}/${shopId}/orders/${hex(TOKEN_STREAM)}/authenticate?key=${hex(TOKEN_STREAM + 10)}`;
}

/** The money side of order j; cheap, so aggregates can be computed without building records. */
export function orderEconomics(seed: number, j: number, products: readonly ProductRecord[]): OrderEconomics {
  const rng = Rng.for(seed, STREAM, j);
  const { lines, subtotalMinor } = drawBasket(rng, products);
  const discounted = subtotalMinor > 0 && rng.chance(0.25);
  const discountCode = discounted ? rng.pick(DISCOUNT_CODES) : null;
  const discountMinor = discounted ? percentOff(subtotalMinor, rng.int(10, 25)) : 0;
  allocateDiscount(lines, discountMinor, subtotalMinor);
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
  /** the shop's numeric id, in the status page URL */
  shopId: number;
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
  const lineItems = lineItemRecords(eco.lines, (l) => LINE_ITEM_ID_BASE + j * 8 + l, ctx.products, c, eco.cancelled);
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
    ...orderMoney(eco, c),
    statusPageUrl: orderStatusUrl(ctx.seed, j, ctx.domain, ctx.shopId),
    customerJourneySummary:
      ctx.customerOrderIndex === null ? null : { customerOrderIndex: ctx.customerOrderIndex, daysToConversion: rng.int(0, 14), ready: true },
    lineItems,
    _index: j,
    _customerIndex: ctx.customerIndex,
    _totalMinor: eco.totalMinor,
    _discountMinor: eco.discountMinor,
  };
}
