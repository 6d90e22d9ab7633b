import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoreColumns } from "../rfm";
import { DEFAULT_THRESHOLDS, segmentFor } from "../rules";
import { CSV_HEADER, formatRow } from "./csv";
import { csvChunks } from "./segments-csv";
import { CustomerTable, slotsByPrintedId } from "./table";

// The oracle is formatRow, the CSV's definition, row by row in the printed-id order.

const decoder = new TextDecoder();

function viaFormatRow(table: CustomerTable, recency: Float64Array, exponent: number): string {
  const scores = scoreColumns({
    count: table.size,
    frequency: table.frequency,
    recencyDays: recency,
    monetaryMinor: table.monetary,
  });
  const lines = [...slotsByPrintedId(table)].map((i) => {
    const frequency = table.frequency[i] ?? 0;
    const scored = frequency > 0;
    const [days, f, m] = scored ? [recency[i] ?? 0, scores.f[i] ?? 0, scores.m[i] ?? 0] : [null, null, null];
    const discountedOrders = table.discounted[i] ?? 0;
    const segment = segmentFor({ frequency, recencyDays: days, f, m, discountedOrders }, DEFAULT_THRESHOLDS);
    const row = {
      customerId: `gid://shopify/Customer/${table.ids[i] ?? 0}`,
      recencyDays: days,
      frequency,
      monetaryMinor: table.monetary[i] ?? 0,
      r: scored ? (scores.r[i] ?? 0) : null,
      f,
      m,
      discountedOrders,
      segment,
    };
    return `${formatRow(row, exponent)}\n`;
  });
  return `${CSV_HEADER}\n${lines.join("")}`;
}

const customer = fc.record({
  id: fc.oneof(
    fc.integer({ min: 1, max: 999 }),
    fc.integer({ min: 7_100_000_000_000, max: 7_100_000_099_999 }),
    fc.maxSafeInteger().filter((n) => n > 0),
  ),
  orders: fc.array(
    fc.record({
      minor: fc.integer({ min: 0, max: 10_000_000 }),
      discounted: fc.boolean(),
      daysAgo: fc.integer({ min: 0, max: 2000 }),
    }),
    { maxLength: 4 },
  ),
});

describe("csvChunks", () => {
  it("writes the bytes formatRow writes, for any table, currency exponent and chunk size (property)", () => {
    const asOf = Date.UTC(2026, 10, 20);
    fc.assert(
      fc.property(
        fc.array(customer, { maxLength: 60 }),
        fc.constantFrom(0, 2, 3),
        fc.boolean(),
        fc.constantFrom(600, 4096),
        (customers, exponent, sorted, chunkBytes) => {
          const table = new CustomerTable();
          const rows = sorted ? [...customers].sort((a, b) => a.id - b.id) : customers;
          for (const c of rows) {
            if (!table.add(c.id)) continue;
            const slot = table.slotOf(c.id) ?? -1;
            for (const o of c.orders)
              table.addOrder(slot, o.minor, o.discounted, asOf - o.daysAgo * 86_400_000 - 1);
          }
          const recency = new Float64Array(table.size);
          for (let i = 0; i < table.size; i++)
            if ((table.frequency[i] ?? 0) > 0)
              recency[i] = Math.floor((asOf - (table.lastMs[i] ?? 0)) / 86_400_000);
          const scores = scoreColumns({
            count: table.size,
            frequency: table.frequency,
            recencyDays: recency,
            monetaryMinor: table.monetary,
          });
          const bytes = [...csvChunks(table, recency, scores, DEFAULT_THRESHOLDS, exponent, chunkBytes)]
            .map((c) => decoder.decode(c))
            .join("");
          expect(bytes).toBe(viaFormatRow(table, recency, exponent));
        },
      ),
      { numRuns: 300 },
    );
  });
});
