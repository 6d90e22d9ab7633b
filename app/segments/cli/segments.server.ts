import type { Writable } from "node:stream";
import { currencyExponent } from "../../sync/money";
import { scoreColumns } from "../rfm";
import { recencyDays } from "../rfm";
import { segmentFor } from "../rules";
import type { SegmentsOptions } from "./args";
import { CSV_HEADER, formatRow } from "./csv";
import { firstUnreadable } from "./input-file.server";
import { unwritable, writeOutput } from "./output.server";
import { readStore, StrictStop, type ReadStore } from "./read-store.server";
import { slotsByPrintedId } from "./table";

// `segments`: streams the customers file, then the orders file (read-store.server: one line at a
// time, aggregates in a CustomerTable), scores in memory, writes the CSV. Only the table and one
// read chunk are held.

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

const CUSTOMER_PREFIX = "gid://shopify/Customer/";

export interface SegmentsIo {
  stderr(line: string): void;
  stdout: Writable;
}

export async function runSegments(options: SegmentsOptions, io: SegmentsIo): Promise<number> {
  const problem = (await firstUnreadable([options.customers, options.orders])) ?? (await unwritable(options.out));
  if (problem) {
    io.stderr(problem);
    return EXIT_USAGE;
  }
  let store: ReadStore;
  try {
    store = await readStore(options, io.stderr);
  } catch (error) {
    if (error instanceof StrictStop) return EXIT_BAD_INPUT;
    throw error;
  }
  const { table, counters, currency } = store;

  const n = table.size;
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if ((table.frequency[i] ?? 0) > 0) recency[i] = recencyDays(options.asOf, new Date(table.lastMs[i] ?? 0));
  }
  const scores = scoreColumns({ count: n, frequency: table.frequency, recencyDays: recency, monetaryMinor: table.monetary });
  // No order, no currency: amounts are all zero, printed with two decimals.
  const exponent = currency ? currencyExponent(currency) : 2;

  function* rows(): Generator<string> {
    for (const i of slotsByPrintedId(table)) {
      const frequency = table.frequency[i] ?? 0;
      const scored = frequency > 0;
      const days = scored ? (recency[i] ?? 0) : null;
      const r = scored ? (scores.r[i] ?? 0) : null;
      const f = scored ? (scores.f[i] ?? 0) : null;
      const m = scored ? (scores.m[i] ?? 0) : null;
      const discountedOrders = table.discounted[i] ?? 0;
      const segment = segmentFor({ frequency, recencyDays: days, f, m, discountedOrders }, options.thresholds);
      yield formatRow(
        { customerId: `${CUSTOMER_PREFIX}${table.ids[i] ?? 0}`, recencyDays: days, frequency, monetaryMinor: table.monetary[i] ?? 0, r, f, m, discountedOrders, segment },
        exponent,
      );
    }
  }
  await writeOutput(options.out, io.stdout, CSV_HEADER, rows());

  const skipped = counters.badLines.customers + counters.badLines.orders;
  io.stderr(
    `${counters.customers} customers, ${counters.orders} orders read (${counters.counted} counted` +
      `${counters.unknownCustomer > 0 ? `, ${counters.unknownCustomer} counted orders of customers not in ${options.customers} ignored` : ""})` +
      `; currency ${currency ?? "unknown (no orders)"}; as of ${options.asOf.toISOString()}`,
  );
  if (skipped > 0) {
    io.stderr(`${skipped} bad lines skipped (${counters.badLines.customers} in ${options.customers}, ${counters.badLines.orders} in ${options.orders})`);
  }
  return EXIT_OK;
}
