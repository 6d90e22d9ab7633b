import { linesOf } from "../../segments/cli/segments.server";
import { CustomerTable } from "../../segments/cli/table";
import { parseCustomerLine, parseOrderLine } from "../../sync/backfill/parse-lines";
import { AudienceTable } from "./audience-table";

// Streams the customers file, then the orders file, one line at a time, with the segments CLI's
// parsers and table: per customer the RFM aggregates and what planning needs; nothing per order.

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
  /** the shop's currency: an order in another one is bad input */
  currency: string;
  /** T: orders placed after it are not counted */
  asOf: Date;
  strict: boolean;
}

export interface ReadStore {
  table: CustomerTable;
  audience: AudienceTable;
  counters: ReadCounters;
}

/** `defaultAddress.countryCode` of a line whose address has no countryCodeV2 (REST-style exports). */
function countryCodeOf(text: string): string | null {
  if (!text.includes('"countryCode"')) return null;
  try {
    const value: unknown = JSON.parse(text);
    const address: unknown =
      typeof value === "object" && value !== null ? Reflect.get(value, "defaultAddress") : null;
    const code: unknown =
      typeof address === "object" && address !== null ? Reflect.get(address, "countryCode") : null;
    return typeof code === "string" ? code : null;
  } catch {
    return null;
  }
}

/** Throws StrictStop at the first bad line under `strict`, after reporting it. */
export async function readStore(files: StoreFiles, stderr: (line: string) => void): Promise<ReadStore> {
  const counters: ReadCounters = {
    badLines: { customers: 0, orders: 0 },
    customers: 0,
    orders: 0,
    counted: 0,
    unknownCustomer: 0,
  };
  const bad = (kind: "customers" | "orders", line: number, reason: string): void => {
    stderr(`${files[kind]}:${line}: ${reason}`);
    counters.badLines[kind]++;
    if (files.strict) throw new StrictStop();
  };
  const table = new CustomerTable();
  const audience = new AudienceTable();

  let line = 0;
  for await (const text of linesOf(files.customers)) {
    line++;
    if (text.trim() === "") {
      bad("customers", line, "empty line");
      continue;
    }
    const result = parseCustomerLine(text, line);
    if (result.kind === "child") continue;
    if (result.kind === "error") {
      bad("customers", line, result.reason);
      continue;
    }
    const row = result.row;
    const id = Number(row.id);
    if (!Number.isSafeInteger(id)) bad("customers", line, "id: beyond 2^53");
    else if (!table.add(id)) bad("customers", line, "id: duplicate customer");
    else {
      audience.push({ ...row, countryCode: row.countryCode ?? countryCodeOf(text) });
      counters.customers++;
    }
  }

  line = 0;
  const asOfMs = files.asOf.getTime();
  for await (const text of linesOf(files.orders)) {
    line++;
    if (text.trim() === "") {
      bad("orders", line, "empty line");
      continue;
    }
    const result = parseOrderLine(text, line, files.currency);
    if (result.kind === "child") continue;
    if (result.kind === "error") {
      bad("orders", line, result.reason);
      continue;
    }
    counters.orders++;
    const o = result.row;
    // Counted orders (issue 4): not a test, not cancelled, not a guest's, placed by T.
    if (o.test || o.cancelledAt !== null || o.customerId === null || o.shopifyCreatedAt.getTime() > asOfMs)
      continue;
    const slot = table.slotOf(Number(o.customerId));
    if (slot === undefined) {
      counters.unknownCustomer++;
      continue;
    }
    if (!table.addOrder(slot, Number(o.totalMinor), o.discountMinor > 0n, o.shopifyCreatedAt.getTime())) {
      bad("orders", line, "currentTotalPriceSet: customer total beyond 2^53 minor units");
      continue;
    }
    counters.counted++;
  }
  return { table, audience, counters };
}
