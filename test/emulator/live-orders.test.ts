import { describe, expect, it } from "vitest";
import { orderRowFromPayload } from "~/sync/webhooks/payloads";
import {
  formatMinor,
  generateStore,
  orderPayload,
  parseMinor,
  summarizeStore,
  TEST_HISTORY_END,
  type GeneratedStore,
} from "./index";

// Orders placed live: appended after the generated history, priced by the generator's own rules,
// counted for their customer, and read back by the app as placed (landing page and UTM included).

const AT = new Date("2026-11-20T15:30:00Z");
const LANDING =
  "https://shop.example/products/x?utm_source=holiday-segments&utm_medium=email&utm_campaign=bf";
const make = (): GeneratedStore =>
  generateStore({
    domain: "live.myshopify.com",
    seed: 11,
    customers: 80,
    products: 12,
    until: TEST_HISTORY_END,
  });
const buyer = (store: GeneratedStore): number => {
  const i = [...store.customers].findIndex((c) => c.email !== null && Number(c.numberOfOrders) >= 1);
  if (i < 0) throw new Error("no customer with orders");
  return i;
};
const cart = [
  { productIndex: 2, variantIndex: 0, quantity: 2 },
  { productIndex: 5, variantIndex: 0, quantity: 1 },
];

describe("placing an order", () => {
  it("appends it after the generated orders: next index, name and id, the customer's contact, the store's currency", () => {
    const store = make();
    const generated = store.generatedOrderCount;
    const lastGenerated = store.order(generated - 1);
    const i = buyer(store);
    const order = store.placeOrder({ customerIndex: i, lines: cart, at: AT, landingSite: LANDING });
    expect(order._index).toBe(generated);
    expect(store.orderCount).toBe(generated + 1);
    expect(order.name).toBe(`#${Number(lastGenerated.name.slice(1)) + 1}`);
    expect(Number(order.legacyResourceId)).toBeGreaterThan(Number(lastGenerated.legacyResourceId));
    expect(new Set([...store.orders].map((o) => o.id)).size).toBe(store.orderCount);
    expect(new Set([...store.orders].flatMap((o) => o.lineItems.map((li) => li.id))).size).toBe(
      [...store.orders].reduce((n, o) => n + o.lineItems.length, 0),
    );
    expect(store.orderIndexOf(Number(order.legacyResourceId))).toBe(order._index);
    expect(store.order(order._index)).toEqual(order);
    expect(store.orders.at(-1)).toEqual(order);
    expect([order.createdAt, order.processedAt, order.updatedAt]).toEqual(Array(3).fill(AT.toISOString()));
    const customer = store.customer(i);
    expect([order.email, order.phone, order.currencyCode]).toEqual([
      customer.email,
      customer.phone,
      store.currencyCode,
    ]);
    expect(store.ordersOf(i).at(-1)).toBe(order._index);
    expect(store.orderCustomerIndex(order._index)).toBe(i);
  });

  it("prices the cart at the catalogue's prices; discount codes take 10% off, spread over the lines", () => {
    const store = make();
    const plain = store.placeOrder({ customerIndex: null, lines: cart, at: AT });
    const coded = store.placeOrder({ customerIndex: null, lines: cart, at: AT, discountCodes: ["BFCM20"] });
    const subtotal = cart.reduce(
      (s, l) => s + (store.products[l.productIndex]?.variants[l.variantIndex]?._priceMinor ?? 0) * l.quantity,
      0,
    );
    expect(
      plain.lineItems.map((li) => [
        li.title,
        li.quantity,
        parseMinor(li.originalUnitPriceSet.shopMoney.amount),
      ]),
    ).toEqual(
      cart.map((l) => [
        store.products[l.productIndex]?.title,
        l.quantity,
        store.products[l.productIndex]?.variants[l.variantIndex]?._priceMinor,
      ]),
    );
    expect([plain._totalMinor, plain._discountMinor, plain.discountCodes]).toEqual([subtotal, 0, []]);
    const discount = Math.max(1, Math.round(subtotal / 10));
    expect([coded._totalMinor, coded._discountMinor, coded.discountCode, coded.discountCodes]).toEqual([
      subtotal - discount,
      discount,
      "BFCM20",
      ["BFCM20"],
    ]);
    expect(coded.lineItems.reduce((s, li) => s + parseMinor(li.totalDiscountSet.shopMoney.amount), 0)).toBe(
      discount,
    );
    expect(parseMinor(coded.subtotalPriceSet.shopMoney.amount)).toBe(subtotal - discount);
    expect(parseMinor(coded.totalDiscountsSet.shopMoney.amount)).toBe(discount);
    expect(() =>
      store.placeOrder({
        customerIndex: null,
        lines: [{ productIndex: 99, variantIndex: 0, quantity: 1 }],
        at: AT,
      }),
    ).toThrow(RangeError);
    expect(() => store.placeOrder({ customerIndex: null, lines: [], at: AT })).toThrow(RangeError);
    expect(() => store.placeOrder({ customerIndex: 80, lines: cart, at: AT })).toThrow(RangeError);
    expect(store.orderCount).toBe(store.generatedOrderCount + 2);
  });

  it("counts for the customer like Shopify: one more order, the total spent, the last order; nothing else of them changes", () => {
    const store = make();
    const i = buyer(store);
    const before = store.customer(i);
    const order = store.placeOrder({ customerIndex: i, lines: cart, at: AT });
    const after = store.customer(i);
    expect(Number(after.numberOfOrders)).toBe(Number(before.numberOfOrders) + 1);
    expect(after._amountSpentMinor).toBe(before._amountSpentMinor + order._totalMinor);
    expect(after.amountSpent.amount).toBe(formatMinor(before._amountSpentMinor + order._totalMinor));
    expect(after.updatedAt).toBe(AT.toISOString());
    expect(store.customerUpdatedMs(i)).toBe(AT.getTime());
    expect(store.customerAggregates(i).lastOrderMs).toBe(AT.getTime());
    const {
      updatedAt: _u,
      amountSpent: _a,
      numberOfOrders: _n,
      statistics: _s,
      _amountSpentMinor: _m,
      ...rest
    } = after;
    const {
      updatedAt: _u2,
      amountSpent: _a2,
      numberOfOrders: _n2,
      statistics: _s2,
      _amountSpentMinor: _m2,
      ...restBefore
    } = before;
    expect(rest).toEqual(restBefore);
    expect(order.customerJourneySummary?.customerOrderIndex).toBe(Number(before.numberOfOrders) + 1);
    // a test order counts for nothing
    store.placeOrder({ customerIndex: i, lines: cart, at: AT, test: true });
    expect(store.customer(i).numberOfOrders).toBe(after.numberOfOrders);
  });

  it("cancels and refunds: the current total goes down, the financial status follows, spend is net", () => {
    const store = make();
    const i = buyer(store);
    const spent = store.customer(i)._amountSpentMinor;
    const order = store.placeOrder({ customerIndex: i, lines: cart, at: AT });
    const partly = store.refundOrder(order._index, 100, new Date(AT.getTime() + 60_000));
    expect([partly.displayFinancialStatus, parseMinor(partly.currentTotalPriceSet.shopMoney.amount)]).toEqual(
      ["PARTIALLY_REFUNDED", order._totalMinor - 100],
    );
    expect(store.customer(i)._amountSpentMinor).toBe(spent + order._totalMinor - 100);
    expect(() => store.refundOrder(order._index, order._totalMinor, AT)).toThrow(RangeError);
    const cancelled = store.cancelOrder(order._index, new Date(AT.getTime() + 120_000));
    expect([
      cancelled.cancelReason,
      cancelled.displayFinancialStatus,
      cancelled.currentTotalPriceSet.shopMoney.amount,
    ]).toEqual(["CUSTOMER", "REFUNDED", "0.0"]);
    expect(cancelled.lineItems.every((li) => li.currentQuantity === 0)).toBe(true);
    // a cancelled order still counts as an order, and spends nothing
    expect(store.customer(i)._amountSpentMinor).toBe(spent);
    expect(store.customer(i).numberOfOrders).toBe(
      String(store.ordersOf(i).filter((k) => !store.order(k).test).length),
    );
    // a generated order can be refunded too; its customer's spend follows
    const j = store
      .ordersOf(i)
      .find(
        (k) => k < store.generatedOrderCount && store.order(k).cancelledAt === null && !store.order(k).test,
      );
    if (j === undefined) throw new Error("no generated order to refund");
    store.refundOrder(j, 1, new Date(AT.getTime() + 180_000));
    expect(store.customer(i)._amountSpentMinor).toBe(spent - 1);
    expect(summarizeStore(store).cancelledOrders).toBe(summarizeStore(make()).cancelledOrders + 1);
  });

  it("leaves the generated store as the same seed makes it, and places the same order the same way", () => {
    const a = make();
    const b = make();
    const placed = a.placeOrder({ customerIndex: buyer(a), lines: cart, at: AT, landingSite: LANDING });
    expect(a.order(placed._index)).toEqual(
      b.placeOrder({ customerIndex: buyer(b), lines: cart, at: AT, landingSite: LANDING }),
    );
    // the same seed with and without an order placed: every generated record the same
    const c = make();
    const i = buyer(c);
    c.placeOrder({ customerIndex: i, lines: cart, at: AT });
    const fresh = make();
    expect([...c.orders].slice(0, c.generatedOrderCount)).toEqual([...fresh.orders]);
    expect([...c.checkouts]).toEqual([...fresh.checkouts]);
    const others = (s: GeneratedStore) => [...s.customers].filter((customer) => customer._index !== i);
    expect(others(c)).toEqual(others(fresh));
    expect(summarizeStore(c).orders).toBe(summarizeStore(fresh).orders + 1);
  });
});

