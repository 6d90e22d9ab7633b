import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator/index";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import type { AdminGraphql } from "~/sync/store-overview.server";
import { DEFAULT_THRESHOLDS, SEGMENTS } from "~/segments/rules";
import { syncSegmentTags, type SegmentTagDeps } from "~/segments/tags/sync-tags.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

const SHOP = "segment-tags.myshopify.com";
const CUSTOMERS = 30;
let emulator: Emulator;
let admin: AdminGraphql;
let requests: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 5, customers: CUSTOMERS, orders: 60, products: 5 }],
  });
  const installed = await installedAdmin(emulator, SHOP);
  // Records every request Shopify carried out (a THROTTLED answer did nothing and is retried).
  admin = {
    graphql: async (query, init) => {
      const response = await installed.graphql(query, init);
      if (!(await response.clone().text()).includes('"THROTTLED"')) requests.push(query);
      return response;
    },
  };
});
afterAll(async () => {
  await emulator.close();
});

/** The emulator's tags of customer index i: what Shopify holds. */
const shopifyTags = (i: number) => emulator.store(SHOP).customer(i).tags;
const rfmTags = (i: number) => shopifyTags(i).filter((t) => t.startsWith("rfm:"));
const merchantTags = (i: number) =>
  shopifyTags(i)
    .filter((t) => !t.startsWith("rfm:"))
    .sort();
const legacyId = (i: number) => BigInt(emulator.store(SHOP).customerLegacyId(i));
const segmentOf = (i: number) => SEGMENTS[i % SEGMENTS.length] ?? "prospect";
const all = Array.from({ length: CUSTOMERS }, (_, i) => i);
/** The requests by operation name (`mutation BulkMutationRun(` → BulkMutationRun), polls left out. */
const names = () =>
  requests
    .map((q) => /(?:mutation|query)\s+(\w+)/.exec(q)?.[1] ?? "anonymous")
    .filter((name) => name !== "BulkMutationOperation");

