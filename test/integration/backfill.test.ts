import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { startEmulator, summarizeStore, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { aggregateOrders, type CustomerAggregates } from "~/sync/aggregate";
import type { OrderRow } from "~/sync/rows";
import type { AdminGraphql } from "~/sync/store-overview.server";
import {
  continueBackfill,
  retryBackfill,
  startBackfill,
  backfillRunForBulkOperation,
  type BackfillDeps,
} from "~/sync/backfill/run-backfill.server";
import { redactCustomer } from "~/sync/compliance/compliance.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

const SHOP = "backfill-shop.myshopify.com";
let emulator: Emulator;
let admin: AdminGraphql;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 11, customers: 300, orders: 900, products: 10 }],
  });
  admin = await installedAdmin(emulator, SHOP);
});
afterAll(async () => {
  await emulator.close();
});

/** The generator's truth, converted independently of the app's parser. */
function truth() {
  const store = emulator.store(SHOP);
  const rows: OrderRow[] = [...store.orders].map((o) => ({
    id: BigInt(o.legacyResourceId),
    customerId: o._customerIndex === null ? null : BigInt(store.customerLegacyId(o._customerIndex)),
    shopifyCreatedAt: new Date(o.createdAt),
    shopifyUpdatedAt: new Date(o.updatedAt),
    cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
    test: o.test,
    totalMinor: BigInt(o._totalMinor),
    discountMinor: BigInt(o._discountMinor),
    currencyCode: o.currencyCode,
    discountCodes: o.discountCodes,
    landingPage: o.landingPageUrl,
    referrerUrl: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
  }));
  return { store, aggregates: aggregateOrders(rows), summary: summarizeStore(store) };
}

async function snapshot(prisma: PrismaClient) {
  const customers = await prisma.customer.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" }, omit: { syncedAt: true } });
  const orders = await prisma.order.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" }, omit: { syncedAt: true } });
  const products = await prisma.product.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" }, omit: { syncedAt: true } });
  return { customers, orders, products };
}

/** Orders' products and the catalogue, against the generator's records. */
async function expectCatalogueTruth(prisma: PrismaClient): Promise<void> {
  const { store } = truth();
  const { orders, products } = await snapshot(prisma);
  const ids = (list: number[]) => [...new Set(list)].sort((a, b) => a - b).map(BigInt);
  const want = new Map([...store.orders].map((o) => [BigInt(o.legacyResourceId), ids(o.lineItems.map((li) => li._productLegacyId))]));
  for (const o of orders) expect({ id: o.id, productIds: o.productIds }).toEqual({ id: o.id, productIds: want.get(o.id) });
  expect(orders.some((o) => o.productIds.length > 1)).toBe(true);

  const sales = new Map<bigint, number>();
  for (const o of store.orders) {
    if (o.test || o.cancelledAt) continue;
    for (const id of ids(o.lineItems.map((li) => li._productLegacyId))) sales.set(id, (sales.get(id) ?? 0) + 1);
  }
  expect(products.map((p) => p.id)).toEqual(store.products.map((p) => BigInt(p.legacyResourceId)));
  for (const [k, p] of products.entries()) {
    const record = store.products[k];
    if (!record) throw new Error(`no product ${k}`);
    expect(p).toMatchObject({
      title: record.title,
      handle: record.handle,
      productType: record.productType,
      tags: record.tags,
      status: record.status,
      publishedAt: record.publishedAt ? new Date(record.publishedAt) : null,
      priceMinor: BigInt(Math.min(...record.variants.map((v) => v._priceMinor))),
      currencyCode: "USD",
      imageUrl: record._imageUrl,
      inStock: record.variants.some((v) => v.availableForSale),
      tracksInventory: true,
      availableVariantIds: record.variants.filter((v) => v.availableForSale).map((v) => BigInt(v.legacyResourceId)),
      variantsKnown: true,
      salesCount: sales.get(p.id) ?? 0,
      deletedAt: null,
    });
  }
  // the generated store has products of every kind the app must tell apart
  expect(products.some((p) => !p.inStock)).toBe(true);
  expect(products.some((p) => p.status !== "ACTIVE")).toBe(true);
  expect(products.some((p) => p.salesCount > 0)).toBe(true);
}

