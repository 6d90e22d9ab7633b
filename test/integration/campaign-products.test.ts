import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDefinition } from "~/campaigns/lifecycle/definition";
import { campaignContent } from "~/campaigns/lifecycle/campaign-content";
import { prepareMessage } from "~/messaging/dispatch/message";
import { loadBoughtProducts, recommendProducts } from "~/messaging/dispatch/products.server";
import { seedCustomers } from "../support/outbox-factory";
import { buildPlaybook } from "~/campaigns/playbooks";
import type { ProductRow } from "~/sync/rows";
import {
  markProductDeleted,
  refreshProductSales,
  upsertProducts,
} from "~/sync/products/store-products.server";
import { upsertOrders } from "~/sync/store.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The recent segment's cross-sell with the stored catalogue: what a message shows is sellable now,
// never bought before by its customer, and read only from the customer's own shop.

const SHOP = "cross-sell.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const NOW = new Date("2026-11-28T20:00:00Z");
const storefront = { name: "Cross Sell", domain: "cross-sell.example", currencyCode: "USD" };

const product = (id: number, extra: Partial<ProductRow> = {}): ProductRow => ({
  id: BigInt(id),
  title: `Product ${id}`,
  handle: `product-${id}`,
  productType: "Apparel",
  tags: [],
  status: "ACTIVE",
  publishedAt: new Date("2026-01-01T00:00:00Z"),
  priceMinor: BigInt(1000 + id),
  currencyCode: "USD",
  imageUrl: `https://cdn.example/${id}.jpg`,
  inStock: true,
  tracksInventory: true,
  shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
  ...extra,
});

const order = (id: number, customerId: number, productIds: number[], extra: { test?: boolean } = {}) => ({
  id: BigInt(id),
  customerId: BigInt(customerId),
  shopifyCreatedAt: new Date("2026-11-01T00:00:00Z"),
  shopifyUpdatedAt: new Date("2026-11-01T00:00:00Z"),
  cancelledAt: null,
  test: extra.test ?? false,
  totalMinor: 1000n,
  discountMinor: 0n,
  currencyCode: "USD",
  discountCodes: [],
  landingPage: null,
  referrerUrl: null,
  utmSource: null,
  utmMedium: null,
  utmCampaign: null,
  productIds: productIds.map(BigInt),
});