describe("the landing page round-trips through the app's readers", () => {
  const store = make();
  const i = buyer(store);

  it.each([
    [LANDING, LANDING],
    [
      "/collections/sale?utm_source=instagram&utm_medium=social",
      "https://live.example/collections/sale?utm_source=instagram&utm_medium=social",
    ],
  ])("%s", (landingSite, url) => {
    const order = store.placeOrder({
      customerIndex: i,
      lines: cart,
      at: AT,
      landingSite,
      discountCodes: ["VIP10"],
    });
    expect(order.landingPageUrl).toBe(url);
    const query = new URL(url).searchParams;
    const utm = {
      utmSource: query.get("utm_source"),
      utmMedium: query.get("utm_medium"),
      utmCampaign: query.get("utm_campaign"),
    };
    expect(order.customerJourneySummary?.firstVisit).toMatchObject({
      landingPage: url,
      utmParameters: { source: utm.utmSource, medium: utm.utmMedium, campaign: utm.utmCampaign },
    });
    const expected = {
      id: BigInt(order.legacyResourceId),
      customerId: BigInt(store.customerLegacyId(i)),
      totalMinor: order._totalMinor,
      discountMinor: order._discountMinor,
      discountCodes: ["VIP10"],
      landingPage: url,
      ...utm,
    };
    const row = orderRowFromPayload("orders/create", orderPayload(order, store.customer(i)));
    expect({
      ...row,
      totalMinor: Number(row.totalMinor),
      discountMinor: Number(row.discountMinor),
    }).toMatchObject(expected);
  });

  it("an order without a landing page has no first visit; a guest's without one has no journey", () => {
    expect(
      store.placeOrder({ customerIndex: i, lines: cart, at: AT }).customerJourneySummary?.firstVisit,
    ).toBeNull();
    expect(store.placeOrder({ customerIndex: null, lines: cart, at: AT }).customerJourneySummary).toBeNull();
    expect(() =>
      store.placeOrder({ customerIndex: null, lines: cart, at: AT, landingSite: "http://[bad" }),
    ).toThrow(RangeError);
  });
});
