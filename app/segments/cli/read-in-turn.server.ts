import type { CustomerFacts } from "../../sync/backfill/fact-lines";
import { readCustomers } from "./read-customers.server";
import { StrictStop, type ReportBad } from "./read-lines.server";
import { readOrders } from "./read-orders.server";
import { CustomerTable } from "./table";

// The store read the plain way: the customers file, then the orders file, in this thread. The
// definition the two-thread reading (read-together.server.ts) must match report for report.

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
  /** whether the customers file was read on a thread of its own */
  onTwoThreads: boolean;
  /** whether that thread also read the orders file's second part */
  ordersSplit: boolean;
}

export const OVERFLOW = "currentTotalPriceSet: customer total beyond 2^53 minor units";

export const zeroCounters = (): ReadCounters => ({
  badLines: { customers: 0, orders: 0 },
  customers: 0,
  orders: 0,
  counted: 0,
  unknownCustomer: 0,
});

/** The customers file, then the orders file, in this thread. */
export async function readInTurn(
  files: StoreFiles,
  stderr: (line: string) => void,
  onCustomer?: (customer: CustomerFacts) => void,
): Promise<ReadStore> {
  const counters = zeroCounters();
  const reporter =
    (kind: "customers" | "orders"): ReportBad =>
    (line, reason) => {
      stderr(`${files[kind]}:${line}: ${reason}`);
      counters.badLines[kind]++;
      if (files.strict) throw new StrictStop();
    };
  const table = await readCustomers(files.customers, new CustomerTable(), reporter("customers"), onCustomer);
  counters.customers = table.size;
  const bad = reporter("orders");
  const read = await readOrders(
    files.orders,
    files,
    bad,
    (customerId, totalMinor, discounted, createdMs, line) => {
      const slot = table.slotOf(customerId);
      if (slot === undefined) counters.unknownCustomer++;
      else if (!table.addOrder(slot, totalMinor, discounted, createdMs)) bad(line, OVERFLOW);
      else counters.counted++;
    },
  );
  counters.orders = read.orders;
  return { table, counters, currency: read.currency, onTwoThreads: false, ordersSplit: false };
}
