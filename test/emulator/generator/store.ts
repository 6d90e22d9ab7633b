import { buildTimeline, customerCreatedMs, type Timeline } from "./timeline";
import { generateProducts, PRODUCT_ID_BASE, VARIANT_ID_BASE } from "./products";
import { buildOrder, orderEconomics, ORDER_ID_BASE } from "./orders";
import { buildCustomer, CUSTOMER_ID_BASE, orderDerivedFields, type CustomerAggregates } from "./customers";
import { buildLiveOrder } from "./live-orders";
import { cancelledOrder, LiveOrders, refundedOrder } from "./live-order-changes";
import { Rng } from "./prng";
import { LiveCustomers, newCustomerRecord, noOrders, type NewCustomer } from "./live-customers";
import { MetafieldRecords } from "./metafields";
import { buildCheckout, CHECKOUT_ID_BASE, completedCheckoutSpec, drawAbandoned, type CheckoutContext, type CheckoutSpec } from "./checkouts";
import type {
  CartLine,
  CheckoutPatch,
  CheckoutRecord,
  CustomerPatch,
  CustomerRecord,
  OrderCancelReason,
  OrderRecord,
  PlaceOrderArgs,
  ProductPatch,
  ProductRecord,
  VariantRecord,
} from "./types";

export interface GenerateStoreArgs {
  domain: string;
  seed?: number;
  customers: number;
  orders?: number; // default 3 × customers
  products?: number; // default 40
  /**
   * The end of the order history: no order, fulfilment or change comes after it. Tests pass a fixed
   * moment (TEST_HISTORY_END) so a seed always gives the same store; the demo passes its start, so
   * the store is as fresh as the day it runs on.
   */
  until: Date;
  years?: number; // length of the history, default 3
  /**
   * The share of checkouts abandoned (default 0.2): one checkout is completed into each order, and
   * this share of all checkouts is left without one.
   */
  abandonedCheckoutShare?: number;
}

/** The end of the history of the emulator's stores in tests that name none. */
export const TEST_HISTORY_END = new Date("2026-11-01T00:00:00Z");
const MINUTE = 60_000;
const DAY = 86_400_000;

export class GeneratedStore {
  readonly domain: string;
  readonly seed: number;
  readonly name: string;
  readonly email: string;
  readonly currencyCode = "USD";
  readonly ianaTimezone = "America/New_York";
  /** scopes granted to the app on this shop (the emulator sets it from its options) */
  scopes = "read_customers,write_customers,read_orders,read_all_orders,read_products,write_marketing_events";
  /** the customers of the generated history; those created live come after them */
  readonly generatedCustomerCount: number;
  private readonly liveCustomers: LiveCustomers;
  /** every metafield of the shop (customers', the shop's, the app installation's) */
  readonly metafields = new MetafieldRecords();
  /** the orders of the generated history; those placed live come after them */
  readonly generatedOrderCount: number;
  private readonly productList: ProductRecord[];
  readonly startMs: number;
  readonly untilMs: number;
  private timelineCache: Timeline | undefined;
  private aggregates: { updatedMs: Float64Array; spent: Float64Array; count: Uint32Array; last: Float64Array } | undefined;
  private readonly patches = new Map<number, CustomerPatch & { updatedAt: string }>();
  readonly abandonedCheckoutCount: number;
  /** checkouts changed since generated, and those started live (indices from the generated ones on) */
  private readonly checkoutChanges = new Map<number, CheckoutRecord>();
  private liveCheckouts = 0;
  /** orders placed live (indices from the generated ones on), and generated ones changed since */
  private readonly live: LiveOrders;

  constructor(args: GenerateStoreArgs) {
    if (!Number.isSafeInteger(args.customers) || args.customers < 0) throw new Error("customers must be a non-negative integer");
    this.domain = args.domain;
    this.seed = (args.seed ?? 1) >>> 0;
    this.generatedCustomerCount = args.customers;
    this.liveCustomers = new LiveCustomers(args.customers);
    this.generatedOrderCount = args.orders ?? args.customers * 3;
    this.live = new LiveOrders(this.generatedOrderCount);
    this.untilMs = args.until.getTime();
    if (!Number.isFinite(this.untilMs)) throw new Error("until must be a valid date");
    this.startMs = this.untilMs - Math.round((args.years ?? 3) * 365 * DAY);
    const handle = args.domain.replace(/\.myshopify\.com$/, "");
    this.name = handle.replace(/[-_]+/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());
    this.email = `owner@${handle}.example`;
    this.productList = generateProducts(this.seed, args.products ?? 40, this.startMs - 30 * DAY);
    const share = args.abandonedCheckoutShare ?? 0.2;
    if (!(share >= 0 && share < 1)) throw new Error("abandonedCheckoutShare must be in [0, 1)");
    this.abandonedCheckoutCount = Math.round((this.generatedOrderCount * share) / (1 - share));
  }

