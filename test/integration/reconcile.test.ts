import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/shops.server";
import { redactCustomer } from "~/sync/compliance/compliance.server";
import { reconcileShop, RECONCILE_KIND, type ReconcileDeps } from "~/sync/reconcile/reconcile.server";
import type { AdminGraphql } from "~/sync/store-overview.server";
import { startEmulator, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { databaseModes, type TestDatabase } from "./helpers/db";

const SHOP = "reconcile.myshopify.com";

describe.each(databaseModes)("reconcileShop ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let emulator: Emulator;
  let clock = Date.parse("2026-11-20T12:00:00Z");
  let admin: AdminGraphql;
  const lines: string[] = [];
  const sleeps: number[] = [];

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: "http://127.0.0.1:9",
      webhooks: [], // no webhook reaches the app: only reconciliation can see changes
      shops: [{ domain: SHOP, seed: 11, customers: 40, orders: 90, products: 5, until: new Date("2026-11-19T00:00:00Z") }],
      now: () => new Date(clock),
    });
    admin = await installedAdmin(emulator, SHOP);
    await recordInstall(prisma, { shop: SHOP, scopes: "read_customers,read_orders,read_all_orders" });
  });
  afterAll(async () => {
    await emulator.close();
    await db.close();
  });

  const deps = (): ReconcileDeps => ({
    prisma,
    admin,
    log: (line) => lines.push(line),
    now: () => new Date(clock),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms; // the emulator's bucket refills on its clock
    },
    pageSize: 7,
  });

  it("skips a shop that was never backfilled, and an unknown or uninstalled shop", async () => {
    await expect(reconcileShop(deps(), SHOP)).resolves.toMatchObject({ status: "skipped" });
    await expect(reconcileShop(deps(), "gone.myshopify.com")).resolves.toMatchObject({ status: "skipped" });
    expect(lines).toContain("reconcile gone.myshopify.com: shop unknown, skipped");
  });

  it("reads everything updated since the last sync, page by page, and aggregates like the store", async () => {
    // A backfill that "completed" long ago: everything in the store counts as updated since.
    await prisma.syncRun.create({
      data: { id: "old-backfill", shop: SHOP, kind: "backfill", status: "completed", phase: "done", startedAt: new Date("2020-01-01T00:00:00Z") },
    });
    const store = emulator.store(SHOP);
    const result = await reconcileShop(deps(), SHOP);
    expect(result).toMatchObject({ status: "completed", customersRead: store.customerCount, ordersRead: store.orderCount, linesSkipped: 0 });
    expect(await prisma.customer.count({ where: { shop: SHOP } })).toBe(store.customerCount);
    // names, as the generator made them
    const names = await prisma.customer.findMany({ where: { shop: SHOP }, select: { id: true, firstName: true, lastName: true } });
    expect(names).toHaveLength(store.customerCount);
    for (const c of names) {
      const record = store.customer(store.customerIndexOf(Number(c.id)) ?? -1);
      expect(c).toEqual({ id: c.id, firstName: record.firstName, lastName: record.lastName });
    }
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(store.orderCount);
    const counted = await prisma.order.count({ where: { shop: SHOP, test: false, cancelledAt: null, customerId: { not: null } } });
    const sum = await prisma.customer.aggregate({ where: { shop: SHOP }, _sum: { orderCount: true } });
    expect(sum._sum.orderCount).toBe(counted);
    expect(await prisma.syncRun.findFirst({ where: { shop: SHOP, kind: RECONCILE_KIND } })).toMatchObject({ status: "completed", phase: "done" });
    // Every order was new to the app (its orders/create never arrived): its products were read.
    const idOf = (gid: string) => BigInt(gid.split("/").pop() ?? "0");
    const stored = new Map((await prisma.order.findMany({ where: { shop: SHOP } })).map((o) => [o.id, o.productIds]));
    let withProducts = 0;
    for (let j = 0; j < store.orderCount; j++) {
      const order = store.order(j);
      const bought = order.lineItems.flatMap((li) => {
        const product = store.products[li._productIndex];
        return product ? [idOf(product.id)] : [];
      });
      const want = [...new Set(bought)].sort((a, b) => (a < b ? -1 : 1));
      expect(stored.get(idOf(order.id))).toEqual(want);
      if (want.length > 0) withProducts++;
    }
    expect(withProducts).toBeGreaterThan(0);
    expect(result.productsRead).toBe(store.products.length);
    expect(await prisma.product.count({ where: { shop: SHOP } })).toBe(store.products.length);
  });

  it("heals a product that sold out without a webhook, so no cross-sell offers it", async () => {
    clock += 3_600_000;
    const inStock = await prisma.product.findFirst({ where: { shop: SHOP, inStock: true }, orderBy: { id: "asc" } });
    if (!inStock) throw new Error("the store has no product in stock");
    const store = emulator.store(SHOP);
    const index = store.productIndexOf(Number(inStock.id));
    if (index === undefined) throw new Error("product not in the emulator's store");
    emulator.updateProduct(SHOP, index, { inventoryQuantity: 0 });

    clock += 60_000;
    const result = await reconcileShop(deps(), SHOP);
    expect(result).toMatchObject({ status: "completed", productsRead: 1 });
    expect(await prisma.product.findUnique({ where: { shop_id: { shop: SHOP, id: inStock.id } } })).toMatchObject({
      inStock: false,
      availableVariantIds: [],
      variantsKnown: true,
    });
  });

  it("heals a consent change made in Shopify without a webhook, re-reading only what changed", async () => {
    clock += 3_600_000; // an hour later
    const store = emulator.store(SHOP);
    const index = Array.from({ length: store.customerCount }, (_, i) => i).find((i) => {
      const c = store.customer(i);
      return c.email && c.emailMarketingConsent?.marketingState !== "UNSUBSCRIBED";
    });
    if (index === undefined) throw new Error("no customer with an email");
    const target = store.customer(index);
    const response = await admin.graphql(
      `mutation($input: CustomerEmailMarketingConsentUpdateInput!) { customerEmailMarketingConsentUpdate(input: $input) { userErrors { message } } }`,
      { variables: { input: { customerId: target.id, emailMarketingConsent: { marketingState: "UNSUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" } } } },
    );
    expect(await response.json()).toMatchObject({ data: { customerEmailMarketingConsentUpdate: { userErrors: [] } } });
    const id = BigInt(target.id.split("/").pop() ?? "0");
    expect((await prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id } } }))?.emailMarketingState).not.toBe("UNSUBSCRIBED");

    clock += 60_000;
    const result = await reconcileShop(deps(), SHOP);
    expect(result.customersRead).toBe(1);
    expect((await prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id } } }))?.emailMarketingState).toBe("UNSUBSCRIBED");
  });

  it("heals a name changed in Shopify without a webhook", async () => {
    clock += 3_600_000;
    const store = emulator.store(SHOP);
    const renamed = store.updateCustomer(3, { firstName: "Renée", lastName: "Nguyễn" }, new Date(clock));
    clock += 60_000;
    // (the last run's change is re-read too: runs overlap by a safety margin)
    expect((await reconcileShop(deps(), SHOP)).customersRead).toBeGreaterThanOrEqual(1);
    const id = BigInt(renamed.legacyResourceId);
    expect(await prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id } }, select: { firstName: true, lastName: true } })).toEqual({
      firstName: "Renée",
      lastName: "Nguyễn",
    });
  });

  it("does not bring back a customer redacted since, nor their orders, while Shopify still lists them", async () => {
    clock += 3_600_000;
    const store = emulator.store(SHOP);
    const buyer = [...store.orders].find((o) => o._customerIndex !== null)?._customerIndex ?? -1;
    const id = BigInt(store.customer(buyer).legacyResourceId);
    const theirOrders = [...store.orders].filter((o) => o._customerIndex === buyer).map((o) => BigInt(o.legacyResourceId));
    await redactCustomer(prisma, SHOP, { customerId: id, orderIds: theirOrders.slice(0, 1) }, new Date(clock));
    expect(await prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id } } })).toBeNull();
    // everything counts as updated since: the redacted customer and their orders are read again
    await prisma.syncRun.updateMany({ where: { shop: SHOP }, data: { startedAt: new Date("2020-01-01T00:00:00Z") } });
    clock += 60_000;
    const result = await reconcileShop(deps(), SHOP);
    expect(result.customersRead).toBe(store.customerCount);
    expect(await prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id } } })).toBeNull();
    expect(await prisma.order.count({ where: { shop: SHOP, id: { in: theirOrders } } })).toBe(0);
    expect(await prisma.customer.count({ where: { shop: SHOP } })).toBe(store.customerCount - 1);
  });

  it("waits out THROTTLED answers and still completes", async () => {
    clock += 3_600_000;
    await prisma.syncRun.create({
      data: { id: "old-backfill-2", shop: SHOP, kind: "backfill", status: "completed", phase: "done", startedAt: new Date(clock + 1) },
    });
    await prisma.syncRun.updateMany({ where: { shop: SHOP, kind: RECONCILE_KIND }, data: { startedAt: new Date("2020-01-01T00:00:00Z") } });
    await prisma.syncRun.update({ where: { id: "old-backfill-2" }, data: { startedAt: new Date("2020-01-02T00:00:00Z") } });
    emulator.setThrottle(SHOP, { enabled: true, maximumAvailable: 400, restoreRate: 50 });
    sleeps.length = 0;
    const result = await reconcileShop(deps(), SHOP);
    emulator.setThrottle(SHOP, { enabled: false });
    expect(result.status).toBe("completed");
    expect(result.customersRead).toBe(emulator.store(SHOP).customerCount);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes("throttled"))).toBe(true);
  });
});
