import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readStore, StrictStop } from "./read-store.server";

// The command lines' reader against an oracle on JSON.parse: repeated order ids count once (the
// first line) and each repeat is reported with its line; negative amounts are reported, not
// counted; lines without the fields the computation does not use count like full ones.

const dir = mkdtempSync(join(tmpdir(), "read-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AS_OF = new Date("2026-11-20T00:00:00Z");

const orderLine = fc.record({
  id: fc.integer({ min: 1, max: 12 }),
  customer: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null, freq: 6 }),
  cents: fc.integer({ min: -500, max: 100_000 }),
  discountCents: fc.constantFrom(0, 0, 150, -1),
  day: fc.integer({ min: 1, max: 30 }),
  test: fc.boolean(),
  cancelled: fc.boolean(),
  full: fc.boolean(),
});
type OrderSpec = typeof orderLine extends fc.Arbitrary<infer T> ? T : never;

const money = (cents: number) => ({ shopMoney: { amount: (cents / 100).toFixed(2), currencyCode: "USD" } });
function text(o: OrderSpec): string {
  const createdAt = `2026-11-${String(o.day).padStart(2, "0")}T00:00:00Z`;
  return JSON.stringify({
    id: `gid://shopify/Order/${o.id}`,
    createdAt,
    ...(o.full ? { updatedAt: createdAt } : {}),
    cancelledAt: o.cancelled ? createdAt : null,
    test: o.test,
    customer: o.customer === null ? null : { id: `gid://shopify/Customer/${o.customer}` },
    currentTotalPriceSet: money(o.cents),
    totalDiscountsSet: money(o.discountCents),
    ...(o.full ? { discountCodes: [] } : {}),
  });
}

/** Per customer [frequency, monetary, discounted, first, last order ms], and the lines to report, from the parsed lines. */
function oracle(lines: string[]) {
  const firstLine = new Map<string, number>();
  const reported: string[] = [];
  const totals = new Map<number, [number, number, number, number, number]>();
  lines.forEach((line, i) => {
    const o = JSON.parse(line) as {
      id: string;
      createdAt: string;
      cancelledAt: string | null;
      test: boolean;
      customer: { id: string } | null;
      currentTotalPriceSet: { shopMoney: { amount: string } };
      totalDiscountsSet: { shopMoney: { amount: string } };
    };
    const total = Math.round(Number(o.currentTotalPriceSet.shopMoney.amount) * 100);
    const discount = Math.round(Number(o.totalDiscountsSet.shopMoney.amount) * 100);
    if (o.currentTotalPriceSet.shopMoney.amount.startsWith("-") && total !== 0)
      return void reported.push(`${i + 1}: currentTotalPriceSet: negative amount`);
    if (discount < 0) return void reported.push(`${i + 1}: totalDiscountsSet: negative amount`);
    const first = firstLine.get(o.id);
    if (first !== undefined)
      return void reported.push(`${i + 1}: id: duplicate order (first on line ${first}), counted once`);
    firstLine.set(o.id, i + 1);
    if (o.test || o.cancelledAt !== null || o.customer === null || Date.parse(o.createdAt) > AS_OF.getTime())
      return;
    const customer = Number(o.customer.id.split("/").pop());
    const [f, m, d, earliest, latest] = totals.get(customer) ?? [0, 0, 0, Infinity, -Infinity];
    const at = Date.parse(o.createdAt);
    totals.set(customer, [
      f + 1,
      m + total,
      d + (discount > 0 ? 1 : 0),
      Math.min(earliest, at),
      Math.max(latest, at),
    ]);
  });
  return { totals, reported };
}

describe.each([
  { name: "in turn", threadFrom: Infinity, numRuns: 200, minDuplicates: 100 },
  { name: "on two threads", threadFrom: 0, numRuns: 12, minDuplicates: 1 },
])("readStore (both command lines' reader), $name", ({ threadFrom, numRuns, minDuplicates }) => {
  it("counts a repeated order once, reports repeats and negatives by line (property)", async () => {
    const customers = join(dir, "customers.jsonl");
    writeFileSync(customers, [1, 2, 3, 4].map((n) => `{"id":"gid://shopify/Customer/${n}"}`).join("\n"));
    const orders = join(dir, "orders.jsonl");
    let duplicates = 0;
    let twoThreads = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(orderLine, { minLength: 1, maxLength: 25 }), async (specs) => {
        const lines = specs.map(text);
        writeFileSync(orders, `${lines.join("\n")}\n`);
        const messages: string[] = [];
        const { table, counters, onTwoThreads } = await readStore(
          { customers, orders, currency: "USD", asOf: AS_OF, strict: false },
          (line) => messages.push(line),
          undefined,
          { threadFrom, partFrom: 0 },
        );
        if (threadFrom !== 0) expect(onTwoThreads).toBe(false);
        else if (onTwoThreads) twoThreads++;
        const want = oracle(lines);
        duplicates += want.reported.filter((r) => r.includes("duplicate")).length;
        expect(messages).toEqual(want.reported.map((r) => `${orders}:${r}`));
        expect(counters.badLines).toEqual({ customers: 0, orders: want.reported.length });
        for (const customer of [1, 2, 3, 4]) {
          const slot = table.slotOf(customer) ?? -1;
          const expected = want.totals.get(customer) ?? [0, 0, 0, Infinity, -Infinity];
          expect(
            [
              table.frequency[slot],
              table.monetary[slot],
              table.discounted[slot],
              table.firstMs[slot],
              table.lastMs[slot],
            ],
            `customer ${customer}`,
          ).toEqual(expected);
        }
      }),
      { numRuns },
    );
    expect(duplicates).toBeGreaterThanOrEqual(minDuplicates);
    // a repeat across the parts is read again in turn; the others stay on two threads
    if (threadFrom === 0) expect(twoThreads).toBeGreaterThan(0);
    // 200 pairs of files written and read: seconds on a busy machine, not a unit test's 5
  }, 30_000);
});

