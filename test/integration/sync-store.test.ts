import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateOrders } from "~/sync/aggregate";
import type { CustomerRow, OrderRow } from "~/sync/rows";
import { ownersOfOrders, recomputeAggregates, upsertCustomers, upsertOrders } from "~/sync/store.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

const SHOP = "store-test.myshopify.com";
const at = (day: number) => new Date(Date.UTC(2026, 0, day));

const customer = (id: bigint, updatedDay: number, extra: Partial<CustomerRow> = {}): CustomerRow => ({
  id,
  firstName: "Ada",
  lastName: `Lovelace ${id}`,
  email: `c${id}@example.com`,
  phone: null,
  locale: "en",
  tags: ["a", "b"],
  emailMarketingState: "SUBSCRIBED",
  emailOptInLevel: "SINGLE_OPT_IN",
  emailConsentUpdatedAt: at(1),
  smsMarketingState: null,
  smsOptInLevel: null,
  smsConsentUpdatedAt: null,
  countryCode: "US",
  provinceCode: "NY",
  timeZone: "America/New_York",
  rfmGroup: "CHAMPIONS",
  shopifyCreatedAt: at(1),
  shopifyUpdatedAt: at(updatedDay),
  ...extra,
});

const order = (
  id: bigint,
  customerId: bigint | null,
  updatedDay: number,
  extra: Partial<OrderRow> = {},
): OrderRow => ({
  id,
  customerId,
  shopifyCreatedAt: at(Number(id)),
  shopifyUpdatedAt: at(updatedDay),
  cancelledAt: null,
  test: false,
  totalMinor: 1000n * id,
  discountMinor: id % 2n === 0n ? 100n : 0n,
  currencyCode: "USD",
  discountCodes: id % 2n === 0n ? ["SAVE"] : [],
  landingPage: "/?utm_source=news",
  referrerUrl: null,
  utmSource: "news",
  utmMedium: null,
  utmCampaign: null,
  ...extra,
});

describe.each(databaseModes)("synced records on $name", (mode) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("keeps the newest version whatever order updates arrive in", async () => {
    await upsertCustomers(db.prisma, SHOP, [customer(1n, 5, { email: "new@example.com" })]);
    await upsertCustomers(db.prisma, SHOP, [customer(1n, 3, { email: "old@example.com" })]);
    const stored = await db.prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: 1n } } });
    expect(stored.email).toBe("new@example.com");
    expect(stored.tags).toEqual(["a", "b"]);
    expect(stored.timeZone).toBe("America/New_York");
  });

  it("keeps the time zone when a webhook-shaped row does not carry it", async () => {
    await upsertCustomers(db.prisma, SHOP, [customer(1n, 6, { timeZone: undefined, rfmGroup: undefined })]);
    const stored = await db.prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: 1n } } });
    expect(stored.timeZone).toBe("America/New_York");
    expect(stored.rfmGroup).toBe("CHAMPIONS");
  });

  it("recomputes aggregates equal to the reference fold, including reassigned and cancelled orders", async () => {
    await upsertCustomers(db.prisma, SHOP, [customer(2n, 1)]);
    const orders = [
      order(1n, 1n, 1),
      order(2n, 1n, 1),
      order(3n, 2n, 1),
      order(4n, 1n, 1, { test: true }),
      order(5n, null, 1),
    ];
    await upsertOrders(db.prisma, SHOP, orders);
    await recomputeAggregates(db.prisma, SHOP);
    // order 2 moves to customer 2 and order 3 is cancelled, later
    const changed = [order(2n, 2n, 2), order(3n, 2n, 2, { cancelledAt: at(9) })];
    const owners = await ownersOfOrders(
      db.prisma,
      SHOP,
      changed.map((o) => o.id),
    );
    await upsertOrders(db.prisma, SHOP, changed);
    await recomputeAggregates(db.prisma, SHOP, [...owners, 2n]);

    const expected = aggregateOrders([orders[0]!, changed[0]!, changed[1]!, orders[3]!, orders[4]!]);
    for (const id of [1n, 2n]) {
      const row = await db.prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id } } });
      const want = expected.get(id);
      expect({
        orderCount: row.orderCount,
        spendMinor: row.spendMinor,
        discountedOrderCount: row.discountedOrderCount,
        firstOrderAt: row.firstOrderAt,
        lastOrderAt: row.lastOrderAt,
      }).toEqual(
        want ?? {
          orderCount: 0,
          spendMinor: 0n,
          discountedOrderCount: 0,
          firstOrderAt: null,
          lastOrderAt: null,
        },
      );
    }
  });

  it("never touches another shop's rows", async () => {
    await upsertCustomers(db.prisma, "other.myshopify.com", [
      customer(1n, 1, { email: "other@example.com" }),
    ]);
    await recomputeAggregates(db.prisma, "other.myshopify.com");
    const mine = await db.prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: 1n } } });
    expect(mine.email).toBe("c1@example.com");
    expect(mine.orderCount).toBe(1);
  });
});
