import type { Writable } from "node:stream";
import { currencyExponent } from "../../sync/money";
import { scoreColumns } from "../rfm";
import { recencyDays } from "../rfm";
import type { SegmentsOptions } from "./args";
import { csvChunks } from "./segments-csv";
import { firstUnreadable } from "./input-file.server";
import { unwritable, writeChunks } from "./output.server";
import { readStore, StrictStop, type ReadStore } from "./read-store.server";

// `segments`: streams the customers file, then the orders file (read-store.server: one line at a
// time, aggregates in a CustomerTable), scores in memory, writes the CSV. Only the table and one
// read chunk are held.

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

export interface SegmentsIo {
  stderr(line: string): void;
  stdout: Writable;
}

export async function runSegments(options: SegmentsOptions, io: SegmentsIo): Promise<number> {
  const problem =
    (await firstUnreadable([options.customers, options.orders])) ?? (await unwritable(options.out));
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
  const scores = scoreColumns({
    count: n,
    frequency: table.frequency,
    recencyDays: recency,
    monetaryMinor: table.monetary,
  });
  // No order, no currency: amounts are all zero, printed with two decimals.
  const exponent = currency ? currencyExponent(currency) : 2;

  await writeChunks(options.out, io.stdout, csvChunks(table, recency, scores, options.thresholds, exponent));

  const skipped = counters.badLines.customers + counters.badLines.orders;
  io.stderr(
    `${counters.customers} customers, ${counters.orders} orders read (${counters.counted} counted` +
      `${counters.unknownCustomer > 0 ? `, ${counters.unknownCustomer} counted orders of customers not in ${options.customers} ignored` : ""})` +
      `; currency ${currency ?? "unknown (no orders)"}; as of ${options.asOf.toISOString()}`,
  );
  if (skipped > 0) {
    io.stderr(
      `${skipped} bad lines skipped (${counters.badLines.customers} in ${options.customers}, ${counters.badLines.orders} in ${options.orders})`,
    );
  }
  return EXIT_OK;
}