describe.each(databaseModes)("cross-sell products at send time ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await seedCustomers(prisma, SHOP, 1, 4);
    await upsertProducts(prisma, SHOP, [
      product(1), // bought by customer 1
      product(2, { inStock: false }), // sold out
      product(3, { productType: "Home", tags: ["gift"] }),
      product(4, { status: "DRAFT" }),
      product(5, { inStock: false, tracksInventory: false }), // stock not counted: never sold out
      product(6),
      product(7, { publishedAt: null }), // not on the storefront
      product(8, { publishedAt: new Date("2026-12-24T00:00:00Z") }), // published later
      product(9, { currencyCode: "EUR" }), // cannot be priced in the shop's currency
      product(10, { productType: "Home", tags: ["gift"] }),
    ]);
    await markProductDeleted(prisma, SHOP, 6n);
    await upsertOrders(prisma, SHOP, [
      order(100, 1, [1]),
      order(101, 2, [3, 2]),
      order(102, 3, [3]),
      order(103, 3, [10, 1], { test: true }),
    ]);
    await refreshProductSales(prisma, SHOP);
    // Another shop's best seller, and a purchase there by a customer with the same id.
    await upsertProducts(prisma, OTHER, [product(50, { productType: "Home" })]);
    await upsertOrders(prisma, OTHER, [order(200, 2, [10]), order(201, 4, [50]), order(202, 5, [50])]);
    await refreshProductSales(prisma, OTHER);
  });
  afterAll(async () => {
    await db.close();
  });

  it("reads each customer's purchases from their shop only; test orders do not count", async () => {
    const bought = await loadBoughtProducts(prisma, SHOP, ["1", "2", "3", "4"]);
    expect(Object.fromEntries([...bought].map(([id, list]) => [id, [...list].sort()]))).toEqual({
      "1": ["1"],
      "2": ["2", "3"],
      "3": ["3"],
    });
    const sales = await prisma.product.findMany({
      where: { shop: SHOP, salesCount: { gt: 0 } },
      orderBy: { id: "asc" },
    });
    expect(sales.map((p) => [p.id, p.salesCount])).toEqual([
      [1n, 1],
      [2n, 1],
      [3n, 2],
    ]);
  });

  it("offers only sellable products the customer did not buy, what goes with their purchase first", async () => {
    const offers = await recommendProducts(prisma, {
      shop: SHOP,
      customerIds: ["1", "2", "3", "4"],
      storefront,
      now: NOW,
    });
    const titles = (id: string) => (offers.get(id) ?? []).map((p) => p.title);
    // 1 bought Apparel (1): Apparel first (5), then best sellers (3), then by id (10)
    expect(titles("1")).toEqual(["Product 5", "Product 3", "Product 10"]);
    // 2 bought Home+gift (3) and a sold-out Apparel (2): Home/gift 10 first, then Apparel, then the rest
    expect(titles("2")).toEqual(["Product 10", "Product 1", "Product 5"]);
    // 3 bought Home (3): 10; then the best seller 1
    expect(titles("3")).toEqual(["Product 10", "Product 1", "Product 5"]);
    // 4 bought nothing: best sellers, then by id
    expect(titles("4")).toEqual(["Product 3", "Product 1", "Product 5"]);
    expect(offers.get("1")?.[0]).toEqual({
      title: "Product 5",
      url: "https://cross-sell.example/products/product-5",
      price: "10.05",
      imageUrl: "https://cdn.example/5.jpg",
    });
    const everything = [...offers.values()].flat().map((p) => p.title);
    for (const never of [
      "Product 2",
      "Product 4",
      "Product 6",
      "Product 7",
      "Product 8",
      "Product 9",
      "Product 50",
    ])
      expect(everything).not.toContain(never);
  });

  it("is empty when nothing qualifies, and the template says so instead", async () => {
    const shop = "sold-out.myshopify.com";
    await seedCustomers(prisma, shop, 1, 1);
    await upsertProducts(prisma, shop, [product(1, { inStock: false }), product(2)]);
    await upsertOrders(prisma, shop, [order(1, 1, [2])]);
    const offers = await recommendProducts(prisma, { shop, customerIds: ["1"], storefront, now: NOW });
    expect(offers.get("1")).toEqual([]);
  });

  it("a recent campaign's email shows the customer's own products", async () => {
    const draft = buildPlaybook({ playbook: "cyber-week", year: 2026, countryCode: "US" }).find(
      (d) => d.segment === "recent",
    );
    if (!draft) throw new Error("no recent draft");
    const content = campaignContent(defaultDefinition(draft), storefront, "test-campaign");
    expect(content.includeProducts).toBe(true);
    const offers = await recommendProducts(prisma, {
      shop: SHOP,
      customerIds: ["1", "4"],
      storefront,
      now: NOW,
    });
    const email = (customerId: string) => {
      const prepared = prepareMessage({
        shop: SHOP,
        campaignId: "c_recent",
        content,
        row: {
          id: `m_${customerId}`,
          customerId,
          sendKey: draft.sends[0]?.key ?? "launch",
          segment: "recent",
          channel: "email",
          timeZone: "America/New_York",
          attempts: 1,
        },
        recipient: {
          firstName: null,
          lastName: null,
          email: `c${customerId}@example.com`,
          phone: null,
          locale: "en-US",
          countryCode: "US",
          provinceCode: "NY",
          emailMarketingState: "SUBSCRIBED",
          smsMarketingState: null,
        },
        suppressions: [],
        unsubscribeUrl: (channel) => `https://app.example.com/unsubscribe/${customerId}.${channel}`,
        now: new Date(`${draft.startsAt}T20:00:00Z`),
        products: offers.get(customerId) ?? [],
      });
      if (prepared.kind !== "send" || prepared.message.content.channel !== "email")
        throw new Error(JSON.stringify(prepared));
      return prepared.message.content;
    };
    const first = email("1");
    expect(first.text).toContain("- Product 5, $10.05: https://cross-sell.example/products/product-5");
    expect(first.text).not.toContain("Product 1,");
    expect(first.html).toContain('<img src="https://cdn.example/5.jpg"');
    const fourth = email("4");
    expect(fourth.text).toContain("- Product 1, $10.01: https://cross-sell.example/products/product-1");
    expect(fourth.text).not.toBe(first.text);
  });
});
