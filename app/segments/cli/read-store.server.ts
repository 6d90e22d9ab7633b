import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import type { CustomerFacts } from "../../sync/backfill/fact-lines";
import { CustomersDone, type CustomersJob } from "./customers-job";
import { FileAccessError } from "./input-file.server";
import { readCustomers } from "./read-customers.server";
import { StrictStop, type ReportBad } from "./read-lines.server";
import { readOrders } from "./read-orders.server";
import { CustomerTable } from "./table";

// Both command lines read the store the same way: per customer the RFM aggregates, nothing per
// order but its id, a bad line reported as FILE:LINE: reason — the customers file's first, as if
// it were read first. Without `onCustomer`, the customers file is read on a second thread while
// this one reads the orders, totalled per customer id, and the two are joined at the end.

export { StrictStop } from "./read-lines.server";

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
}

// A thread costs ~0.1 s to start: worth it from a customers file of about 100,000 lines.
const THREAD_FROM = 32 << 20;

const sizeOf = async (file: string): Promise<number> => (await stat(file)).size;

const OVERFLOW = "currentTotalPriceSet: customer total beyond 2^53 minor units";

const zeroCounters = (): ReadCounters => ({
  badLines: { customers: 0, orders: 0 },
  customers: 0,
  orders: 0,
  counted: 0,
  unknownCustomer: 0,
});

/**
 * Reads both files; `onCustomer` gets each accepted customer in slot order. Throws StrictStop at the
 * first bad line under `strict`, FileAccessError when a file cannot be read.
 */
export async function readStore(
  files: StoreFiles,
  stderr: (line: string) => void,
  onCustomer?: (customer: CustomerFacts) => void,
  { threadFrom = THREAD_FROM }: { threadFrom?: number } = {},
): Promise<ReadStore> {
  if (!onCustomer && (await sizeOf(files.customers)) >= threadFrom) {
    const together = await readTogether(files, stderr);
    if (together) return together;
  }
  return readInTurn(files, stderr, onCustomer);
}

/** The customers file, then the orders file, in this thread. */
async function readInTurn(
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
  return { table, counters, currency: read.currency, onTwoThreads: false };
}

/** The customers file on a worker thread; `result` is null when no worker thread can start here. */
function customersOnWorker(files: StoreFiles): { result: Promise<CustomersDone | null>; stop(): void } {
  let worker: Worker | null = null;
  const result = new Promise<CustomersDone | null>((resolve) => {
    try {
      worker = new Worker(new URL("./customers-worker.mjs", import.meta.url), {
        workerData: { file: files.customers, strict: files.strict } satisfies CustomersJob,
      });
    } catch {
      return resolve(null);
    }
    worker.once("message", (message: unknown) => resolve(CustomersDone.parse(message)));
    // a worker that fails before it answers could not load: this thread reads the file instead
    worker.once("error", () => resolve(null));
    worker.once("exit", () => resolve(null));
  });
  return { result, stop: () => void worker?.terminate() };
}

/** A total left the exact range before the customers were known: read again in turn. */
class Overflow extends Error {}

/**
 * Both files at once; null when the worker could not start. Until the customers are known the
 * orders are totalled per customer id and their reports held; then the totals join the
 * customers' table, the held reports follow the customers file's, and the rest of the orders go
 * straight to the table — from there on exactly as reading in turn.
 */
async function readTogether(files: StoreFiles, stderr: (line: string) => void): Promise<ReadStore | null> {
  const counters = zeroCounters();
  let printed = 0;
  const emit = (text: string): void => {
    printed++;
    stderr(text);
  };
  const customers = customersOnWorker(files);
  let held: string[] = [];
  let table: CustomerTable | null = null;
  const totals = new CustomerTable();
  let overflow = false;
  let stop = false;
  const settled = customers.result.then((done) => {
    if (done?.kind !== "done") return done;
    for (const { line, reason } of done.bad) emit(`${files.customers}:${line}: ${reason}`);
    counters.badLines.customers = done.bad.length;
    counters.customers = done.ids.length;
    // under --strict a bad customer line is the one reported, and the orders stop
    if (files.strict && done.bad.length > 0) stop = true;
    if (stop || overflow) return done;
    table = join(done.ids, totals, counters);
    for (const text of held) emit(text);
    held = [];
    return done;
  });
  const bad: ReportBad = (line, reason) => {
    const text = `${files.orders}:${line}: ${reason}`;
    if (table) emit(text);
    else held.push(text);
    counters.badLines.orders++;
    if (files.strict) throw new StrictStop();
  };
  let read: Awaited<ReturnType<typeof readOrders>> | null = null;
  try {
    read = await readOrders(
      files.orders,
      files,
      bad,
      (customerId, totalMinor, discounted, createdMs, line) => {
        if (stop) throw new StrictStop();
        if (table) {
          const slot = table.slotOf(customerId);
          if (slot === undefined) counters.unknownCustomer++;
          else if (!table.addOrder(slot, totalMinor, discounted, createdMs)) bad(line, OVERFLOW);
          else counters.counted++;
          return;
        }
        const slot = totals.slotOf(customerId) ?? (totals.add(customerId), totals.size - 1);
        if (!totals.addOrder(slot, totalMinor, discounted, createdMs)) {
          overflow = true;
          throw new Overflow();
        }
      },
    );
  } catch (error) {
    if (!(error instanceof Overflow || error instanceof StrictStop)) {
      customers.stop();
      throw error;
    }
  }
  const done = await settled;
  if (done === null) return null;
  if (done.kind === "unreadable") throw new FileAccessError(done.message);
  if (done.kind === "crashed") throw new Error(`reading ${files.customers} failed: ${done.message}`);
  if (overflow) {
    // Only the customers file's reports are out, and reading in turn starts with them.
    let skip = printed;
    return readInTurn(files, (text) => (skip-- > 0 ? undefined : stderr(text)));
  }
  if (read === null || stop || !table) throw new StrictStop();
  counters.orders = read.orders;
  return { table, counters, currency: read.currency, onTwoThreads: true };
}

/** The customers in file order, with the totals read so far; the totals of other ids are unknown customers'. */
function join(ids: Float64Array, totals: CustomerTable, counters: ReadCounters): CustomerTable {
  const table = CustomerTable.withCapacity(ids.length);
  for (const id of ids) table.add(id);
  for (let j = 0; j < totals.size; j++) {
    const slot = table.slotOf(totals.ids[j]!);
    const frequency = totals.frequency[j]!;
    if (slot === undefined) counters.unknownCustomer += frequency;
    else {
      // each customer's first totals: their sums are the totals' own, within range
      table.copyTotals(slot, totals, j);
      counters.counted += frequency;
    }
  }
  return table;
}
