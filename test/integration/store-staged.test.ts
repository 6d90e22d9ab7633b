import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerRow, OrderRow } from "~/sync/rows";
import { upsertCustomers, upsertOrders } from "~/sync/store.server";
import { stageCustomers, stageOrders } from "~/sync/store-staged.server";
import { customerRows, orderRows, storableText } from "~/testing/row-arbitraries";
import { databaseModes, type TestDatabase } from "./helpers/db";

// A bulk file staged by COPY (PostgreSQL only) must store exactly what the batched JSON upserts
// store — the second implementation is the oracle: any text, stale versions of stored rows,
// duplicates within the file and across chunks upserted side by side, redacted customers.

const ids = fc.bigInt({ min: 1n, max: 12n });
const START = Date.UTC(2026, 0, 1);

function sampleOrder(seed: number): OrderRow {
  const [row] = fc.sample(orderRows(storableText, ids), { numRuns: 1, seed });
  if (!row) throw new Error("fast-check gave no sample");
  return row;
}

/** Rows whose versions never tie: every row gets its own shopifyUpdatedAt (ties pick arbitrarily). */
function withDistinctVersions<T extends { shopifyUpdatedAt: Date }>(rows: T[], offset: number): T[] {
  return rows.map((row, i) => ({ ...row, shopifyUpdatedAt: new Date(START + (offset + i * 7919) * 1000) }));
}

const scenario = fc
  .record({
    storedOrders: fc.array(orderRows(storableText, ids), { maxLength: 6 }),
    storedCustomers: fc.array(customerRows(storableText, ids), { maxLength: 6 }),
    fileOrders: fc.array(orderRows(storableText, ids), { maxLength: 14 }),
    fileCustomers: fc.array(customerRows(storableText, ids), { maxLength: 14 }),
    redacted: fc.option(fc.record({ customerId: ids, orderIds: fc.array(ids, { maxLength: 2 }), day: fc.nat(400) }), {
      nil: null,
    }),
    shuffle: fc.nat(10_000),
    chunkRows: fc.integer({ min: 1, max: 20 }),
  })
  .map((s) => {
    // stored and file rows interleave in time, so some file rows are stale and others win
    const stored = s.shuffle % 97;
    return {
      ...s,
      storedOrders: withDistinctVersions(s.storedOrders, stored),
      storedCustomers: withDistinctVersions(s.storedCustomers, stored + 1),
      fileOrders: withDistinctVersions(s.fileOrders, 3).map((o) => ({ ...o, productIds: o.productIds ?? [] })),
      fileCustomers: withDistinctVersions(s.fileCustomers, 5).map(
        (c): CustomerRow => ({ ...c, timeZone: c.timeZone ?? null, rfmGroup: c.rfmGroup ?? "CHAMPIONS" }),
      ),
    };
  });

describe.each(databaseModes.filter((m) => m.name === "postgres"))("a bulk file staged by COPY on $name", (mode) => {
  let db: TestDatabase;
  let run = 0;
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  const stored = async (shop: string) => ({
    orders: (await db.prisma.order.findMany({ where: { shop }, orderBy: { id: "asc" } })).map(
      ({ shop: _s, syncedAt: _t, ...row }) => row,
    ),
    customers: (await db.prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" } })).map(
      ({ shop: _s, syncedAt: _t, ...row }) => row,
    ),
  });

  it("stores what the batched upserts store, row for row", async () => {
    const stage = db.bulkWriter.stage;
    if (!stage) throw new Error("the PostgreSQL writer stages files");
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        run += 1;
        const viaCopy = `copy-${run}.myshopify.com`;
        const viaBatches = `batches-${run}.myshopify.com`;
        for (const shop of [viaCopy, viaBatches]) {
          await upsertOrders(db.prisma, shop, s.storedOrders);
          // one by one: webhook-shaped rows (no time zone) and bulk rows do not share a batch
          for (const customer of s.storedCustomers) await upsertCustomers(db.prisma, shop, [customer]);
          if (s.redacted)
            await db.prisma.customerRedaction.create({
              data: {
                shop,
                customerId: s.redacted.customerId,
                orderIds: s.redacted.orderIds,
                redactedAt: new Date(START + s.redacted.day * 40_000 * 1000),
              },
            });
        }
        const chunks = { chunkRows: s.chunkRows, parallel: 2 };
        const orders = stageOrders(stage, viaCopy, chunks);
        // writes may overlap (a reader with batches in flight): they go in turn
        await Promise.all([orders.write(s.fileOrders.slice(0, 5)), orders.write(s.fileOrders.slice(5))]);
        await orders.finish();
        const customers = stageCustomers(stage, viaCopy, chunks);
        await customers.write(s.fileCustomers);
        await customers.finish();
        for (let i = 0; i < s.fileOrders.length; i += 4)
          await upsertOrders(db.prisma, viaBatches, s.fileOrders.slice(i, i + 4));
        for (let i = 0; i < s.fileCustomers.length; i += 4)
          await upsertCustomers(db.prisma, viaBatches, s.fileCustomers.slice(i, i + 4), { withAggregates: true });
        expect(await stored(viaCopy)).toEqual(await stored(viaBatches));
      }),
      { numRuns: Number(process.env.STAGED_RUNS ?? 40) },
    );
  });

  it("keeps the chunks upserted before a file is abandoned, drops the one being copied; the file again completes it", async () => {
    const stage = db.bulkWriter.stage;
    if (!stage) throw new Error("the PostgreSQL writer stages files");
    const shop = "abandoned.myshopify.com";
    const orders: OrderRow[] = [1n, 2n, 3n].map((id) => ({ ...sampleOrder(Number(id)), id, productIds: [id] }));
    const abandoned = stageOrders(stage, shop, { chunkRows: 2 });
    await abandoned.write(orders);
    abandoned.abort();
    await expect.poll(() => db.prisma.order.count({ where: { shop } }), { timeout: 20_000 }).toBe(2);
    for (let i = 0; i < 2; i++) {
      const again = stageOrders(stage, shop, { chunkRows: 2 });
      await again.write(orders);
      expect(await again.finish()).toBe(3);
    }
    const rows = await db.prisma.order.findMany({ where: { shop }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.id, r.productIds, r.utmSource])).toEqual(orders.map((o) => [o.id, [o.id], o.utmSource]));
  });

  it("refuses a row without what a bulk file always carries, and writes nothing", async () => {
    const stage = db.bulkWriter.stage;
    if (!stage) throw new Error("the PostgreSQL writer stages files");
    const shop = "refused.myshopify.com";
    const staged = stageOrders(stage, shop);
    await expect(staged.write([{ ...sampleOrder(9), productIds: undefined }])).rejects.toThrow(
      "a staged order must carry its products",
    );
    staged.abort();
    expect(await db.prisma.order.count({ where: { shop } })).toBe(0);
  });
});
