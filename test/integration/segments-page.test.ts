import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@prisma/client";
import {
  CSV_HEADER,
  loadMembers,
  loadSegmentReport,
  parseMemberQuery,
  segmentsCsv,
  type MemberQuery,
} from "~/segments/report.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

const SHOP = "segments-page.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const SCORED_AT = new Date("2026-11-20T00:00:00Z");
const day = (n: number) => new Date(SCORED_AT.getTime() - n * 86_400_000);

type Score = Pick<Prisma.CustomerScoreCreateManyInput, "r" | "f" | "m" | "segment">;
type Row = Omit<Prisma.CustomerCreateManyInput, "shop" | "shopifyCreatedAt" | "shopifyUpdatedAt"> & { id: bigint; score: Score };
// recency_days is not stored: it shows as of the shop's scoring time, from the last order.
const buyer = (id: number, email: string | null, segment: string, orders: number, spend: bigint, discounted: number, recency: number, r: number, f: number, m: number, rfmGroup: string | null = null): Row => ({
  id: BigInt(id),
  email,
  orderCount: orders,
  spendMinor: spend,
  discountedOrderCount: discounted,
  firstOrderAt: day(recency + 100),
  lastOrderAt: new Date(day(recency).getTime() - 3_600_000),
  rfmGroup,
  score: { r, f, m, segment },
});
const prospect = (id: number, email: string | null): Row => ({ id: BigInt(id), email, score: { segment: "prospect" } });

// Spend 51,000 in all; VIP holds 40,000 of it (78.4%).
const CUSTOMERS: Row[] = [
  buyer(1, "Anna@Example.com", "vip", 4, 40_000n, 0, 3, 5, 5, 5, "CHAMPIONS"),
  buyer(2, '"bob,smith"@example.com', "price_sensitive", 3, 3_001n, 2, 20, 4, 4, 2, "CHAMPIONS"),
  prospect(3, null),
  buyer(4, "lapsed@example.com", "lapsed", 1, 999n, 0, 400, 1, 1, 1, "AT_RISK"),
  buyer(5, "recent@example.com", "recent", 1, 5_000n, 0, 10, 4, 1, 3),
  buyer(7, "a_b@example.com", "regular", 2, 2_000n, 1, 90, 3, 3, 2),
  prospect(8, "axb@example.com"),
  prospect(9, "another@example.com"),
];