  /** The shop's numeric id (gid://shopify/Shop/<id>). */
  get legacyShopId(): number {
    return 1000 + (this.seed % 100000);
  }

  get products(): readonly ProductRecord[] {
    return this.productList;
  }

  /** Generated customers, then those created live. */
  get customerCount(): number {
    return this.generatedCustomerCount + this.liveCustomers.count;
  }

  /** Generated orders, then those placed live. */
  get orderCount(): number {
    return this.generatedOrderCount + this.live.placedCount;
  }

  get timeline(): Timeline {
    this.timelineCache ??= buildTimeline(this.seed, this.generatedCustomerCount, this.generatedOrderCount, this.startMs, this.untilMs);
    return this.timelineCache;
  }

  /** One pass over all orders (economics only) for numberOfOrders, amountSpent and updatedAt. */
  private get agg(): NonNullable<GeneratedStore["aggregates"]> {
    if (this.aggregates) return this.aggregates;
    const t = this.timeline;
    const n = this.generatedCustomerCount;
    const a = { updatedMs: new Float64Array(n), spent: new Float64Array(n), count: new Uint32Array(n), last: new Float64Array(n).fill(-1) };
    for (let j = 0; j < this.generatedOrderCount; j++) {
      const c = t.orderCustomer[j] ?? -1;
      if (c < 0) continue;
      const eco = orderEconomics(this.seed, j, this.products);
      if (eco.test) continue;
      a.count[c] = (a.count[c] ?? 0) + 1;
      if (!eco.cancelled) a.spent[c] = (a.spent[c] ?? 0) + eco.totalMinor;
      a.last[c] = this.startMs + (t.orderMinute[j] ?? 0) * MINUTE;
    }
    for (let i = 0; i < n; i++) {
      const created = customerCreatedMs(i, n, this.startMs, this.untilMs, this.seed);
      const last = a.last[i] ?? -1;
      const bump = Math.floor(Rng.for(this.seed, 6, i).next() * 2 * DAY);
      a.updatedMs[i] = Math.min(this.untilMs, Math.max(created, last) + bump);
    }
    this.aggregates = a;
    return a;
  }

  /** Customer i's aggregates: the generated history's, with what live orders changed. */
  customerAggregates(i: number): CustomerAggregates {
    return this.live.aggregates(i, this.generatedAggregates(i));
  }

  private generatedAggregates(i: number): CustomerAggregates {
    const created = this.liveCustomers.get(i);
    if (created) return noOrders(Date.parse(created.createdAt), this.untilMs);
    const a = this.agg;
    const last = a.last[i] ?? -1;
    return {
      createdMs: customerCreatedMs(i, this.generatedCustomerCount, this.startMs, this.untilMs, this.seed),
      updatedMs: a.updatedMs[i] ?? 0,
      orders: a.count[i] ?? 0,
      spentMinor: a.spent[i] ?? 0,
      lastOrderMs: last < 0 ? null : last,
      untilMs: this.untilMs,
    };
  }

  customer(i: number): CustomerRecord {
    if (!Number.isInteger(i) || i < 0 || i >= this.customerCount) throw new RangeError(`no customer ${i}`);
    // drawn from the generated history (or as created live); live orders change only what orders decide
    const generated = this.liveCustomers.get(i) ?? buildCustomer(this.seed, i, this.generatedAggregates(i), this.currencyCode);
    const record =
      this.live.touchedMs(i) === undefined ? generated : { ...generated, ...orderDerivedFields(this.customerAggregates(i), this.currencyCode) };
    const patch = this.patches.get(i);
    return patch ? { ...record, ...patch, updatedAt: new Date(this.customerUpdatedMs(i)).toISOString() } : record;
  }