// The worker path against reading in turn on the same files: bad lines in both files, customers
// the orders do not know, strict or not — the same reports in the same order, the same table.
describe("readStore on two threads", () => {
  const customerText = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .integer({ min: 1, max: 30 })
        .map((n) => `{"id":"gid://shopify/Customer/${n}","email":null}`),
    },
    { weight: 1, arbitrary: fc.constantFrom("{bad", "", '{"id":"gid://shopify/Order/1"}', "[]") },
  );
  // ids in file order (as Shopify exports) half the time, so the second part is merged, with
  // now and then an id repeating the line before's (merged or read again in turn)
  const ordersText = fc
    .tuple(
      fc.array(
        fc.oneof(
          { weight: 8, arbitrary: orderLine },
          { weight: 1, arbitrary: fc.constantFrom("{bad", "", "  ", '{"id":"gid://shopify/Order/x"}') },
        ),
        { maxLength: 30 },
      ),
      fc.boolean(),
    )
    .map(([items, ascending]) =>
      items.map((item, i) => {
        if (typeof item === "string") return item;
        const id = ascending ? (item.id === 1 && i > 0 ? i : i + 1) : item.id;
        return text({ ...item, id, customer: item.customer === null ? null : item.customer * 9 });
      }),
    );
  it("reports and totals exactly as reading in turn (property)", async () => {
    const customers = join(dir, "c-worker.jsonl");
    const orders = join(dir, "o-worker.jsonl");
    let split = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(customerText, { maxLength: 20 }),
        ordersText,
        fc.boolean(),
        async (c, o, strict) => {
          writeFileSync(customers, c.join("\n"));
          writeFileSync(orders, o.join("\n"));
          const read = async (threadFrom: number) => {
            const messages: string[] = [];
            const files = { customers, orders, currency: "USD", asOf: AS_OF, strict };
            try {
              const { table, counters, onTwoThreads, ordersSplit } = await readStore(
                files,
                (line) => messages.push(line),
                undefined,
                { threadFrom, partFrom: 0 },
              );
              if (threadFrom !== 0) expect(onTwoThreads).toBe(false);
              if (ordersSplit) split++;
              const rows = Array.from({ length: table.size }, (_, i) => [
                table.ids[i],
                table.frequency[i],
                table.monetary[i],
                table.discounted[i],
                table.lastMs[i],
                table.firstMs[i],
              ]);
              return { messages, counters, rows };
            } catch (error) {
              return { messages, stopped: error instanceof StrictStop };
            }
          };
          expect(await read(0)).toEqual(await read(Infinity));
        },
      ),
      { numRuns: Number(process.env.READ_STORE_RUNS ?? 30) },
    );
    // most runs hand the orders' second part to the worker (some read it again in turn)
    expect(split).toBeGreaterThan(0);
  }, 120_000);
});

describe("readStore when a customer's total leaves the exact range", () => {
  it("reports the same line and counts the same, on one thread or two", async () => {
    const customers = join(dir, "c-overflow.jsonl");
    const orders = join(dir, "o-overflow.jsonl");
    writeFileSync(customers, [1, 2].map((n) => `{"id":"gid://shopify/Customer/${n}"}`).join("\n"));
    const order = (id: number, customer: number, amount: string) =>
      JSON.stringify({
        id: `gid://shopify/Order/${id}`,
        createdAt: "2026-11-01T00:00:00Z",
        cancelledAt: null,
        test: false,
        customer: { id: `gid://shopify/Customer/${customer}` },
        currentTotalPriceSet: { shopMoney: { amount, currencyCode: "USD" } },
        totalDiscountsSet: { shopMoney: { amount: "0.00", currencyCode: "USD" } },
      });
    // 5e13 dollars is 5e15 cents: two of them pass 2^53 ≈ 9.007e15
    const big = "50000000000000.00";
    writeFileSync(
      orders,
      [
        order(1, 9, big),
        "{bad",
        order(2, 9, big),
        order(3, 1, big),
        order(4, 1, "1.00"),
        order(5, 1, big),
        order(6, 2, "2.50"),
      ].join("\n"),
    );
    for (const strict of [false, true]) {
      const read = async (threadFrom: number) => {
        const messages: string[] = [];
        try {
          const { table, counters } = await readStore(
            { customers, orders, currency: "USD", asOf: AS_OF, strict },
            (line) => messages.push(line),
            undefined,
            { threadFrom, partFrom: 0 },
          );
          return { messages, counters, monetary: [table.monetary[0], table.monetary[1]] };
        } catch (error) {
          if (!(error instanceof StrictStop)) throw error;
          return { messages, stopped: true };
        }
      };
      const inTurn = await read(Infinity);
      expect(await read(0)).toEqual(inTurn);
      if (!strict)
        expect(inTurn).toMatchObject({
          messages: [
            `${orders}:2: invalid JSON`,
            `${orders}:6: currentTotalPriceSet: customer total beyond 2^53 minor units`,
          ],
          counters: { counted: 3, unknownCustomer: 2 },
          monetary: [5_000_000_000_000_100, 250],
        });
    }
  });
});
