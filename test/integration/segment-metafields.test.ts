import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { rescoreShop } from "~/segments/rescore.server";
import { rescoreWindowStart, WEBHOOK_LOOKBACK_MS } from "~/segments/tags/metafield-pending.server";
import {
  syncSegmentMetafields,
  type SegmentMetafieldDeps,
} from "~/segments/tags/segment-metafields.server";
import type { AdminGraphql } from "~/sync/store-overview.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The storefront's segment metafield ($app.rfm_segment) after real rescores: with the tag option
// off, every customer whose segment moved carries its new segment in the emulator's Shopify, the
// others are not written again, a customer deleted in Shopify does not hold back the 24 sent with
// it, and a failed bulk run is made good by the retry.

const SHOP = "segment-metafields.myshopify.com";
const CUSTOMERS = 40;
const DELETED = 999_999_999n; // in the database, gone from Shopify
const T1 = new Date("2026-11-20T12:00:00Z");
const T2 = new Date("2026-11-21T12:00:00Z");
const OLD = "2026-01-01T00:00:00Z"; // rows synced long before the window

let emulator: Emulator;
let admin: AdminGraphql;
let requests: string[] = [];
beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 11, customers: CUSTOMERS, orders: 10, products: 2 }],
  });
  const installed = await installedAdmin(emulator, SHOP);
  admin = {
    graphql: async (query, init) => {
      requests.push(/(?:mutation|query)\s+(\w+)/.exec(query)?.[1] ?? "anonymous");
      return installed.graphql(query, init);
    },
  };
});
afterAll(async () => {
  await emulator.close();
});

const all = Array.from({ length: CUSTOMERS }, (_, i) => i);
const legacyId = (i: number) => BigInt(emulator.store(SHOP).customerLegacyId(i));
const gid = (id: bigint) => `gid://shopify/Customer/${id}`;
/** What Shopify holds for customer index i. */
const shopifyMetafield = (i: number) => emulator.store(SHOP).metafields.get(gid(legacyId(i)), "$app", "rfm_segment");
const sent = () => requests.filter((name) => name !== "BulkMutationOperation");