describe.each(databaseModes)("Segments page queries ($name)", (mode) => {
  let db: TestDatabase;
  const query = (params: Record<string, string>): MemberQuery => parseMemberQuery(new URLSearchParams(params));
  const ids = async (params: Record<string, string>) => (await loadMembers(db.prisma, SHOP, query(params), "USD")).rows.map((r) => r.id);

  beforeAll(async () => {
    db = await mode.open();
    const at = day(500);
    await db.prisma.shop.create({ data: { domain: SHOP, scopes: "", currencyCode: "USD" } });
    const customer = ({ score: _score, ...c }: Row) => c;
    await db.prisma.customer.createMany({ data: CUSTOMERS.map((c) => ({ ...customer(c), shop: SHOP, shopifyCreatedAt: at, shopifyUpdatedAt: at })) });
    await db.prisma.customerScore.createMany({ data: CUSTOMERS.map((c) => ({ ...c.score, shop: SHOP, customerId: c.id })) });
    await db.prisma.shopScoring.create({ data: { shop: SHOP, scoredAt: SCORED_AT } });
    // Another shop's customers share ids and must never show up.
    await db.prisma.customer.createMany({
      data: CUSTOMERS.map((c) => ({ ...customer(c), shop: OTHER, email: "other@example.com", shopifyCreatedAt: at, shopifyUpdatedAt: at })),
    });
    await db.prisma.customerScore.createMany({ data: CUSTOMERS.map((c) => ({ shop: OTHER, customerId: c.id, r: 5, f: 5, m: 5, segment: "vip" })) });
    await db.prisma.shopScoring.create({ data: { shop: OTHER, scoredAt: day(-3) } });
  });
  afterAll(async () => {
    await db.close();
  });

  it("sums each segment: size, shares of customers and revenue, AOV and treatment", async () => {
    const report = await loadSegmentReport(db.prisma, SHOP);
    expect(report).toMatchObject({ currencyCode: "USD", totalCustomers: 8, scoredCustomers: 8, scoredAt: SCORED_AT.toISOString(), totalRevenue: "$510.00" });
    const table = Object.fromEntries(report.segments.map((s) => [s.segment, [s.customers, s.customerShare, s.revenueShare, s.averageOrderValue]]));
    expect(report.segments.map((s) => s.segment)).toEqual(["prospect", "lapsed", "vip", "price_sensitive", "recent", "regular"]);
    expect(table).toEqual({
      prospect: [3, "37.5%", "0.0%", null],
      lapsed: [1, "12.5%", "2.0%", "$9.99"],
      vip: [1, "12.5%", "78.4%", "$100.00"],
      // 3,001 / 3 orders: integer division in minor units
      price_sensitive: [1, "12.5%", "5.9%", "$10.00"],
      recent: [1, "12.5%", "9.8%", "$50.00"],
      regular: [1, "12.5%", "3.9%", "$10.00"],
    });
    expect(report.segments.find((s) => s.segment === "vip")).toMatchObject({ label: "VIP", treatment: expect.stringContaining("Early access") });
  });

  it("counts customers by R and F, prospects excluded", async () => {
    const { matrix, matrixMax } = await loadSegmentReport(db.prisma, SHOP);
    expect(matrix).toHaveLength(25);
    expect(matrix[0]).toEqual({ r: 5, f: 1, customers: 0 });
    const filled = matrix.filter((c) => c.customers > 0).map((c) => `${c.r}${c.f}:${c.customers}`);
    expect(filled.sort()).toEqual(["11:1", "33:1", "41:1", "44:1", "55:1"]);
    expect(matrixMax).toBe(1);
  });

  it("lines our segments up with Shopify's RFM groups", async () => {
    const { crosstab } = await loadSegmentReport(db.prisma, SHOP);
    expect(crosstab?.groups).toEqual(["AT_RISK", "CHAMPIONS"]);
    const rows = Object.fromEntries((crosstab?.rows ?? []).map((r) => [r.segment, r.counts]));
    expect(rows).toMatchObject({ vip: [0, 1], price_sensitive: [0, 1], lapsed: [1, 0], prospect: [0, 0] });
  });

  it("is empty, not failing, for a shop with no customers", async () => {
    const report = await loadSegmentReport(db.prisma, "empty.myshopify.com");
    expect(report).toMatchObject({ totalCustomers: 0, scoredAt: null, currencyCode: null, crosstab: null, matrixMax: 0 });
    expect(report.segments.every((s) => s.customers === 0 && s.customerShare === "0.0%")).toBe(true);
  });

  it("searches members by email (case-insensitive, wildcards literal) or customer id", async () => {
    expect(await ids({ q: "anna@EXAMPLE" })).toEqual(["1"]);
    expect(await ids({ q: "a_b" })).toEqual(["7"]);
    expect(await ids({ q: "a%b" })).toEqual([]);
    expect(await ids({ q: "3" })).toEqual(["3"]);
    expect(await ids({ q: "gid://shopify/Customer/4" })).toEqual(["4"]);
    expect(await ids({ segment: "prospect", sort: "spend", dir: "asc" })).toEqual(["3", "8", "9"]);
    expect(await ids({ segment: "prospect", q: "axb" })).toEqual(["8"]);
  });

  it("lists members by name and searches their first and last names together", async () => {
    await db.prisma.customer.update({ where: { shop_id: { shop: SHOP, id: 1n } }, data: { firstName: "Anna", lastName: "Lindqvist" } });
    await db.prisma.customer.update({ where: { shop_id: { shop: SHOP, id: 8n } }, data: { firstName: null, lastName: "Axelsson" } });
    try {
      const rows = (await loadMembers(db.prisma, SHOP, query({ sort: "spend" }), "USD")).rows;
      expect(rows.find((r) => r.id === "1")).toMatchObject({ firstName: "Anna", lastName: "Lindqvist", email: "Anna@Example.com" });
      expect(rows.find((r) => r.id === "8")).toMatchObject({ firstName: null, lastName: "Axelsson" });
      expect(rows.find((r) => r.id === "3")).toMatchObject({ firstName: null, lastName: null, email: null });
      expect(await ids({ q: "anna lind" })).toEqual(["1"]);
      expect(await ids({ q: "LINDQVIST" })).toEqual(["1"]);
      expect(await ids({ q: "axelsson" })).toEqual(["8"]);
      // the other shop's customers with the same ids are never found
      await db.prisma.customer.update({ where: { shop_id: { shop: OTHER, id: 2n } }, data: { firstName: "Anna", lastName: "Lindqvist" } });
      expect(await ids({ q: "anna lind" })).toEqual(["1"]);
    } finally {
      await db.prisma.customer.updateMany({ where: { id: { in: [1n, 2n, 8n] } }, data: { firstName: null, lastName: null } });
    }
  });

  it("sorts members both ways, prospects last on dates, and pages through them", async () => {
    expect(await ids({ sort: "spend", dir: "desc" })).toEqual(["1", "5", "2", "7", "4", "3", "8", "9"]);
    expect(await ids({ sort: "orders", dir: "asc" })).toEqual(["3", "8", "9", "4", "5", "7", "2", "1"]);
    expect(await ids({ sort: "last_order", dir: "desc" })).toEqual(["1", "5", "2", "7", "4", "3", "8", "9"]);
    expect(await ids({ sort: "last_order", dir: "asc" })).toEqual(["4", "7", "2", "5", "1", "3", "8", "9"]);
    expect(await ids({ sort: "recency", dir: "asc" })).toEqual(["1", "5", "2", "7", "4", "3", "8", "9"]);

    const page2 = await loadMembers(db.prisma, SHOP, query({ sort: "spend", size: "3", page: "2" }), "USD");
    expect(page2).toMatchObject({ total: 8, pages: 3, hasPrevious: true, hasNext: true });
    expect(page2.rows.map((r) => r.id)).toEqual(["7", "4", "3"]);
    expect(page2.rows[0]).toMatchObject({ email: "a_b@example.com", segment: "regular", segmentLabel: "Regular", orders: 2, spend: "$20.00", recencyDays: 90, r: 3, f: 3, m: 2 });
    const last = await loadMembers(db.prisma, SHOP, query({ sort: "spend", size: "3", page: "3" }), "USD");
    expect(last).toMatchObject({ hasNext: false });
    expect(last.rows.map((r) => r.id)).toEqual(["8", "9"]);
  });

  it("shows a customer not scored yet as a prospect, and an order since the scoring as 0 days", async () => {
    const at = day(500);
    await db.prisma.customer.createMany({
      data: [
        { shop: SHOP, id: 20n, email: "new@example.com", shopifyCreatedAt: at, shopifyUpdatedAt: at },
        { shop: SHOP, id: 21n, email: "since@example.com", orderCount: 1, spendMinor: 100n, lastOrderAt: day(-2), shopifyCreatedAt: at, shopifyUpdatedAt: at },
      ],
    });
    // 21 ordered two days after the scoring; a webhook rescored it then.
    await db.prisma.customerScore.create({ data: { shop: SHOP, customerId: 21n, r: 5, f: 1, m: 1, segment: "recent" } });
    try {
      expect(await ids({ segment: "prospect", sort: "spend", dir: "asc" })).toEqual(["3", "8", "9", "20"]);
      const report = await loadSegmentReport(db.prisma, SHOP);
      expect(report).toMatchObject({ totalCustomers: 10, scoredCustomers: 9 });
      expect(report.segments.find((s) => s.segment === "prospect")?.customers).toBe(4);
      const rows = (await loadMembers(db.prisma, SHOP, query({ q: "example.com", sort: "last_order", size: "100" }), "USD")).rows;
      expect(rows.find((r) => r.id === "21")).toMatchObject({ segment: "recent", recencyDays: 0 });
      expect(rows.find((r) => r.id === "20")).toMatchObject({ segment: "prospect", recencyDays: null, r: null });
    } finally {
      await db.prisma.customerScore.deleteMany({ where: { shop: SHOP, customerId: { in: [20n, 21n] } } });
      await db.prisma.customer.deleteMany({ where: { shop: SHOP, id: { in: [20n, 21n] } } });
    }
  });

  it("reads unknown or out-of-range list parameters as the defaults", () => {
    expect(parseMemberQuery(new URLSearchParams("segment=nope&sort=x&dir=up&page=-2&size=5000"))).toEqual({
      q: "",
      segment: null,
      sort: "spend",
      direction: "desc",
      page: 1,
      size: 100,
    });
  });

  it("exports CSV with RFC 4180 quoting, decimal money and the segment filter", async () => {
    const all = await new Response(segmentsCsv(db.prisma, SHOP, null, "USD")).text();
    const lines = all.split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(1, -1)).toEqual([
      "1,Anna@Example.com,vip,3,4,400.00,5,5,5,0.0000",
      '2,"""bob,smith""@example.com",price_sensitive,20,3,30.01,4,4,2,0.6667',
      "3,,prospect,,0,0.00,,,,",
      "4,lapsed@example.com,lapsed,400,1,9.99,1,1,1,0.0000",
      "5,recent@example.com,recent,10,1,50.00,4,1,3,0.0000",
      "7,a_b@example.com,regular,90,2,20.00,3,3,2,0.5000",
      "8,axb@example.com,prospect,,0,0.00,,,,",
      "9,another@example.com,prospect,,0,0.00,,,,",
    ]);
    const vip = await new Response(segmentsCsv(db.prisma, SHOP, "price_sensitive", "USD")).text();
    expect(vip.split("\r\n").slice(1, -1).map((l) => l.split(",")[0])).toEqual(["2"]);
  });

  it("exports text a spreadsheet would run as a formula as text, and negative amounts as numbers", async () => {
    const hostile: Row[] = [
      buyer(40, '=HYPERLINK("http://evil.example","x")@example.com', "regular", 1, -1_250n, 0, 5, 1, 1, 1),
      buyer(41, "-2+3@example.com", "regular", 2, 700n, 2, 6, 1, 2, 1),
      buyer(42, "@sum@example.com", "regular", 1, -5n, 0, 7, 1, 1, 1),
    ];
    const at = day(500);
    await db.prisma.customer.createMany({
      data: hostile.map(({ score: _score, ...c }) => ({ ...c, shop: SHOP, shopifyCreatedAt: at, shopifyUpdatedAt: at })),
    });
    await db.prisma.customerScore.createMany({ data: hostile.map((c) => ({ ...c.score, shop: SHOP, customerId: c.id })) });
    try {
      const csv = await new Response(segmentsCsv(db.prisma, SHOP, "regular", "USD")).text();
      expect(csv.split("\r\n").slice(1, -1)).toEqual([
        "7,a_b@example.com,regular,90,2,20.00,3,3,2,0.5000",
        '40,"\'=HYPERLINK(""http://evil.example"",""x"")@example.com",regular,5,1,-12.50,1,1,1,0.0000',
        "41,'-2+3@example.com,regular,6,2,7.00,1,2,1,1.0000",
        "42,'@sum@example.com,regular,7,1,-0.05,1,1,1,0.0000",
      ]);
    } finally {
      await db.prisma.customerScore.deleteMany({ where: { shop: SHOP, customerId: { in: [40n, 41n, 42n] } } });
      await db.prisma.customer.deleteMany({ where: { shop: SHOP, id: { in: [40n, 41n, 42n] } } });
    }
  });
});