describe.each(databaseModes)("segment tag write-back ($name)", (mode) => {
  let db: TestDatabase;
  let logs: string[];
  let merchantBefore: string[][];
  const deps = (extra: Partial<SegmentTagDeps> = {}): SegmentTagDeps => ({
    prisma: db.prisma,
    admin,
    log: (line) => logs.push(line),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    pollIntervalMs: 5,
    ...extra,
  });
  /** What the rescore would store: the customer's segment in CustomerScore. */
  const setSegment = (customerId: bigint, segment: string) =>
    db.prisma.customerScore.upsert({
      where: { shop_customerId: { shop: SHOP, customerId } },
      create: { shop: SHOP, customerId, segment },
      update: { segment },
    });
  const setOption = (tagSegments: boolean) =>
    db.prisma.shopSettings.upsert({
      where: { shop: SHOP },
      create: { shop: SHOP, segmentThresholds: { ...DEFAULT_THRESHOLDS }, tagSegments },
      update: { tagSegments },
    });

  beforeAll(async () => {
    db = await mode.open();
    const at = new Date("2026-01-01T00:00:00Z");
    await db.prisma.customer.createMany({
      data: all.map((i) => ({
        shop: SHOP,
        id: legacyId(i),
        tags: shopifyTags(i),
        shopifyCreatedAt: at,
        shopifyUpdatedAt: at,
      })),
    });
    await db.prisma.customerScore.createMany({
      data: all.map((i) => ({ shop: SHOP, customerId: legacyId(i), segment: segmentOf(i) })),
    });
    // Customer 0 carried rfm:lapsed from an earlier run; customer 1 an rfm:vip tag we no longer track.
    await admin.graphql(
      `mutation { tagsAdd(id: "gid://shopify/Customer/${legacyId(0)}", tags: ["rfm:lapsed", "wholesale"]) { node { id } } }`,
    );
    await admin.graphql(
      `mutation { tagsAdd(id: "gid://shopify/Customer/${legacyId(1)}", tags: ["rfm:vip"]) { node { id } } }`,
    );
    await db.prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: legacyId(0) } },
      data: { taggedSegment: "lapsed", tags: shopifyTags(0) },
    });
    await db.prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: legacyId(1) } },
      data: { tags: shopifyTags(1) },
    });
    // A customer deleted in Shopify since the last sync: refused, left pending, the run goes on.
    await db.prisma.customer.create({
      data: { shop: SHOP, id: 999_999_999n, shopifyCreatedAt: at, shopifyUpdatedAt: at },
    });
    await setSegment(999_999_999n, "vip");
    merchantBefore = all.map(merchantTags);
  });
  beforeEach(() => {
    logs = [];
    requests = [];
  });
  afterAll(async () => {
    await db.close();
  });

  it("does nothing while the option is off and the app wrote nothing", async () => {
    // Only customers carrying the app's tags are touched: 0 and 1 here (they lose rfm:*), one request each.
    const result = await syncSegmentTags(deps(), SHOP);
    expect(result).toEqual({ mode: "untag", updated: 2, failed: 0 });
    expect(names()).toEqual(["SegmentTagRemove", "SegmentTagRemove"]);
    expect(rfmTags(0)).toEqual([]);
    expect(shopifyTags(0)).toContain("wholesale");
    expect(rfmTags(1)).toEqual([]);
    requests = [];
    expect(await syncSegmentTags(deps(), SHOP)).toEqual({ mode: "untag", updated: 0, failed: 0 });
    expect(requests).toEqual([]);
    // restore the stale state for the next test
    await admin.graphql(
      `mutation { tagsAdd(id: "gid://shopify/Customer/${legacyId(0)}", tags: ["rfm:lapsed"]) { node { id } } }`,
    );
    await db.prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: legacyId(0) } },
      data: { taggedSegment: "lapsed", tags: shopifyTags(0) },
    });
  });

  it("tags every customer with its segment through bulk mutations, removes stale tags, and a second run sends nothing", async () => {
    await setOption(true);
    emulator.setThrottle(SHOP, { enabled: true, maximumAvailable: 15, restoreRate: 100 });
    try {
      const result = await syncSegmentTags(deps(), SHOP);
      expect(result).toEqual({ mode: "tag", updated: CUSTOMERS, failed: 1 });
    } finally {
      emulator.setThrottle(SHOP, { enabled: false });
    }
    // One bulk tagsAdd over all 31, then one bulk tagsRemove for the two with a stale tag; no per-customer request.
    expect(names()).toEqual([
      "BulkMutationStageVariables",
      "BulkMutationRun",
      "BulkMutationStageVariables",
      "BulkMutationRun",
    ]);
    expect(logs.some((l) => l.includes("throttled"))).toBe(true);
    expect(logs.some((l) => l.includes("customer 999999999 refused: Resource not found"))).toBe(true);
    for (const i of all) expect(rfmTags(i)).toEqual([`rfm:${segmentOf(i)}`]);
    expect(all.map(merchantTags)).toEqual(merchantBefore);
    expect(shopifyTags(0)).toContain("wholesale");
    const stored = await db.prisma.customer.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    const segments = new Map(all.map((i) => [legacyId(i), segmentOf(i)]));
    for (const c of stored) {
      const segment = segments.get(c.id);
      if (c.id === 999_999_999n) expect(c.taggedSegment).toBeNull();
      else
        expect(c).toMatchObject({ taggedSegment: segment, tags: expect.arrayContaining([`rfm:${segment}`]) });
    }

    requests = [];
    await db.prisma.customer.delete({ where: { shop_id: { shop: SHOP, id: 999_999_999n } } });
    expect(await syncSegmentTags(deps(), SHOP)).toEqual({ mode: "tag", updated: 0, failed: 0 });
    expect(requests).toEqual([]);
  });

  it("moves the tag of a customer whose segment changed, and only that one, in one request", async () => {
    const i = 2;
    const to = segmentOf(i) === "lapsed" ? "recent" : "lapsed";
    await setSegment(legacyId(i), to);
    expect(await syncSegmentTags(deps(), SHOP)).toEqual({ mode: "tag", updated: 1, failed: 0 });
    expect(names()).toEqual(["SegmentTagReplace"]);
    expect(rfmTags(i)).toEqual([`rfm:${to}`]);
    await setSegment(legacyId(i), segmentOf(i));
    expect(await syncSegmentTags(deps(), SHOP)).toEqual({ mode: "tag", updated: 1, failed: 0 });
  });

  it("records nothing from a bulk run that failed, and the next run completes it", async () => {
    const moved = [3, 4];
    for (const i of moved) await setSegment(legacyId(i), "vip");
    emulator.failNextBulkOperation(SHOP);
    await expect(syncSegmentTags(deps({ directLimit: 0 }), SHOP)).rejects.toThrow(
      /bulk tagsAdd ended FAILED \(INTERNAL_SERVER_ERROR\)/,
    );
    for (const i of moved)
      expect(
        (await db.prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: legacyId(i) } } }))
          .taggedSegment,
      ).toBe(segmentOf(i));
    expect(await syncSegmentTags(deps({ directLimit: 0 }), SHOP)).toEqual({
      mode: "tag",
      updated: 2,
      failed: 0,
    });
    for (const i of moved) expect(rfmTags(i)).toEqual(["rfm:vip"]);
    for (const i of moved) await setSegment(legacyId(i), segmentOf(i));
    expect(await syncSegmentTags(deps(), SHOP)).toEqual({ mode: "tag", updated: 2, failed: 0 });
  });

  it("removes every rfm:* tag it wrote once the option is turned off, in one bulk run", async () => {
    await setOption(false);
    expect(await syncSegmentTags(deps(), SHOP)).toEqual({ mode: "untag", updated: CUSTOMERS, failed: 0 });
    expect(names()).toEqual(["BulkMutationStageVariables", "BulkMutationRun"]);
    for (const i of all) expect(rfmTags(i)).toEqual([]);
    expect(all.map(merchantTags)).toEqual(merchantBefore);
    expect(await db.prisma.customer.count({ where: { shop: SHOP, taggedSegment: { not: null } } })).toBe(0);
    requests = [];
    expect(await syncSegmentTags(deps(), SHOP)).toEqual({ mode: "untag", updated: 0, failed: 0 });
    expect(requests).toEqual([]);
  });
});
