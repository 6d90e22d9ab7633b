import { parseMinor } from "./money";
import { orderEconomics } from "./orders";
import type { GeneratedStore } from "./store";
import type { EmailMarketingState } from "./types";

export interface StoreSummary {
  customers: number;
  orders: number;
  guestOrders: number;
  testOrders: number;
  cancelledOrders: number;
  discountedOrders: number;
  /** not test, not cancelled, has a customer */
  countedOrders: number;
  customersWithCountedOrders: number;
  countedRevenueMinor: number;
  emailConsent: Record<EmailMarketingState | "NONE", number>;
  smsConsent: Record<EmailMarketingState | "NONE", number>;
}

/** The truth the app's numbers are compared against. Walks the whole store once. */
export function summarizeStore(store: GeneratedStore): StoreSummary {
  const t = store.timeline;
  const counted = new Uint8Array(store.customerCount);
  const s: StoreSummary = {
    customers: store.customerCount,
    orders: store.orderCount,
    guestOrders: 0,
    testOrders: 0,
    cancelledOrders: 0,
    discountedOrders: 0,
    countedOrders: 0,
    customersWithCountedOrders: 0,
    countedRevenueMinor: 0,
    emailConsent: { SUBSCRIBED: 0, NOT_SUBSCRIBED: 0, UNSUBSCRIBED: 0, PENDING: 0, NONE: 0 },
    smsConsent: { SUBSCRIBED: 0, NOT_SUBSCRIBED: 0, UNSUBSCRIBED: 0, PENDING: 0, NONE: 0 },
  };
  for (let j = 0; j < store.orderCount; j++) {
    // an order placed or changed live is read from its record, a generated one from its economics
    const live = store.liveOrder(j);
    const eco = live ? undefined : orderEconomics(store.seed, j, store.products);
    const c = live ? (live._customerIndex ?? -1) : (t.orderCustomer[j] ?? -1);
    const test = live ? live.test : eco?.test === true;
    const cancelled = live ? live.cancelledAt !== null : eco?.cancelled === true;
    if (c < 0) s.guestOrders++;
    if (test) s.testOrders++;
    if (cancelled) s.cancelledOrders++;
    if ((live ? live._discountMinor : (eco?.discountMinor ?? 0)) > 0) s.discountedOrders++;
    if (c >= 0 && !test && !cancelled) {
      s.countedOrders++;
      s.countedRevenueMinor += live
        ? parseMinor(live.currentTotalPriceSet.shopMoney.amount)
        : (eco?.totalMinor ?? 0);
      counted[c] = 1;
    }
  }
  for (let i = 0; i < store.customerCount; i++) {
    if (counted[i]) s.customersWithCountedOrders++;
    const customer = store.customer(i);
    s.emailConsent[customer.emailMarketingConsent?.marketingState ?? "NONE"]++;
    s.smsConsent[customer.smsMarketingConsent?.marketingState ?? "NONE"]++;
  }
  return s;
}
