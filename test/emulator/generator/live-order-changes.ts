import { moneyBag, parseMinor } from "./money";
import type { CustomerAggregates } from "./customers";
import type { OrderCancelReason, OrderRecord } from "./types";

// Changes to orders after they were placed (cancellations, refunds), and the bookkeeping of orders
// placed or changed live: what they add to their customers' numberOfOrders, amountSpent and
// updatedAt on top of the generated history's aggregates.

const currentMinor = (o: OrderRecord): number => parseMinor(o.currentTotalPriceSet.shopMoney.amount);

/** The order cancelled and refunded in full: nothing left of its lines or its total. */
export function cancelledOrder(o: OrderRecord, at: Date, reason: OrderCancelReason): OrderRecord {
  if (o.cancelledAt !== null) throw new Error(`order ${o.name} is already cancelled`);
  const when = at.toISOString();
  return {
    ...o,
    cancelledAt: when,
    cancelReason: reason,
    updatedAt: when,
    displayFinancialStatus: "REFUNDED",
    currentTotalPriceSet: moneyBag(0, o.currencyCode),
    currentTotalDiscountsSet: moneyBag(0, o.currencyCode),
    lineItems: o.lineItems.map((li) => ({ ...li, currentQuantity: 0 })),
  };
}

/** The order with `amountMinor` refunded: its current total lowered, partly or wholly refunded. */
export function refundedOrder(o: OrderRecord, amountMinor: number, at: Date): OrderRecord {
  if (o.cancelledAt !== null) throw new Error(`order ${o.name} is cancelled`);
  const current = currentMinor(o);
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > current)
    throw new RangeError(`refund must be 1 to ${current} minor units`);
  const left = current - amountMinor;
  return {
    ...o,
    updatedAt: at.toISOString(),
    displayFinancialStatus: left === 0 ? "REFUNDED" : "PARTIALLY_REFUNDED",
    currentTotalPriceSet: moneyBag(left, o.currencyCode),
  };
}

/**
 * What an order adds to its customer, as Shopify counts: test orders nothing, a cancelled order one
 * order and no spend, any other its current total (net of refunds). For a generated order this is
 * what the store's aggregates add (its current total is its total).
 */
function contribution(o: OrderRecord): { orders: number; spentMinor: number } {
  if (o.test) return { orders: 0, spentMinor: 0 };
  return { orders: 1, spentMinor: o.cancelledAt === null ? currentMinor(o) : 0 };
}

interface Adjustment {
  orders: number;
  spentMinor: number;
  lastOrderMs: number | null;
  /** the latest change of the customer's orders: their updatedAt goes on to it */
  touchedMs: number;
  placed: number[];
}

/** The orders placed live and the generated ones changed since, and what they do to their customers. */
export class LiveOrders {
  private readonly placed: OrderRecord[] = [];
  private readonly changed = new Map<number, OrderRecord>();
  private readonly byCustomer = new Map<number, Adjustment>();

  constructor(private readonly generatedCount: number) {}

  get placedCount(): number {
    return this.placed.length;
  }

  /** order j as placed or changed live; undefined: as generated */
  get(j: number): OrderRecord | undefined {
    return j >= this.generatedCount ? this.placed[j - this.generatedCount] : this.changed.get(j);
  }

  add(record: OrderRecord): void {
    if (record._index !== this.generatedCount + this.placed.length)
      throw new Error("orders are placed in index order");
    this.placed.push(record);
    this.adjust(undefined, record);
  }

  replace(before: OrderRecord, after: OrderRecord): void {
    const j = after._index;
    if (j >= this.generatedCount) this.placed[j - this.generatedCount] = after;
    else this.changed.set(j, after);
    this.adjust(before, after);
  }

  private adjust(before: OrderRecord | undefined, after: OrderRecord): void {
    const c = after._customerIndex;
    if (c === null) return;
    const a = this.byCustomer.get(c) ?? {
      orders: 0,
      spentMinor: 0,
      lastOrderMs: null,
      touchedMs: 0,
      placed: [],
    };
    const was = before ? contribution(before) : { orders: 0, spentMinor: 0 };
    const now = contribution(after);
    a.orders += now.orders - was.orders;
    a.spentMinor += now.spentMinor - was.spentMinor;
    if (!before) {
      a.placed.push(after._index);
      if (!after.test) a.lastOrderMs = Math.max(a.lastOrderMs ?? 0, Date.parse(after.createdAt));
    }
    a.touchedMs = Math.max(a.touchedMs, Date.parse(after.updatedAt));
    this.byCustomer.set(c, a);
  }

  /** indices of the orders customer i placed live, in the order placed */
  placedOf(i: number): readonly number[] {
    return this.byCustomer.get(i)?.placed ?? [];
  }

  /** when customer i's orders last changed live; undefined: never */
  touchedMs(i: number): number | undefined {
    return this.byCustomer.get(i)?.touchedMs;
  }

  /** customer i's aggregates from the generated history, with what live orders changed */
  aggregates(i: number, generated: CustomerAggregates): CustomerAggregates {
    const a = this.byCustomer.get(i);
    if (!a) return generated;
    const last = Math.max(generated.lastOrderMs ?? -1, a.lastOrderMs ?? -1);
    return {
      ...generated,
      orders: generated.orders + a.orders,
      spentMinor: generated.spentMinor + a.spentMinor,
      lastOrderMs: last < 0 ? null : last,
      updatedMs: Math.max(generated.updatedMs, a.touchedMs),
    };
  }
}