  customerCreatedMs(i: number): number {
    const created = this.liveCustomers.get(i);
    if (created) return Date.parse(created.createdAt);
    return customerCreatedMs(i, this.generatedCustomerCount, this.startMs, this.untilMs, this.seed);
  }
  customerUpdatedMs(i: number): number {
    const patch = this.patches.get(i);
    const created = this.liveCustomers.get(i);
    const updated = patch ? Date.parse(patch.updatedAt) : created ? Date.parse(created.updatedAt) : (this.agg.updatedMs[i] ?? 0);
    return Math.max(updated, this.live.touchedMs(i) ?? updated);
  }

  /** Indices of customer i's orders, oldest first (those placed live among them). */
  ordersOf(i: number): number[] {
    const t = this.timeline;
    const generated = i < this.generatedCustomerCount ? Array.from(t.customerOrders.subarray(t.offsets[i] ?? 0, t.offsets[i + 1] ?? 0)) : [];
    const placed = this.live.placedOf(i);
    if (placed.length === 0) return generated;
    return [...generated, ...placed].sort((a, b) => this.orderCreatedMs(a) - this.orderCreatedMs(b) || a - b);
  }

  order(j: number): OrderRecord {
    if (!Number.isInteger(j) || j < 0 || j >= this.orderCount) throw new RangeError(`no order ${j}`);
    const live = this.live.get(j);
    if (live) return live;
    const t = this.timeline;
    const c = t.orderCustomer[j] ?? -1;
    const customer = c >= 0 ? this.customer(c) : null;
    return buildOrder(j, {
      seed: this.seed,
      domain: this.domain,
      shopId: this.legacyShopId,
      currencyCode: this.currencyCode,
      products: this.products,
      createdMs: this.startMs + (t.orderMinute[j] ?? 0) * MINUTE,
      untilMs: this.untilMs,
      customerIndex: c >= 0 ? c : null,
      customerOrderIndex: c >= 0 ? this.ordersOf(c).indexOf(j) + 1 : null,
      email: customer?.email ?? null,
      phone: customer?.phone ?? null,
    });
  }

  orderCreatedMs(j: number): number {
    if (j >= this.generatedOrderCount) return Date.parse(this.order(j).createdAt);
    return this.startMs + (this.timeline.orderMinute[j] ?? 0) * MINUTE;
  }
  /** order j as placed or changed live; undefined: as generated */
  liveOrder(j: number): OrderRecord | undefined {
    return this.live.get(j);
  }
  /** the customer of order j, null: a guest's */
  orderCustomerIndex(j: number): number | null {
    if (j >= this.generatedOrderCount) return this.order(j)._customerIndex;
    const c = this.timeline.orderCustomer[j] ?? -1;
    return c < 0 ? null : c;
  }

  /** A shopper places an order (see PlaceOrderArgs): appended after every order so far. */
  placeOrder(args: PlaceOrderArgs & { at: Date }): OrderRecord {
    const customer = args.customerIndex === null ? null : this.customer(args.customerIndex);
    const context = { seed: this.seed, domain: this.domain, shopId: this.legacyShopId, currencyCode: this.currencyCode, products: this.products };
    const customerOrderIndex = customer && !args.test ? this.customerAggregates(customer._index).orders + 1 : null;
    const record = buildLiveOrder(this.orderCount, this.live.placedCount, args, { ...context, customer, customerOrderIndex });
    this.live.add(record);
    return record;
  }
  /** Cancels order j (generated or live) and refunds what is left of it; bumps updatedAt like Shopify. */
  cancelOrder(j: number, at: Date, reason: OrderCancelReason = "CUSTOMER"): OrderRecord {
    const before = this.order(j);
    const after = cancelledOrder(before, at, reason);
    this.live.replace(before, after);
    return after;
  }
  /** Refunds amountMinor of order j; its current total goes down by as much. */
  refundOrder(j: number, amountMinor: number, at: Date): OrderRecord {
    const before = this.order(j);
    const after = refundedOrder(before, amountMinor, at);
    this.live.replace(before, after);
    return after;
  }

