import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { generateStore, parseMinor, summarizeStore, TEST_HISTORY_END } from "./index";

const zoneIsValid = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

describe("store generator", () => {
  it("is deterministic: same seed, same store, byte for byte", () => {
    const a = generateStore({ domain: "a.myshopify.com", seed: 42, customers: 300 , until: TEST_HISTORY_END });
    const b = generateStore({ domain: "a.myshopify.com", seed: 42, customers: 300 , until: TEST_HISTORY_END });
    expect(JSON.stringify([...a.customers, ...a.orders])).toBe(JSON.stringify([...b.customers, ...b.orders]));
    const c = generateStore({ domain: "a.myshopify.com", seed: 43, customers: 300 , until: TEST_HISTORY_END });
    expect(JSON.stringify([...c.customers])).not.toBe(JSON.stringify([...a.customers]));
  });

  it("has a realistic shape", () => {
    const store = generateStore({ domain: "shape.myshopify.com", seed: 1, customers: 5000 , until: TEST_HISTORY_END });
    const s = summarizeStore(store);
    expect(s.orders).toBe(15_000);
    expect(s.discountedOrders / s.orders).toBeGreaterThan(0.2);
    expect(s.discountedOrders / s.orders).toBeLessThan(0.3);
    expect(s.guestOrders).toBeGreaterThan(0);
    expect(s.customersWithCountedOrders).toBeLessThan(s.customers);
    const counts = [...Array(store.customerCount).keys()].map((i) => store.ordersOf(i).length);
    expect(counts.filter((k) => k === 1).length).toBeGreaterThan(counts.filter((k) => k >= 2).length);
    const zones = new Set([...store.customers].map((c) => c.defaultAddress?.timeZone).filter((z) => z !== undefined));
    expect(zones.size).toBeGreaterThanOrEqual(20);
    const totals = [...store.orders].map((o) => o._totalMinor).sort((x, y) => x - y);
    const median = totals[Math.floor(totals.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(1500);
    expect(median).toBeLessThan(40000);
    const q4 = [...store.orders].filter((o) => [10, 11].includes(new Date(o.createdAt).getUTCMonth())).length;
    expect(q4 / s.orders).toBeGreaterThan(2 / 12);
    for (const state of ["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"] as const) expect(s.emailConsent[state]).toBeGreaterThan(0);
  });

  it("keeps its invariants for any seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 60 }), (seed, customers) => {
        const store = generateStore({ domain: "p.myshopify.com", seed, customers, products: 8 , until: TEST_HISTORY_END });
        for (const o of store.orders) {
          expect(Number.isSafeInteger(o._totalMinor) && o._totalMinor >= 0).toBe(true);
          expect(parseMinor(o.currentTotalPriceSet.shopMoney.amount)).toBe(o._totalMinor);
          if (o.discountCodes.length > 0) expect(o._discountMinor).toBeGreaterThan(0);
          expect(o._discountMinor > 0).toBe(o.discountCodes.length > 0);
        }
        for (const c of store.customers) {
          expect(parseMinor(c.amountSpent.amount)).toBeGreaterThanOrEqual(0);
          if (c.defaultAddress) expect(zoneIsValid(c.defaultAddress.timeZone)).toBe(true);
          if (c.smsMarketingConsent) expect(c.phone).not.toBeNull();
          expect(Date.parse(c.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.createdAt));
        }
      }),
      { numRuns: 40 },
    );
  });

  it("has a catalogue: deterministic, some products sold out or not for sale, orders' line items naming them", () => {
    const a = generateStore({ domain: "c.myshopify.com", seed: 9, customers: 400, products: 40 , until: TEST_HISTORY_END });
    const b = generateStore({ domain: "c.myshopify.com", seed: 9, customers: 400, products: 40 , until: TEST_HISTORY_END });
    expect(JSON.stringify(a.products)).toBe(JSON.stringify(b.products));
    const soldOut = a.products.filter((p) => p.variants.every((v) => !v.availableForSale));
    expect(soldOut.length).toBeGreaterThan(0);
    expect(soldOut.length).toBeLessThan(a.products.length / 2);
    expect(a.products.some((p) => p.status !== "ACTIVE" && p.publishedAt === null)).toBe(true);
    expect(a.products.every((p) => p.status === "ACTIVE" || p.publishedAt === null)).toBe(true);
    expect(a.products.some((p) => p._imageUrl === null) && a.products.some((p) => p._imageUrl !== null)).toBe(true);
    for (const o of a.orders)
      for (const li of o.lineItems) {
        const product = a.products[li._productIndex];
        expect(li._productLegacyId).toBe(Number(product?.legacyResourceId));
        expect(li._variantLegacyId).toBe(Number(product?.variants[li._variantIndex]?.legacyResourceId));
      }
  });

  it("changes a product as a sale or a merchant would, bumping updatedAt", () => {
    const store = generateStore({ domain: "u.myshopify.com", seed: 2, customers: 10, products: 5 , until: TEST_HISTORY_END });
    const before = store.products[1];
    const at = new Date("2026-11-20T00:00:00Z");
    const after = store.updateProduct(1, { inventoryQuantity: 0 }, at);
    expect(store.products[1]).toBe(after);
    expect(after).toMatchObject({ id: before?.id, totalInventory: 0, hasOutOfStockVariants: true, updatedAt: at.toISOString() });
    expect(after.variants.every((v) => !v.availableForSale)).toBe(true);
    expect(store.updateProduct(1, { status: "DRAFT" }, at).publishedAt).toBeNull();
    expect(() => store.updateProduct(9, {}, at)).toThrow(RangeError);
  });
});