describe.each(databaseModes)("segment metafield write-back ($name)", (mode) => {
  let db: TestDatabase;
  let logs: string[];
  const deps = (extra: Partial<SegmentMetafieldDeps> = {}): SegmentMetafieldDeps => ({
    prisma: db.prisma,
    admin,
    log: (line) => logs.push(line),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    pollIntervalMs: 5,
    ...extra,
  });
  const rescore = (at: Date) => rescoreShop({ prisma: db.prisma, now: () => at, log: () => {} }, SHOP);
  /** The app's segment of every customer, by legacy id. */
  const appSegments = async () =>
    new Map(
      (await db.prisma.customerScore.findMany({ where: { shop: SHOP } })).map((s) => [s.customerId, s.segment]),
    );
  const expectAllWritten = async () => {
    const segments = await appSegments();
    for (const i of all)
      expect(shopifyMetafield(i), `customer ${i}`).toMatchObject({
        namespace: "$app",
        key: "rfm_segment",
        type: "single_line_text_field",
        value: segments.get(legacyId(i)),
      });
  };

  beforeAll(async () => {
    db = await mode.open();
    // Buyers of every kind (prospects, discount hunters, big spenders, long gone) for the rescore.
    const rows = [...all.map((i) => ({ i, id: legacyId(i) })), { i: 7, id: DELETED }].map(({ i, id }) => {
      const orders = i % 5 === 0 ? 0 : 1 + (i % 4);
      const last = new Date(T1.getTime() - (i * 9 + 1) * 86_400_000);
      return {
        shop: SHOP,
        id,
        shopifyCreatedAt: new Date(OLD),
        shopifyUpdatedAt: new Date(OLD),
        orderCount: orders,
        spendMinor: BigInt(orders * 1500 * (1 + (i % 7))),
        discountedOrderCount: i % 3 === 0 ? orders : 0,
        firstOrderAt: orders > 0 ? new Date(OLD) : null,
        lastOrderAt: orders > 0 ? last : null,
      };
    });
    await db.prisma.customer.createMany({ data: rows });
    await db.prisma.$executeRaw`UPDATE "Customer" SET "syncedAt" = ${OLD}::timestamp WHERE shop = ${SHOP}`;
  });
  beforeEach(() => {
    logs = [];
    requests = [];
  });
  afterAll(async () => {
    await db.close();
  });

  it("writes every customer's segment on a full run, with the tag option off, in groups of 25", async () => {
    await rescore(T1);
    // First scorings record no transition and the rows are old: the rescore's window finds nobody.
    expect(await syncSegmentMetafields(deps(), SHOP, await rescoreWindowStart(db.prisma, SHOP, T1))).toEqual({
      written: 0,
      refused: 0,
    });
    expect(sent()).toEqual([]);

    const result = await syncSegmentMetafields(deps(), SHOP, null);
    expect(result).toEqual({ written: CUSTOMERS, refused: 1 });
    await expectAllWritten();
    const segments = new Set((await appSegments()).values());
    expect(segments.size).toBeGreaterThanOrEqual(4);
    // 41 customers by id in groups of 25 and 16; the group holding the deleted customer was set as
    // a whole or not at all, so its customers went again one by one.
    const ids = [...all.map(legacyId), DELETED].sort((a, b) => (a < b ? -1 : 1));
    const refusedGroup = Math.floor(ids.indexOf(DELETED) / 25) === 0 ? 25 : 16;
    expect(sent()).toEqual(Array(2 + refusedGroup).fill("SegmentMetafieldsSet"));
    expect(logs).toContainEqual(expect.stringContaining(`customer ${DELETED} refused: Owner does not exist.`));
    // Tags are another option's business: none was written.
    for (const i of all) expect(emulator.store(SHOP).customer(i).tags.filter((t) => t.startsWith("rfm:"))).toEqual([]);
  });

  it("after the next rescore writes only the customers whose segment moved", async () => {
    const before = all.map((i) => shopifyMetafield(i)?.updatedAt);
    const gone = [1, 2, 3].map(legacyId);
    // Their last orders fall far back (no sync touches the rows): lapsed at the next rescore.
    await db.prisma.$executeRaw`
      UPDATE "Customer" SET "lastOrderAt" = '2024-01-01'::timestamp
      WHERE shop = ${SHOP} AND id = ANY(${gone.map(String)}::bigint[])`;
    await new Promise((resolve) => setTimeout(resolve, 5)); // the emulator stamps writes with its clock
    await rescore(T2);
    const moved = new Set(
      (await db.prisma.segmentTransition.findMany({ where: { shop: SHOP, at: T2 } })).map((t) => t.customerId),
    );
    expect(moved.size).toBeGreaterThanOrEqual(gone.length);
    for (const id of gone) expect(moved.has(id)).toBe(true);
    for (const id of gone)
      expect((await appSegments()).get(id)).toBe("lapsed");

    const result = await syncSegmentMetafields(deps(), SHOP, await rescoreWindowStart(db.prisma, SHOP, T2));
    const movedHere = all.filter((i) => moved.has(legacyId(i)));
    expect(result).toEqual({ written: movedHere.length, refused: moved.has(DELETED) ? 1 : 0 });
    await expectAllWritten();
    for (const i of all) {
      const after = shopifyMetafield(i)?.updatedAt;
      if (moved.has(legacyId(i))) expect(after, `customer ${i}`).not.toBe(before[i]);
      else expect(after, `customer ${i}`).toBe(before[i]);
    }
  });

  it("writes a customer whose row was synced since, though no transition names it", async () => {
    const i = 6;
    const at = new Date();
    // A new customer's first scoring (as a webhook's rescore does it) records no transition.
    await db.prisma.customerScore.update({
      where: { shop_customerId: { shop: SHOP, customerId: legacyId(i) } },
      data: { segment: "vip" },
    });
    await db.prisma.$executeRaw`
      UPDATE "Customer" SET "syncedAt" = ${at.toISOString()}::timestamptz AT TIME ZONE 'UTC'
      WHERE shop = ${SHOP} AND id = ${legacyId(i)}`;
    const since = new Date(at.getTime() - WEBHOOK_LOOKBACK_MS);
    expect(await syncSegmentMetafields(deps(), SHOP, since)).toEqual({ written: 1, refused: 0 });
    expect(shopifyMetafield(i)?.value).toBe("vip");
    expect(sent()).toEqual(["SegmentMetafieldsSet"]);
  });

  it("in bulk: a failed run throws, and its retry sets everyone again, the refused group one by one", async () => {
    // Shopify's values went stale (a merchant edit, a lost run): the full run puts them right.
    await admin.graphql(
      `mutation Stale($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { message } } }`,
      {
        variables: {
          metafields: [0, 1].map((i) => ({
            ownerId: gid(legacyId(i)),
            namespace: "$app",
            key: "rfm_segment",
            type: "single_line_text_field",
            value: "stale",
          })),
        },
      },
    );
    requests = [];
    emulator.failNextBulkOperation(SHOP);
    await expect(syncSegmentMetafields(deps({ directLimit: 0, batchSize: 30 }), SHOP, null)).rejects.toThrow(
      /bulk metafieldsSet ended FAILED \(INTERNAL_SERVER_ERROR\)/,
    );
    requests = [];
    expect(await syncSegmentMetafields(deps({ directLimit: 0, batchSize: 30 }), SHOP, null)).toEqual({
      written: CUSTOMERS,
      refused: 1,
    });
    await expectAllWritten();
    // Two batches (30 and 11 customers), each one bulk run of groups of 25; the refused group (the
    // deleted customer's) goes again as one more bulk run, a line per customer.
    expect(sent()).toEqual(Array(3).fill(["BulkMutationStageVariables", "BulkMutationRun"]).flat());
    for (const i of all) expect(emulator.store(SHOP).metafields.list(gid(legacyId(i)))).toHaveLength(1);
  });
});