  customerLegacyId(i: number): number {
    return CUSTOMER_ID_BASE + i + 1;
  }
  orderLegacyId(j: number): number {
    return ORDER_ID_BASE + j + 1;
  }
  customerIndexOf(legacyId: number): number | undefined {
    const i = legacyId - CUSTOMER_ID_BASE - 1;
    return Number.isInteger(i) && i >= 0 && i < this.customerCount ? i : undefined;
  }
  orderIndexOf(legacyId: number): number | undefined {
    const j = legacyId - ORDER_ID_BASE - 1;
    return Number.isInteger(j) && j >= 0 && j < this.orderCount ? j : undefined;
  }
  productIndexOf(legacyId: number): number | undefined {
    const k = legacyId - PRODUCT_ID_BASE - 1;
    return Number.isInteger(k) && k >= 0 && k < this.products.length ? k : undefined;
  }
  variantOf(legacyId: number): VariantRecord | undefined {
    if (legacyId <= VARIANT_ID_BASE) return undefined;
    for (const p of this.products) for (const v of p.variants) if (v.legacyResourceId === String(legacyId)) return v;
    return undefined;
  }

  /** customerCreate: appended after every customer so far (index and legacy id after theirs). */
  createCustomer(input: NewCustomer, at: Date): CustomerRecord {
    const i = this.customerCount;
    this.liveCustomers.add(newCustomerRecord(i, this.customerLegacyId(i), input, at, this.currencyCode, this.untilMs));
    return this.customer(i);
  }
  /** The customers with this email (any case) or E.164 phone, oldest first. */
  customersByContact(kind: "email" | "phone", value: string): readonly number[] {
    return this.liveCustomers.lookup(kind, value, this.customerCount, (i) => this.customer(i));
  }

  /** Applies a mutation's change; bumps updatedAt like Shopify does. */
  updateCustomer(i: number, patch: CustomerPatch, at: Date): CustomerRecord {
    this.customer(i); // range check
    const merged = { ...this.patches.get(i), ...patch, updatedAt: at.toISOString() };
    this.patches.set(i, merged);
    if ("email" in patch || "phone" in patch) this.liveCustomers.contactsChanged();
    return this.customer(i);
  }

  /** Applies a change to product k (its status, or every variant's stock); bumps updatedAt like Shopify. */
  updateProduct(k: number, patch: ProductPatch, at: Date): ProductRecord {
    const current = this.productList[k];
    if (!current) throw new RangeError(`no product ${k}`);
    const updatedAt = at.toISOString();
    const quantity = patch.inventoryQuantity;
    const variants =
      quantity === undefined
        ? current.variants
        : current.variants.map((v) => ({ ...v, inventoryQuantity: quantity, availableForSale: quantity > 0, updatedAt }));
    const status = patch.status ?? current.status;
    const next: ProductRecord = {
      ...current,
      status,
      publishedAt: status === "ACTIVE" ? (current.publishedAt ?? updatedAt) : null,
      variants,
      totalInventory: variants.reduce((sum, v) => sum + v.inventoryQuantity, 0),
      hasOutOfStockVariants: variants.some((v) => v.inventoryQuantity <= 0),
      updatedAt,
    };
    this.productList[k] = next;
    return next;
  }

  private get checkoutContext(): CheckoutContext {
    return {
      seed: this.seed,
      domain: this.domain,
      shopId: this.legacyShopId,
      currencyCode: this.currencyCode,
      products: this.products,
      startMs: this.startMs,
      untilMs: this.untilMs,
    };
  }

  /** Generated checkouts (completed ones, then abandoned ones) and those started live since. */
  get checkoutCount(): number {
    return this.generatedOrderCount + this.abandonedCheckoutCount + this.liveCheckouts;
  }

  /** Checkout k: completed into order k below the order count, abandoned (or started live) above. */
  checkout(k: number): CheckoutRecord {
    if (!Number.isInteger(k) || k < 0 || k >= this.checkoutCount) throw new RangeError(`no checkout ${k}`);
    const changed = this.checkoutChanges.get(k);
    if (changed) return changed;
    if (k < this.generatedOrderCount) {
      const order = this.order(k);
      const customer = order._customerIndex === null ? null : this.customer(order._customerIndex);
      return buildCheckout(k, completedCheckoutSpec(this.seed, order, customer, this.startMs), this.checkoutContext);
    }
    const a = k - this.generatedOrderCount;
    const draw = drawAbandoned(this.seed, a, this.checkoutContext, {
      count: this.generatedCustomerCount,
      createdMs: (i) => this.customerCreatedMs(i),
    });
    const customer = draw.customerIndex === null ? null : this.customer(draw.customerIndex);
    // an abandoned checkout has a contact: a customer without an email leaves it as a guest would
    const contact = customer?.email ? customer : null;
    return buildCheckout(
      k,
      {
        createdMs: draw.createdMs,
        updatedMs: draw.updatedMs,
        completedMs: null,
        customer: contact,
        guestEmail: contact ? null : `guest-${a}@checkout.example`,
        orderIndex: null,
        lines: draw.lines,
      },
      this.checkoutContext,
    );
  }

