import type { OrderRow } from "./rows";

/** What RFM reads of a customer: derived from counted orders only. */
export interface CustomerAggregates {
  orderCount: number;
  spendMinor: bigint;
  discountedOrderCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
}

export const EMPTY_AGGREGATES: CustomerAggregates = {
  orderCount: 0,
  spendMinor: 0n,
  discountedOrderCount: 0,
  firstOrderAt: null,
  lastOrderAt: null,
};

type CountableOrder = Pick<OrderRow, "test" | "cancelledAt" | "customerId">;

/** A test order, a cancelled order or a guest order never counts toward a customer. */
export function isCountedOrder(order: CountableOrder): boolean {
  return !order.test && order.cancelledAt === null && order.customerId !== null;
}

/** Folds one order into a customer's aggregates (the order must be counted and theirs). */
export function addOrder(
  aggregates: CustomerAggregates,
  order: Pick<OrderRow, "totalMinor" | "discountMinor" | "shopifyCreatedAt">,
): CustomerAggregates {
  const at = order.shopifyCreatedAt;
  return {
    orderCount: aggregates.orderCount + 1,
    spendMinor: aggregates.spendMinor + order.totalMinor,
    discountedOrderCount: aggregates.discountedOrderCount + (order.discountMinor > 0n ? 1 : 0),
    firstOrderAt: aggregates.firstOrderAt && aggregates.firstOrderAt <= at ? aggregates.firstOrderAt : at,
    lastOrderAt: aggregates.lastOrderAt && aggregates.lastOrderAt >= at ? aggregates.lastOrderAt : at,
  };
}

/** The reference computation: every customer's aggregates from a set of orders. */
export function aggregateOrders(orders: Iterable<OrderRow>): Map<bigint, CustomerAggregates> {
  const byCustomer = new Map<bigint, CustomerAggregates>();
  for (const order of orders) {
    if (!isCountedOrder(order) || order.customerId === null) continue;
    byCustomer.set(order.customerId, addOrder(byCustomer.get(order.customerId) ?? EMPTY_AGGREGATES, order));
  }
  return byCustomer;
}
