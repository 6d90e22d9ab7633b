import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { shownRecencyDays } from "~/segments/recency";
import { rescoreCustomer, rescoreCustomers, rescoreShop, type RescoreDeps } from "~/segments/rescore.server";
import { scoreCustomers, type RfmCustomer } from "~/segments/rfm";
import { DEFAULT_THRESHOLDS, type SegmentThresholds } from "~/segments/rules";
import { saveSegmentThresholds } from "~/segments/settings.server";
import { recomputeAggregates, upsertOrders } from "~/sync/store.server";
import type { OrderRow } from "~/sync/rows";
import { databaseModes, type TestDatabase } from "./helpers/db";

const SHOP = "rescore-test.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const DAY = 86_400_000;
const NOW = new Date(Date.UTC(2026, 10, 20, 12, 0, 0, 0));

interface Aggregates {
  id: bigint;
  orderCount: number;
  spendMinor: bigint;
  discountedOrderCount: number;
  lastOrderAt: Date | null;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Aggregates with many ties (few distinct counts, spends and days) and some prospects. */
function randomStore(seed: number, count: number, now: Date): Aggregates[] {
  const random = mulberry32(seed);
  const pick = (k: number) => Math.floor(random() * k);
  return Array.from({ length: count }, (_, i) => {
    const orderCount = pick(5) === 0 ? 0 : 1 + pick(6);
    if (orderCount === 0)
      return { id: BigInt(i + 1), orderCount, spendMinor: 0n, discountedOrderCount: 0, lastOrderAt: null };
    // Whole days ± a few ms around day boundaries, so floor() is exercised.
    const days = [0, 1, 29, 30, 31, 45, 90, 179, 180, 181, 400][pick(11)] ?? 0;
    const jitter = [0, 1, -1, 3_600_000, DAY - 1][pick(5)] ?? 0;
    return {
      id: BigInt(i + 1),
      orderCount,
      spendMinor: BigInt([500, 1250, 1250, 9999, 20000][pick(5)] ?? 0) * BigInt(orderCount),
      discountedOrderCount: pick(orderCount + 1),
      lastOrderAt: new Date(now.getTime() - days * DAY - jitter),
    };
  });
}

async function seed(db: TestDatabase, shop: string, rows: Aggregates[]): Promise<void> {
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id.toString(),
      orderCount: r.orderCount,
      spendMinor: r.spendMinor.toString(),
      discountedOrderCount: r.discountedOrderCount,
      lastOrderAt: r.lastOrderAt?.toISOString() ?? null,
    })),
  );
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO "Customer" (shop, id, tags, "shopifyCreatedAt", "shopifyUpdatedAt", "orderCount", "spendMinor",
       "discountedOrderCount", "firstOrderAt", "lastOrderAt")
     SELECT $1, r.id, '{}', '2025-01-01', '2025-01-01', r."orderCount", r."spendMinor", r."discountedOrderCount",
       r."lastOrderAt" AT TIME ZONE 'UTC', r."lastOrderAt" AT TIME ZONE 'UTC'
     FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, "orderCount" int, "spendMinor" bigint,
       "discountedOrderCount" int, "lastOrderAt" timestamptz)`,
    shop,
    json,
  );
}

/** Rows no sync writes, but scoreCustomers defines: orders without a last order date, a date without orders. */
const inconsistent = (): Aggregates[] => [
  { id: 1n, orderCount: 2, spendMinor: 500n, discountedOrderCount: 1, lastOrderAt: null },
  { id: 2n, orderCount: 9, spendMinor: 999_999n, discountedOrderCount: 0, lastOrderAt: null },
  {
    id: 3n,
    orderCount: 0,
    spendMinor: 0n,
    discountedOrderCount: 0,
    lastOrderAt: new Date(NOW.getTime() - 3 * DAY),
  },
];

const toRfm = (a: Aggregates): RfmCustomer => ({
  id: a.id.toString(),
  frequency: a.orderCount,
  monetaryMinor: a.spendMinor,
  lastOrderAt: a.lastOrderAt,
  discountedOrders: a.discountedOrderCount,
});

/** Every customer of the shop with its stored score row; "unscored" when it has none. */
async function stored(db: TestDatabase, shop: string) {
  const [customers, scores] = await Promise.all([
    db.prisma.customer.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { id: true } }),
    db.prisma.customerScore.findMany({ where: { shop } }),
  ]);
  const byId = new Map(scores.map((s) => [s.customerId, s]));
  return customers.map(({ id }) => {
    const s = byId.get(id);
    return {
      id: id.toString(),
      r: s?.r ?? null,
      f: s?.f ?? null,
      m: s?.m ?? null,
      segment: s?.segment ?? "unscored",
    };
  });
}

function expected(rows: Aggregates[], now: Date, t: SegmentThresholds) {
  return scoreCustomers(rows.map(toRfm), now, t)
    .map((s) => ({ id: s.id, r: s.r, f: s.f, m: s.m, segment: s.segment }))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

const scoredAtOf = async (db: TestDatabase, shop: string) =>
  (await db.prisma.shopScoring.findUnique({ where: { shop } }))?.scoredAt ?? null;

describe.each(databaseModes)("segment rescore on $name", (mode) => {
  let db: TestDatabase;
  let now = NOW;
  const lines: string[] = [];
  const deps = (): RescoreDeps => ({ prisma: db.prisma, now: () => now, log: (line) => lines.push(line) });

  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });
  const reset = async () => {
    now = NOW;
    lines.length = 0;
    await db.prisma.customer.deleteMany({});
    await db.prisma.order.deleteMany({});
    await db.prisma.customerScore.deleteMany({});
    await db.prisma.shopScoring.deleteMany({});
    await db.prisma.segmentTransition.deleteMany({});
    await db.prisma.shopSettings.deleteMany({});
  };
  beforeEach(reset);

  const cases: Array<[string, () => Aggregates[], SegmentThresholds]> = [
    ["a random store with ties", () => randomStore(1, 400, NOW), DEFAULT_THRESHOLDS],
    ["another random store", () => randomStore(7, 257, NOW), DEFAULT_THRESHOLDS],
    [
      "odd thresholds",
      () => randomStore(3, 300, NOW),
      {
        lapsedAfterDays: 45,
        vipMinF: 3,
        vipMinM: 5,
        vipMinOrders: 3,
        priceSensitiveShare: 0.3333,
        recentWithinDays: 1,
      },
    ],
    [
      "a share of exactly one half and of zero",
      () => randomStore(11, 200, NOW),
      { ...DEFAULT_THRESHOLDS, priceSensitiveShare: 0 },
    ],
    [
      "n = 1",
      () => [
        ...randomStore(5, 4, NOW).map((a) => ({
          ...a,
          orderCount: 0,
          spendMinor: 0n,
          discountedOrderCount: 0,
          lastOrderAt: null,
        })),
        {
          id: 99n,
          orderCount: 3,
          spendMinor: 4200n,
          discountedOrderCount: 2,
          lastOrderAt: new Date(NOW.getTime() - 3 * DAY),
        },
      ],
      DEFAULT_THRESHOLDS,
    ],
    [
      "only prospects",
      () =>
        randomStore(5, 20, NOW).map((a) => ({
          ...a,
          orderCount: 0,
          spendMinor: 0n,
          discountedOrderCount: 0,
          lastOrderAt: null,
        })),
      DEFAULT_THRESHOLDS,
    ],
    [
      "all tied",
      () =>
        Array.from({ length: 9 }, (_, i) => ({
          id: BigInt(i + 1),
          orderCount: 2,
          spendMinor: 1000n,
          discountedOrderCount: 1,
          lastOrderAt: new Date(NOW.getTime() - 10 * DAY),
        })),
      DEFAULT_THRESHOLDS,
    ],
    [
      "an order after now",
      () => [
        {
          id: 1n,
          orderCount: 1,
          spendMinor: 100n,
          discountedOrderCount: 0,
          lastOrderAt: new Date(NOW.getTime() + 5),
        },
        ...randomStore(2, 30, NOW).map((a) => ({ ...a, id: a.id + 1n })),
      ],
      DEFAULT_THRESHOLDS,
    ],
    [
      "inconsistent aggregates (orders without a date, a date without orders)",
      () => [...inconsistent(), ...randomStore(13, 60, NOW).map((a) => ({ ...a, id: a.id + 10n }))],
      DEFAULT_THRESHOLDS,
    ],
  ];

  it.each(cases)(
    "the full rescore equals scoreCustomers row for row: %s",
    async (_name, make, thresholds) => {
      const rows = make();
      await seed(db, SHOP, rows);
      if (thresholds !== DEFAULT_THRESHOLDS)
        expect(await saveSegmentThresholds(db.prisma, SHOP, thresholds)).toMatchObject({ ok: true });
      const result = await rescoreShop(deps(), SHOP);
      const want = expected(rows, NOW, thresholds);
      expect(await stored(db, SHOP)).toEqual(want);
      expect(await scoredAtOf(db, SHOP)).toEqual(NOW);
      expect(result.customers).toBe(rows.length);
      for (const [segment, size] of Object.entries(result.counts)) {
        expect(size).toBe(want.filter((w) => w.segment === segment).length);
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^rescore rescore-test\.myshopify\.com: \d+ customers/);
    },
  );

  it("records one transition per change of segment, none when nothing changes", async () => {
    const rows = randomStore(21, 300, NOW);
    await seed(db, SHOP, rows);
    const first = await rescoreShop(deps(), SHOP);
    const initial = expected(rows, NOW, DEFAULT_THRESHOLDS);
    const moved = initial.filter((w) => w.segment !== "prospect");
    expect(first.written).toBe(rows.length); // never scored before: every customer gets a score row
    expect(first.changed).toBe(moved.length);
    // A first scoring is not a transition (no mass "became lapsed" after an install).
    expect(await db.prisma.segmentTransition.count({ where: { shop: SHOP } })).toBe(0);

    // Same time again: nothing to write, nothing recorded.
    const again = await rescoreShop(deps(), SHOP);
    expect(again).toMatchObject({ written: 0, changed: 0 });
    expect(await db.prisma.segmentTransition.count({ where: { shop: SHOP } })).toBe(0);

    // Two weeks later: recency moves; only customers whose segment changes get a transition.
    now = new Date(NOW.getTime() + 14 * DAY);
    const later = await rescoreShop(deps(), SHOP);
    const next = expected(rows, now, DEFAULT_THRESHOLDS);
    expect(await stored(db, SHOP)).toEqual(next);
    expect(await scoredAtOf(db, SHOP)).toEqual(now);
    // Only the customers whose scores or segment moved were written.
    expect(later.written).toBe(
      next.filter((w, i) => JSON.stringify(w) !== JSON.stringify(initial[i])).length,
    );
    expect(later.written).toBeLessThan(rows.length / 2);
    const changes = next.filter((w, i) => w.segment !== initial[i]?.segment);
    expect(changes.length).toBeGreaterThan(0);
    expect(later.changed).toBe(changes.length);
    const recorded = await db.prisma.segmentTransition.findMany({
      where: { shop: SHOP, at: now },
      orderBy: { customerId: "asc" },
    });
    expect(recorded.map((t) => [t.customerId.toString(), t.fromSegment, t.toSegment])).toEqual(
      changes.map((w) => [w.id, initial.find((i) => i.id === w.id)?.segment, w.segment]),
    );
  });

  it("leaves another shop's customers and transitions alone", async () => {
    await seed(db, SHOP, randomStore(4, 100, NOW));
    await seed(db, OTHER, randomStore(5, 100, NOW));
    const others = await db.prisma.customer.findMany({ where: { shop: OTHER }, select: { id: true } });
    await db.prisma.customerScore.createMany({
      data: others.map((c) => ({ shop: OTHER, customerId: c.id, r: 3, f: 1, m: 1, segment: "regular" })),
    });
    await db.prisma.shopScoring.create({ data: { shop: OTHER, scoredAt: new Date(0) } });
    const before = await db.prisma.customerScore.findMany({
      where: { shop: OTHER },
      orderBy: { customerId: "asc" },
    });
    await rescoreShop(deps(), SHOP);
    expect(
      await db.prisma.customerScore.findMany({ where: { shop: OTHER }, orderBy: { customerId: "asc" } }),
    ).toEqual(before);
    expect(await scoredAtOf(db, OTHER)).toEqual(new Date(0));
    expect(await db.prisma.segmentTransition.count({ where: { shop: OTHER } })).toBe(0);
    // And the other shop's customers do not count in this shop's distribution.
    expect(await stored(db, SHOP)).toEqual(expected(randomStore(4, 100, NOW), NOW, DEFAULT_THRESHOLDS));
  });

  it("rescoreCustomer agrees with the full rescore when nothing changed", async () => {
    // Every customer: both sides of the counts (low and high stored scores), prospects, ties, odd rows.
    const rows = [...inconsistent(), ...randomStore(8, 200, NOW).map((a) => ({ ...a, id: a.id + 10n }))];
    await seed(db, SHOP, rows);
    await rescoreShop(deps(), SHOP);
    const full = await stored(db, SHOP);
    for (const row of rows) {
      const result = await rescoreCustomer(deps(), SHOP, row.id);
      expect(result).toMatchObject({
        changed: false,
        segment: full.find((f) => f.id === row.id.toString())?.segment,
      });
    }
    expect(await stored(db, SHOP)).toEqual(full);
    expect(await rescoreCustomer(deps(), SHOP, 987654321n)).toBeNull();
  });

  it("rescoreCustomer scores never-scored customers exactly as the full rescore would", async () => {
    const rows = [...inconsistent(), ...randomStore(14, 150, NOW).map((a) => ({ ...a, id: a.id + 10n }))];
    await seed(db, SHOP, rows);
    const want = expected(rows, NOW, DEFAULT_THRESHOLDS);
    for (const row of rows) await rescoreCustomer(deps(), SHOP, row.id);
    expect(await stored(db, SHOP)).toEqual(want);
    expect(await db.prisma.segmentTransition.count({ where: { shop: SHOP } })).toBe(0);
    // Rescored one by one a day later, from their stored scores (the other side of the counts).
    now = new Date(NOW.getTime() + DAY);
    for (const row of rows) await rescoreCustomer(deps(), SHOP, row.id);
    expect(await stored(db, SHOP)).toEqual(expected(rows, now, DEFAULT_THRESHOLDS));
  });

  it.each(["counted", "bucketed"] as const)(
    "rescoreCustomers (%s) scores a batch in one statement exactly as the full rescore would",
    async (method) => {
      const rows = [...inconsistent(), ...randomStore(21, 150, NOW).map((a) => ({ ...a, id: a.id + 10n }))];
      await seed(db, SHOP, rows);
      const results = await rescoreCustomers(
        deps(),
        SHOP,
        [...rows.map((r) => r.id), rows[0]!.id, 987654321n],
        {
          method,
        },
      );
      expect(results.size).toBe(rows.length);
      expect(
        [...results.values()].every((r) => r.from === null && r.changed === (r.segment !== "prospect")),
      ).toBe(true);
      expect(await stored(db, SHOP)).toEqual(expected(rows, NOW, DEFAULT_THRESHOLDS));
      // A day later, all at once from their stored scores; nothing moves twice when run again.
      now = new Date(NOW.getTime() + DAY);
      await rescoreCustomers(
        deps(),
        SHOP,
        rows.map((r) => r.id),
        { method },
      );
      expect(await stored(db, SHOP)).toEqual(expected(rows, now, DEFAULT_THRESHOLDS));
      const again = await rescoreCustomers(
        deps(),
        SHOP,
        rows.map((r) => r.id),
        { method },
      );
      expect([...again.values()].some((r) => r.changed)).toBe(false);
    },
  );

  it("rescoreCustomers (bucketed) scores a sparse batch against everyone else's aggregates", async () => {
    // Few cut points for many buyers: each bucket spans several values and ties fall on both sides.
    const rows = [...inconsistent(), ...randomStore(33, 400, NOW).map((a) => ({ ...a, id: a.id + 10n }))];
    await seed(db, SHOP, rows);
    await rescoreShop(deps(), SHOP);
    now = new Date(NOW.getTime() + 31 * DAY);
    const batch = rows.filter((_, i) => i % 37 === 3 || i === 0);
    const results = await rescoreCustomers(
      deps(),
      SHOP,
      batch.map((r) => r.id),
      { method: "bucketed" },
    );
    expect(results.size).toBe(batch.length);
    const wanted = new Set(batch.map((r) => r.id.toString()));
    const want = expected(rows, now, DEFAULT_THRESHOLDS).filter((w) => wanted.has(w.id));
    expect((await stored(db, SHOP)).filter((s) => wanted.has(s.id))).toEqual(want);
  });

  it("rescoreCustomers (bucketed) agrees with scoreCustomers on any store, batch and day", async () => {
    // Cut points anywhere: the batch's lowest and highest values, ties with buyers outside it, a
    // batch of one, negative spends (refunds beyond the orders), stored scores or none.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 5, max: 120 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 0, max: 400 }),
        fc.boolean(),
        async (seedNumber, count, every, laterDays, scoredFirst) => {
          await reset();
          const rows = [
            ...inconsistent(),
            ...randomStore(seedNumber, count, NOW).map((a, i) => ({
              ...a,
              id: a.id + 10n,
              spendMinor: i % 17 === 5 && a.orderCount > 0 ? -a.spendMinor : a.spendMinor,
            })),
          ];
          await seed(db, SHOP, rows);
          if (scoredFirst) await rescoreShop(deps(), SHOP);
          now = new Date(NOW.getTime() + laterDays * DAY);
          const batch = rows.filter((_, i) => i % every === seedNumber % every);
          await rescoreCustomers(
            deps(),
            SHOP,
            batch.map((r) => r.id),
            { method: "bucketed" },
          );
          const wanted = new Set(batch.map((r) => r.id.toString()));
          const want = expected(rows, now, DEFAULT_THRESHOLDS).filter((w) => wanted.has(w.id));
          expect((await stored(db, SHOP)).filter((s) => wanted.has(s.id))).toEqual(want);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("rescoreCustomer moves a lapsed customer at once when a new order arrives", async () => {
    const rows = randomStore(9, 150, NOW);
    const lapsed: Aggregates = {
      id: 5000n,
      orderCount: 1,
      spendMinor: 1500n,
      discountedOrderCount: 0,
      lastOrderAt: null,
    };
    await seed(db, SHOP, [...rows, lapsed]);
    // Its one order, 200 days ago, stored like the sync stores orders.
    const order = (id: bigint, createdAt: Date): OrderRow => ({
      id,
      customerId: lapsed.id,
      shopifyCreatedAt: createdAt,
      shopifyUpdatedAt: createdAt,
      cancelledAt: null,
      test: false,
      totalMinor: 1500n,
      discountMinor: 0n,
      currencyCode: "USD",
      discountCodes: [],
      landingPage: null,
      referrerUrl: null,
      utmSource: null,
      utmMedium: null,
      utmCampaign: null,
    });
    await upsertOrders(db.prisma, SHOP, [order(1n, new Date(NOW.getTime() - 200 * DAY))]);
    await recomputeAggregates(db.prisma, SHOP, [lapsed.id]);
    await rescoreShop(deps(), SHOP);
    expect(
      await db.prisma.customerScore.findUniqueOrThrow({
        where: { shop_customerId: { shop: SHOP, customerId: lapsed.id } },
      }),
    ).toMatchObject({
      segment: "lapsed",
    });
    const before = await db.prisma.customer.findUniqueOrThrow({
      where: { shop_id: { shop: SHOP, id: lapsed.id } },
    });
    expect(shownRecencyDays(await scoredAtOf(db, SHOP), before.lastOrderAt)).toBe(200);

    // An hour later a new order: the webhook recomputes the aggregates, then rescores the customer.
    now = new Date(NOW.getTime() + 3_600_000);
    await upsertOrders(db.prisma, SHOP, [order(2n, new Date(now.getTime() - 60_000))]);
    await recomputeAggregates(db.prisma, SHOP, [lapsed.id]);
    const othersBefore = await db.prisma.customerScore.findMany({
      where: { shop: SHOP, customerId: { not: lapsed.id } },
      orderBy: { customerId: "asc" },
    });
    const result = await rescoreCustomer(deps(), SHOP, lapsed.id);
    expect(result).toEqual({ segment: "recent", from: "lapsed", changed: true });

    // Its scores are those of the current distribution (the full rescore at this time agrees).
    const current = [
      ...rows,
      { ...lapsed, orderCount: 2, spendMinor: 3000n, lastOrderAt: new Date(now.getTime() - 60_000) },
    ];
    const want = expected(current, now, DEFAULT_THRESHOLDS).find((w) => w.id === lapsed.id.toString());
    const stored1 = await db.prisma.customerScore.findUniqueOrThrow({
      where: { shop_customerId: { shop: SHOP, customerId: lapsed.id } },
    });
    expect({ r: stored1.r, f: stored1.f, m: stored1.m, segment: stored1.segment }).toEqual({
      r: want?.r,
      f: want?.f,
      m: want?.m,
      segment: want?.segment,
    });
    // Only this customer was written; the shop's scoring time stays that of the full rescore.
    expect(
      await db.prisma.customerScore.findMany({
        where: { shop: SHOP, customerId: { not: lapsed.id } },
        orderBy: { customerId: "asc" },
      }),
    ).toEqual(othersBefore);
    expect(await scoredAtOf(db, SHOP)).toEqual(NOW);
    const transitions = await db.prisma.segmentTransition.findMany({
      where: { shop: SHOP, customerId: lapsed.id },
      orderBy: { at: "asc" },
    });
    expect(transitions.map((t) => [t.fromSegment, t.toSegment, t.at.getTime()])).toEqual([
      ["lapsed", "recent", now.getTime()],
    ]);

    // Rescoring it again changes nothing and records nothing.
    expect(await rescoreCustomer(deps(), SHOP, lapsed.id)).toEqual({
      segment: "recent",
      from: "recent",
      changed: false,
    });
    expect(await db.prisma.segmentTransition.count({ where: { shop: SHOP, customerId: lapsed.id } })).toBe(1);
    // Same customer, same change at another time: another transition with another id.
    await db.prisma.customerScore.update({
      where: { shop_customerId: { shop: SHOP, customerId: lapsed.id } },
      data: { segment: "lapsed" },
    });
    now = new Date(now.getTime() + 1000);
    expect(await rescoreCustomer(deps(), SHOP, lapsed.id)).toMatchObject({
      from: "lapsed",
      segment: "recent",
      changed: true,
    });
    expect(await db.prisma.segmentTransition.count({ where: { shop: SHOP, customerId: lapsed.id } })).toBe(2);
  });

  it("rescoreCustomer scores a customer first seen through a webhook and a customer who becomes a prospect", async () => {
    const rows = randomStore(12, 50, NOW);
    await seed(db, SHOP, rows);
    // Never scored: from is null, and a first scoring records no transition.
    const first = rows.find((r) => r.orderCount > 0);
    if (!first) throw new Error("store without buyers");
    expect(await rescoreCustomer(deps(), SHOP, first.id)).toMatchObject({ from: null, changed: true });
    expect(await db.prisma.segmentTransition.count({ where: { shop: SHOP } })).toBe(0);
    // All orders cancelled: back to prospect, scores cleared.
    await db.prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: first.id } },
      data: { orderCount: 0, spendMinor: 0n, discountedOrderCount: 0, lastOrderAt: null, firstOrderAt: null },
    });
    now = new Date(NOW.getTime() + 1000);
    const back = await rescoreCustomer(deps(), SHOP, first.id);
    expect(back).toMatchObject({ segment: "prospect", changed: true });
    const recorded = await db.prisma.segmentTransition.findMany({ where: { shop: SHOP } });
    expect(recorded.map((t) => [t.customerId, t.toSegment])).toEqual([[first.id, "prospect"]]);
    expect(
      await db.prisma.customerScore.findUniqueOrThrow({
        where: { shop_customerId: { shop: SHOP, customerId: first.id } },
      }),
    ).toMatchObject({
      segment: "prospect",
      r: null,
      f: null,
      m: null,
    });
  });
});