  checkoutLegacyId(k: number): number {
    return CHECKOUT_ID_BASE + k + 1;
  }
  checkoutIndexOf(legacyId: number): number | undefined {
    const k = legacyId - CHECKOUT_ID_BASE - 1;
    return Number.isInteger(k) && k >= 0 && k < this.checkoutCount ? k : undefined;
  }

  /** The checkouts Shopify lists as abandoned (recovered ones included): not those completed into an order at once. */
  abandonedCheckoutIndices(): number[] {
    return Array.from({ length: this.checkoutCount - this.generatedOrderCount }, (_, a) => this.generatedOrderCount + a);
  }

  get checkouts(): LazyList<CheckoutRecord> {
    return new LazyList(this.checkoutCount, (k) => this.checkout(k));
  }

  /** A shopper starts a checkout now (a customer's, or a guest's with an email); it is not completed. */
  startCheckout(args: { customerIndex: number | null; lines: readonly CartLine[]; at: Date; guestEmail?: string }): CheckoutRecord {
    const customer = args.customerIndex === null ? null : this.customer(args.customerIndex);
    const k = this.checkoutCount;
    const atMs = args.at.getTime();
    const record = buildCheckout(
      k,
      {
        createdMs: atMs,
        updatedMs: atMs,
        completedMs: null,
        customer,
        guestEmail: customer ? null : (args.guestEmail ?? `guest-live-${k}@checkout.example`),
        orderIndex: null,
        lines: args.lines,
      },
      this.checkoutContext,
    );
    this.liveCheckouts += 1;
    this.checkoutChanges.set(k, record);
    return record;
  }

  /** Changes checkout k's cart or completes it; bumps updatedAt like Shopify. */
  updateCheckout(k: number, patch: CheckoutPatch, at: Date): CheckoutRecord {
    const current = this.checkout(k);
    const spec: CheckoutSpec = {
      createdMs: Date.parse(current.createdAt),
      updatedMs: at.getTime(),
      completedMs: patch.completed === true ? at.getTime() : current.completedAt === null ? null : Date.parse(current.completedAt),
      customer: current._customerIndex === null ? null : this.customer(current._customerIndex),
      guestEmail: current._customerIndex === null ? current._email : null,
      orderIndex: current._orderIndex,
      lines:
        patch.lines ??
        current.lineItems.map((li) => ({ productIndex: li._productIndex, variantIndex: li._variantIndex, quantity: li.quantity })),
    };
    const record = buildCheckout(k, spec, this.checkoutContext);
    this.checkoutChanges.set(k, record);
    return record;
  }

  /** All customers, built on access (a million would not fit in memory as objects). */
  get customers(): LazyList<CustomerRecord> {
    return new LazyList(this.customerCount, (i) => this.customer(i));
  }
  get orders(): LazyList<OrderRecord> {
    return new LazyList(this.orderCount, (j) => this.order(j));
  }
  get shop(): { name: string; email: string; myshopifyDomain: string; currencyCode: string; ianaTimezone: string } {
    return { name: this.name, email: this.email, myshopifyDomain: this.domain, currencyCode: this.currencyCode, ianaTimezone: this.ianaTimezone };
  }
}

export class LazyList<T> implements Iterable<T> {
  constructor(readonly length: number, private readonly get: (index: number) => T) {}
  at(index: number): T | undefined {
    const i = index < 0 ? this.length + index : index;
    return i >= 0 && i < this.length ? this.get(i) : undefined;
  }
  slice(from = 0, to = this.length): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, from); i < Math.min(this.length, to); i++) out.push(this.get(i));
    return out;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

export function generateStore(args: GenerateStoreArgs): GeneratedStore {
  return new GeneratedStore(args);
}
