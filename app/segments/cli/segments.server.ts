import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { access, constants } from "node:fs/promises";
import type { Writable } from "node:stream";
import { currencyExponent } from "../../sync/money";
import { parseCustomerLine, parseOrderLine } from "../../sync/backfill/parse-lines";
import { lineBatches } from "../../sync/backfill/stream-jsonl.server";
import { scoreColumns } from "../rfm";
import { recencyDays } from "../rfm";
import { segmentFor } from "../rules";
import type { SegmentsOptions } from "./args";
import { CSV_HEADER, formatRow } from "./csv";
import { CustomerTable, slotsByPrintedId } from "./table";

// `segments`: streams the customers file, then the orders file (one line at a time, aggregates in a
// CustomerTable), scores in memory, writes the CSV. Only the table and one read chunk are held.

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

const CUSTOMER_PREFIX = "gid://shopify/Customer/";

class StrictStop extends Error {}

interface Counters {
  badLines: Record<"customers" | "orders", number>;
  customers: number;
  orders: number;
  counted: number;
  unknownCustomer: number;
}

export async function* linesOf(file: string): AsyncGenerator<string> {
  for await (const batch of lineBatches(createReadStream(file, { highWaterMark: 1 << 20 }))) {
    for (const raw of batch) yield raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  }
}

/** The currency of an order line, read loosely (the parser checks the line properly). */
function currencyOf(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const set: unknown = Reflect.get(value, "currentTotalPriceSet");
    const money: unknown = typeof set === "object" && set !== null ? Reflect.get(set, "shopMoney") : null;
    const code: unknown = typeof money === "object" && money !== null ? Reflect.get(money, "currencyCode") : null;
    return typeof code === "string" && /^[A-Z]{3}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

export interface SegmentsIo {
  stderr(line: string): void;
  stdout: Writable;
}

export async function runSegments(options: SegmentsOptions, io: SegmentsIo): Promise<number> {
  for (const file of [options.customers, options.orders]) {
    try {
      await access(file, constants.R_OK);
    } catch {
      io.stderr(`cannot read ${file}`);
      return EXIT_USAGE;
    }
  }
  const counters: Counters = { badLines: { customers: 0, orders: 0 }, customers: 0, orders: 0, counted: 0, unknownCustomer: 0 };
  const bad = (kind: "customers" | "orders", file: string, line: number, reason: string): void => {
    io.stderr(`${file}:${line}: ${reason}`);
    counters.badLines[kind]++;
    if (options.strict) throw new StrictStop();
  };

  const table = new CustomerTable();
  const asOfMs = options.asOf.getTime();
  let currency = options.currency;
  try {
    let line = 0;
    for await (const text of linesOf(options.customers)) {
      line++;
      if (text.trim() === "") {
        bad("customers", options.customers, line, "empty line");
        continue;
      }
      const result = parseCustomerLine(text, line);
      if (result.kind === "child") continue;
      if (result.kind === "error") {
        bad("customers", options.customers, line, result.reason);
        continue;
      }
      const id = Number(result.row.id);
      if (!Number.isSafeInteger(id)) bad("customers", options.customers, line, "id: beyond 2^53");
      else if (!table.add(id)) bad("customers", options.customers, line, "id: duplicate customer");
      else counters.customers++;
    }

    line = 0;
    for await (const text of linesOf(options.orders)) {
      line++;
      if (text.trim() === "") {
        bad("orders", options.orders, line, "empty line");
        continue;
      }
      currency ??= currencyOf(text);
      const result = parseOrderLine(text, line, currency ?? "XXX");
      if (result.kind === "child") continue;
      if (result.kind === "error") {
        bad("orders", options.orders, line, result.reason);
        continue;
      }
      counters.orders++;
      const o = result.row;
      const createdMs = o.shopifyCreatedAt.getTime();
      // Counted orders (issue 4): not a test, not cancelled, not a guest's, placed by T.
      if (o.test || o.cancelledAt !== null || o.customerId === null || createdMs > asOfMs) continue;
      const slot = table.slotOf(Number(o.customerId));
      if (slot === undefined) {
        counters.unknownCustomer++;
        continue;
      }
      if (!table.addOrder(slot, Number(o.totalMinor), o.discountMinor > 0n, createdMs)) {
        bad("orders", options.orders, line, "currentTotalPriceSet: customer total beyond 2^53 minor units");
        continue;
      }
      counters.counted++;
    }
  } catch (error) {
    if (error instanceof StrictStop) return EXIT_BAD_INPUT;
    throw error;
  }

  const n = table.size;
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if ((table.frequency[i] ?? 0) > 0) recency[i] = recencyDays(options.asOf, new Date(table.lastMs[i] ?? 0));
  }
  const scores = scoreColumns({ count: n, frequency: table.frequency, recencyDays: recency, monetaryMinor: table.monetary });
  // No order, no currency: amounts are all zero, printed with two decimals.
  const exponent = currency ? currencyExponent(currency) : 2;

  const out = options.out === null ? io.stdout : createWriteStream(options.out);
  const done = options.out === null ? Promise.resolve() : once(out, "finish");
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => undefined);
  const writeAll = async (): Promise<void> => {
    await write(out, `${CSV_HEADER}\n`);
    let chunk: string[] = [];
    for (const i of slotsByPrintedId(table)) {
      const frequency = table.frequency[i] ?? 0;
      const scored = frequency > 0;
      const days = scored ? (recency[i] ?? 0) : null;
      const r = scored ? (scores.r[i] ?? 0) : null;
      const f = scored ? (scores.f[i] ?? 0) : null;
      const m = scored ? (scores.m[i] ?? 0) : null;
      const discountedOrders = table.discounted[i] ?? 0;
      const segment = segmentFor({ frequency, recencyDays: days, f, m, discountedOrders }, options.thresholds);
      chunk.push(
        formatRow(
          { customerId: `${CUSTOMER_PREFIX}${table.ids[i] ?? 0}`, recencyDays: days, frequency, monetaryMinor: table.monetary[i] ?? 0, r, f, m, discountedOrders, segment },
          exponent,
        ),
      );
      if (chunk.length === 4096) {
        await write(out, `${chunk.join("\n")}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) await write(out, `${chunk.join("\n")}\n`);
    if (options.out !== null) out.end();
    await done;
  };
  await Promise.race([writeAll(), failed]);

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