async function expectTruth(prisma: PrismaClient): Promise<void> {
  const { store, aggregates, summary } = truth();
  const { customers, orders } = await snapshot(prisma);
  expect(customers.length).toBe(store.customerCount);
  expect(orders.length).toBe(store.orderCount);
  expect(customers.reduce((n, c) => n + c.orderCount, 0)).toBe(summary.countedOrders);
  expect(customers.filter((c) => c.orderCount > 0).length).toBe(summary.customersWithCountedOrders);
  const empty: CustomerAggregates = { orderCount: 0, spendMinor: 0n, discountedOrderCount: 0, firstOrderAt: null, lastOrderAt: null };
  for (const c of customers) {
    const want = aggregates.get(c.id) ?? empty;
    expect({ id: c.id, orderCount: c.orderCount, spendMinor: c.spendMinor, discountedOrderCount: c.discountedOrderCount, firstOrderAt: c.firstOrderAt, lastOrderAt: c.lastOrderAt }).toEqual({ id: c.id, ...want });
    const record = store.customer(store.customerIndexOf(Number(c.id)) ?? -1);
    expect({ firstName: c.firstName, lastName: c.lastName, email: c.email }).toEqual({
      firstName: record.firstName,
      lastName: record.lastName,
      email: record.email,
    });
    expect(c.emailMarketingState).toBe(record.emailMarketingConsent?.marketingState ?? null);
    expect(c.smsMarketingState).toBe(record.smsMarketingConsent?.marketingState ?? null);
    expect(c.timeZone).toBe(record.defaultAddress?.timeZone ?? null);
    expect(c.rfmGroup).toBe(record.statistics.rfmGroup);
  }
  const shop = await prisma.shop.findUnique({ where: { domain: SHOP } });
  // The emulator's shop bills from the US (its billingAddress).
  expect(shop).toMatchObject({ currencyCode: "USD", ianaTimezone: store.ianaTimezone, name: store.name, countryCode: "US" });
}

