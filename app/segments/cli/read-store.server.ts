import { parseCustomerFacts, parseOrderFacts, type CustomerFacts } from "../../sync/backfill/fact-lines";
import { IdIndex } from "./id-index";
import { linesOf } from "./input-file.server";
import { CustomerTable } from "./table";

// Both command lines read the store the same way: the customers file, then the orders file, one
// line at a time, into a CustomerTable (per customer the RFM aggregates, nothing per order but its
// id, to count a repeated order once). A bad line is reported as FILE:LINE: reason.

/** Thrown after reporting the first bad line under --strict. */
export class StrictStop extends Error {}

export interface ReadCounters {
  badLines: Record<"customers" | "orders", number>;
  customers: number;
  orders: number;
  counted: number;
  unknownCustomer: number;
}

export interface StoreFiles {
  customers: string;
  orders: string;
  /** the shop's currency (an order in another one is bad input); null: the first order's */
  currency: string | null;
  /** T: orders placed after it are not counted */
  asOf: Date;
  strict: boolean;
}

export interface ReadStore {
  table: CustomerTable;
  counters: ReadCounters;
  /** the shop's currency, or the first order's; null when no order names one */
  currency: string | null;
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

/**
 * Reads both files; `onCustomer` gets each accepted customer in slot order. Throws StrictStop at the
 * first bad line under `strict`, FileAccessError when a file cannot be read.
 */
export async function readStore(
  files: StoreFiles,
  stderr: (line: string) => void,
  onCustomer: (customer: CustomerFacts) => void = () => undefined,
): Promise<ReadStore> {
  const counters: ReadCounters = { badLines: { customers: 0, orders: 0 }, customers: 0, orders: 0, counted: 0, unknownCustomer: 0 };
  const bad = (kind: "customers" | "orders", line: number, reason: string): void => {
    stderr(`${files[kind]}:${line}: ${reason}`);
    counters.badLines[kind]++;
    if (files.strict) throw new StrictStop();
  };
  const table = new CustomerTable();

  let line = 0;
  for await (const text of linesOf(files.customers)) {
    line++;
    if (text.trim() === "") {
      bad("customers", line, "empty line");
      continue;
    }
    const result = parseCustomerFacts(text, line);
    if (result.kind === "child") continue;
    if (result.kind === "error") {
      bad("customers", line, result.reason);
      continue;
    }
    const id = Number(result.row.id);
    if (!Number.isSafeInteger(id)) bad("customers", line, "id: beyond 2^53");
    else if (!table.add(id)) bad("customers", line, "id: duplicate customer");
    else {
      onCustomer(result.row);
      counters.customers++;
    }
  }

  // order id → the line it was first read on
  const seen = new IdIndex(1 << 16);
  let currency = files.currency;
  const asOfMs = files.asOf.getTime();
  line = 0;
  for await (const text of linesOf(files.orders)) {
    line++;
    if (text.trim() === "") {
      bad("orders", line, "empty line");
      continue;
    }
    currency ??= currencyOf(text);
    const result = parseOrderFacts(text, line, currency ?? "XXX");
    if (result.kind === "child") continue;
    if (result.kind === "error") {
      bad("orders", line, result.reason);
      continue;
    }
    const o = result.row;
    const id = Number(o.id);
    if (!Number.isSafeInteger(id)) {
      bad("orders", line, "id: beyond 2^53");
      continue;
    }
    if (!seen.add(id, line)) {
      bad("orders", line, `id: duplicate order (first on line ${seen.get(id) ?? "?"}), counted once`);
      continue;
    }
    counters.orders++;
    const createdMs = o.shopifyCreatedAt.getTime();
    // Counted orders: not a test, not cancelled, not a guest's, placed by T.
    if (o.test || o.cancelledAt !== null || o.customerId === null || createdMs > asOfMs) continue;
    const slot = table.slotOf(Number(o.customerId));
    if (slot === undefined) {
      counters.unknownCustomer++;
      continue;
    }
    if (!table.addOrder(slot, Number(o.totalMinor), o.discountMinor > 0n, createdMs)) {
      bad("orders", line, "currentTotalPriceSet: customer total beyond 2^53 minor units");
      continue;
    }
    counters.counted++;
  }
  return { table, counters, currency };
}
