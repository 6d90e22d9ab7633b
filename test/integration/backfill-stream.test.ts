import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CustomerRow } from "~/sync/rows";
import { parseCustomerLine, parseOrderLine } from "~/sync/backfill/parse-lines";
import { streamJsonl, type StreamProgress } from "~/sync/backfill/stream-jsonl.server";
import { upsertCustomers, upsertOrders } from "~/sync/store.server";
import { streamExport } from "~/sync/backfill/load-export.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The streamer against a local HTTP server that serves hand-written files in awkward chunks.

const customer = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `gid://shopify/Customer/${n}`,
    email: `person${n}@example.com`,
    phone: null,
    createdAt: "2025-01-02T03:04:05Z",
    updatedAt: "2025-02-02T03:04:05Z",
    locale: "en",
    tags: ["a"],
    emailMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: null },
    smsMarketingConsent: null,
    defaultAddress: { countryCodeV2: "DE", provinceCode: null, timeZone: "Europe/Berlin" },
    statistics: { rfmGroup: "CHAMPIONS" },
    ...extra,
  });

const files: Record<string, { body: string; chunk: number }> = {};
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const file = files[req.url ?? ""];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/jsonl" });
    const bytes = Buffer.from(file.body, "utf8");
    let at = 0;
    const next = () => {
      if (at >= bytes.length) return void res.end();
      const piece = bytes.subarray(at, at + file.chunk);
      at += file.chunk;
      res.write(piece, () => setImmediate(next));
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("streamJsonl", () => {
  it.each([1, 7, 64, 100_000])("splits lines across chunks of %i bytes, with multi-byte text and no final newline", async (chunk) => {
    const lines = [customer(1), customer(2, { tags: ["ü€😀"] }), customer(3)];
    files["/a.jsonl"] = { body: lines.join("\n"), chunk };
    const rows: CustomerRow[] = [];
    const result = await streamJsonl({
      url: `${base}/a.jsonl`,
      parse: parseCustomerLine,
      store: async (batch) => void rows.push(...batch),
      log: () => undefined,
      batchSize: 2,
    });
    expect(result).toEqual({ lines: 3, stored: 3, skipped: 0, bytes: Buffer.byteLength(files["/a.jsonl"].body) });
    expect(rows.map((r) => r.id)).toEqual([1n, 2n, 3n]);
    expect(rows[1]?.tags).toEqual(["ü€😀"]);
  });

  it("skips children and reports progress at most every interval", async () => {
    files["/b.jsonl"] = { body: `${customer(1)}\n{"id":"gid://shopify/Order/9","__parentId":"gid://shopify/Customer/1"}\n${customer(2)}\n`, chunk: 10 };
    let t = 0;
    const reports: StreamProgress[] = [];
    const result = await streamJsonl({
      url: `${base}/b.jsonl`,
      parse: parseCustomerLine,
      store: async () => undefined,
      log: () => undefined,
      batchSize: 1,
      now: () => (t += 100),
      progressIntervalMs: 500,
      onProgress: (p) => void reports.push(p),
    });
    expect(result).toMatchObject({ lines: 3, stored: 2, skipped: 0 });
    expect(reports.at(-1)).toMatchObject({ lines: 3, stored: 2 });
    expect(reports.length).toBeLessThanOrEqual(2);
  });

  it("fails clearly when the file cannot be downloaded", async () => {
    await expect(
      streamJsonl({ url: `${base}/missing.jsonl`, parse: parseCustomerLine, store: async () => undefined, log: () => undefined, label: "customers" }),
    ).rejects.toThrow("downloading the customers bulk result failed: HTTP 404");
  });
});

describe.each(databaseModes)("a bulk file with bad lines ($name)", (mode) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });
  afterEach(async () => {
    await db.prisma.customer.deleteMany({});
    await db.prisma.order.deleteMany({});
  });

  it("loads every other line, counts 2 skipped, logs their numbers without personal data", async () => {
    const missingField = JSON.parse(customer(4)) as Record<string, unknown>;
    delete missingField.updatedAt;
    files["/bad.jsonl"] = {
      body: [customer(1), customer(2), `{"id":"gid://shopify/Customer/3","email":"secret@example.com",`, JSON.stringify(missingField), customer(5), ""].join("\n"),
      chunk: 33,
    };
    const logs: string[] = [];
    const result = await streamJsonl({
      url: `${base}/bad.jsonl`,
      label: "customers",
      parse: parseCustomerLine,
      store: (rows) => upsertCustomers(db.prisma, "s.myshopify.com", rows),
      log: (line) => logs.push(line),
      batchSize: 2,
    });
    expect(result).toMatchObject({ lines: 5, stored: 3, skipped: 2 });
    expect(logs).toEqual(["customers line 3 skipped: invalid JSON", "customers line 4 skipped: updatedAt: missing"]);
    expect(logs.join()).not.toContain("@");
    const stored = await db.prisma.customer.findMany({ orderBy: { id: "asc" } });
    expect(stored.map((c) => c.id)).toEqual([1n, 2n, 5n]);
  });

  it("an order in another currency is skipped as an unknown currency mix", async () => {
    const order = (n: number, currency: string) =>
      JSON.stringify({
        id: `gid://shopify/Order/${n}`,
        createdAt: "2025-01-02T03:04:05Z",
        updatedAt: "2025-01-02T03:04:05Z",
        cancelledAt: null,
        test: false,
        customer: { id: "gid://shopify/Customer/1" },
        currentTotalPriceSet: { shopMoney: { amount: "10.50", currencyCode: currency } },
        totalDiscountsSet: { shopMoney: { amount: "0.0", currencyCode: currency } },
        discountCodes: [],
      });
    files["/orders.jsonl"] = { body: `${order(1, "USD")}\n${order(2, "EUR")}\n`, chunk: 50 };
    const logs: string[] = [];
    const rows: unknown[] = [];
    const result = await streamJsonl({
      url: `${base}/orders.jsonl`,
      label: "orders",
      parse: (text, line) => parseOrderLine(text, line, "USD"),
      store: async (batch) => void rows.push(...batch),
      log: (line) => logs.push(line),
    });
    expect(result).toMatchObject({ lines: 2, stored: 1, skipped: 1 });
    expect(logs[0]).toMatch(/^orders line 2 skipped: unknown currency mix/);
  });

  it("orders with their line items' products, also those that come away from their order; a source without line items keeps them", async () => {
    const shop = "s.myshopify.com";
    const order = (n: number) =>
      JSON.stringify({
        id: `gid://shopify/Order/${n}`,
        createdAt: "2025-01-02T03:04:05Z",
        updatedAt: "2025-01-02T03:04:05Z",
        cancelledAt: null,
        test: false,
        customer: { id: "gid://shopify/Customer/1" },
        currentTotalPriceSet: { shopMoney: { amount: "10.50", currencyCode: "USD" } },
        totalDiscountsSet: { shopMoney: { amount: "0.0", currencyCode: "USD" } },
        discountCodes: [],
      });
    const item = (orderN: number, product: number | null) =>
      JSON.stringify({ id: `gid://shopify/LineItem/${orderN}${product}`, product: product === null ? null : { id: `gid://shopify/Product/${product}` }, __parentId: `gid://shopify/Order/${orderN}` });
    files["/families.jsonl"] = {
      body: [order(1), item(1, 20), item(1, null), order(2), item(2, 5), item(1, 10), order(3)].join("\n"),
      chunk: 7,
    };
    const logs: string[] = [];
    const result = await streamExport(
      "orders",
      { url: `${base}/families.jsonl`, label: "orders", log: (line) => logs.push(line), batchSize: 1, concurrency: 2 },
      { db: db.prisma, shop, currency: "USD" },
    );
    expect(result).toMatchObject({ lines: 7, stored: 3, skipped: 0 });
    expect(logs).toEqual(["orders: line items of 1 orders came away from their order; added to them"]);
    const stored = async () =>
      (await db.prisma.order.findMany({ where: { shop }, orderBy: { id: "asc" } })).map((o) => [o.id, o.productIds]);
    expect(await stored()).toEqual([
      [1n, [10n, 20n]],
      [2n, [5n]],
      [3n, []],
    ]);
    // The hourly reconciliation reads no line items: a newer version of order 2 keeps its products.
    const [row] = (await db.prisma.order.findMany({ where: { shop, id: 2n } })).map((o) => ({ ...o, productIds: undefined }));
    if (!row) throw new Error("order 2 missing");
    await upsertOrders(db.prisma, shop, [{ ...row, shopifyUpdatedAt: new Date("2025-02-01T00:00:00Z"), totalMinor: 99n }]);
    expect(await stored()).toEqual([
      [1n, [10n, 20n]],
      [2n, [5n]],
      [3n, []],
    ]);
    expect((await db.prisma.order.findFirst({ where: { shop, id: 2n } }))?.totalMinor).toBe(99n);
  });
});