describe.each(databaseModes)("bulk backfill ($name)", (mode) => {
  let db: TestDatabase;
  let logs: string[];
  const deps = (extra: Partial<BackfillDeps> = {}): BackfillDeps => ({
    prisma: db.prisma,
    writer: db.bulkWriter,
    admin,
    log: (line) => logs.push(line),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    ...extra,
  });
  const finish = (d: BackfillDeps, runId: string) => continueBackfill(d, runId, { waitForBulk: true, pollIntervalMs: 10 });

  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });
  afterEach(async () => {
    await db.prisma.customer.deleteMany({ where: { shop: SHOP } });
    await db.prisma.order.deleteMany({ where: { shop: SHOP } });
    await db.prisma.product.deleteMany({ where: { shop: SHOP } });
    await db.prisma.syncRun.deleteMany({ where: { shop: SHOP } });
    await db.prisma.customerRedaction.deleteMany({ where: { shop: SHOP } });
  });

  it("stores exactly the generator's truth; a re-run changes nothing and duplicates nothing", async () => {
    logs = [];
    const run = await startBackfill(deps(), SHOP);
    expect(run).toMatchObject({ status: "running", phase: "waiting" });
    expect(run.customersBulkId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
    expect(run.ordersBulkId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
    expect(run.productsBulkId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
    // a second start while one runs returns the running one
    expect((await startBackfill(deps(), SHOP)).id).toBe(run.id);
    // the finish webhook names a bulk operation: it leads back to the run
    expect((await backfillRunForBulkOperation(db.prisma, SHOP, run.ordersBulkId ?? ""))?.id).toBe(run.id);
    expect((await backfillRunForBulkOperation(db.prisma, SHOP, run.productsBulkId ?? ""))?.id).toBe(run.id);
    expect(await backfillRunForBulkOperation(db.prisma, "other.myshopify.com", run.ordersBulkId ?? "")).toBeNull();

    const done = await finish(deps(), run.id);
    const store = emulator.store(SHOP);
    expect(done).toMatchObject({
      status: "completed",
      phase: "done",
      customersRead: store.customerCount,
      ordersRead: store.orderCount,
      customersTotal: store.customerCount,
      ordersTotal: store.orderCount,
      productsRead: store.products.length,
      productsTotal: store.products.length,
      linesSkipped: 0,
      error: null,
    });
    await expectTruth(db.prisma);
    await expectCatalogueTruth(db.prisma);
    const first = await snapshot(db.prisma);
    // calling continue on a finished run is a no-op
    expect((await finish(deps(), run.id))?.status).toBe("completed");

    const again = await startBackfill(deps(), SHOP);
    expect(again.id).not.toBe(run.id);
    expect((await finish(deps(), again.id))?.status).toBe("completed");
    expect(await snapshot(db.prisma)).toEqual(first);
    expect(logs.join("\n")).not.toMatch(/@|\+\d{6,}/); // no emails or phone numbers in the log
  });

  it("marks products deleted in Shopify while the app was not listening; a product newer than the export stays", async () => {
    logs = [];
    const product = (id: bigint, updatedAt: Date) => ({
      shop: SHOP,
      id,
      title: "Gift card",
      handle: `gift-${id}`,
      productType: "",
      tags: [],
      status: "ACTIVE",
      priceMinor: 2500n,
      currencyCode: "USD",
      inStock: true,
      shopifyUpdatedAt: updatedAt,
    });
    const gone = 990_001n;
    const newer = 990_002n;
    await db.prisma.product.createMany({
      data: [product(gone, new Date("2024-01-01T00:00:00Z")), product(newer, new Date(Date.now() + 86_400_000))],
    });
    const run = await startBackfill(deps(), SHOP);
    expect(await finish(deps(), run.id)).toMatchObject({ status: "completed", productsRead: emulator.store(SHOP).products.length });
    const rows = new Map((await db.prisma.product.findMany({ where: { shop: SHOP } })).map((p) => [p.id, p]));
    expect(rows.get(gone)).toMatchObject({ status: "DELETED", inStock: false });
    expect(rows.get(gone)?.deletedAt).not.toBeNull();
    expect(rows.get(newer)).toMatchObject({ status: "ACTIVE", inStock: true, deletedAt: null });
    expect([...rows.values()].filter((p) => p.deletedAt !== null).map((p) => p.id)).toEqual([gone]);
    expect(logs.some((line) => line.includes("1 products deleted in Shopify marked deleted"))).toBe(true);
  });

  it("stores nothing of a customer redacted since: neither them nor their orders", async () => {
    logs = [];
    const store = emulator.store(SHOP);
    const buyer = [...store.orders].find((o) => o._customerIndex !== null && !o.test)?._customerIndex ?? -1;
    const record = store.customer(buyer);
    const id = BigInt(record.legacyResourceId);
    const theirOrders = [...store.orders].filter((o) => o._customerIndex === buyer).map((o) => BigInt(o.legacyResourceId));
    expect(theirOrders.length).toBeGreaterThan(0);
    // Shopify still has them, as they were before the redaction request (the export is a snapshot).
    await redactCustomer(db.prisma, SHOP, { customerId: id, orderIds: [] }, new Date());

    const run = await startBackfill(deps(), SHOP);
    expect((await finish(deps(), run.id))?.status).toBe("completed");
    expect(await db.prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id } } })).toBeNull();
    expect(await db.prisma.order.count({ where: { shop: SHOP, id: { in: theirOrders } } })).toBe(0);
    expect(await db.prisma.customer.count({ where: { shop: SHOP } })).toBe(store.customerCount - 1);
    expect(await db.prisma.order.count({ where: { shop: SHOP } })).toBe(store.orderCount - theirOrders.length);
    expect(logs.join("\n")).not.toContain(record.firstName);
  });

  it("concurrent starts make one run", async () => {
    logs = [];
    const runs = await Promise.all([startBackfill(deps(), SHOP), startBackfill(deps(), SHOP), startBackfill(deps(), SHOP)]);
    expect(new Set(runs.map((r) => r.id)).size).toBe(1);
    expect(await db.prisma.syncRun.count({ where: { shop: SHOP } })).toBe(1);
    const [a, b] = await Promise.all([finish(deps(), runs[0]?.id ?? ""), finish(deps(), runs[0]?.id ?? "")]);
    expect(a?.status).toBe("completed");
    expect(b?.status).toBe("completed");
    await expectTruth(db.prisma);
  });

  it.each(["customers", "orders"] as const)("killed in the middle of the %s file, resumed by a fresh process: same result", async (phase) => {
    logs = [];
    const run = await startBackfill(deps(), SHOP);
    let calls = 0;
    const dying = deps({
      batchSize: 50,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.phase === phase && ++calls === 3) throw new Error("killed");
      },
    });
    await expect(finish(dying, run.id)).rejects.toThrow("killed");
    const halfway = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(halfway).toMatchObject({ status: "running", phase });
    expect(phase === "customers" ? halfway.customersRead : halfway.ordersRead).toBeGreaterThan(0);

    const done = await finish(deps(), run.id);
    expect(done).toMatchObject({ status: "completed", customersRead: 300, ordersRead: 900, productsRead: 10, linesSkipped: 0 });
    await expectTruth(db.prisma);
    await expectCatalogueTruth(db.prisma);
  });

  it("a failed bulk operation fails the run with a readable error; a retry completes", async () => {
    logs = [];
    emulator.failNextBulkOperation(SHOP);
    const run = await startBackfill(deps(), SHOP);
    const failed = await finish(deps(), run.id);
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed?.error).toMatch(/Shopify could not complete the customers export .*Try again/);
    expect(failed?.finishedAt).toBeInstanceOf(Date);
    const retry = await retryBackfill(deps(), run.id);
    expect(retry.id).not.toBe(run.id);
    expect((await finish(deps(), retry.id))?.status).toBe("completed");
    await expectTruth(db.prisma);
  });

  it("waits out Admin API throttling", async () => {
    logs = [];
    emulator.setThrottle(SHOP, { enabled: true, maximumAvailable: 12, restoreRate: 50 });
    try {
      const sleeps: number[] = [];
      const d = deps({ sleep: (ms) => (sleeps.push(ms), new Promise((resolve) => setTimeout(resolve, ms))) });
      const run = await startBackfill(d, SHOP);
      expect((await finish(d, run.id))?.status).toBe("completed");
      expect(logs.some((l) => l.includes("throttled"))).toBe(true);
    } finally {
      emulator.setThrottle(SHOP, { enabled: true, maximumAvailable: 2000, restoreRate: 100 });
    }
  });
});
