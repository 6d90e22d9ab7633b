import { open, stat } from "node:fs/promises";
import type { OrdersDone } from "./customers-job";
import { startCustomersThread } from "./customers-thread.server";
import { FileAccessError } from "./input-file.server";
import {
  OVERFLOW,
  readInTurn,
  zeroCounters,
  type ReadCounters,
  type ReadStore,
  type StoreFiles,
} from "./read-in-turn.server";
import { StrictStop, type ReportBad } from "./read-lines.server";
import { duplicateReason, OrderLines } from "./read-orders.server";
import { CustomerTable } from "./table";

// The store read on two threads, with the result and the reports of reading in turn. The worker
// reads the customers file while this thread reads the orders file's first part: until the
// customers are known, orders are totalled per customer id and their reports held; then the
// totals join the customers' table, the held reports follow the customers file's, and the rest of
// the part goes straight to the table. The worker, done with the customers, reads the orders
// file's second part into a table of its own, merged at the end. What cannot be merged exactly (a
// repeated order id across the parts, a total beyond 2^53) is read again in turn, without
// repeating what was already reported.

/** A total left the exact range where only reading in turn can say on which line. */
class Overflow extends Error {}

/**
 * Where the orders file's second part starts: the first line start past the point where both
 * threads have as many bytes to read; null when that part would be under `partFrom` bytes.
 */
async function secondPart(files: StoreFiles, partFrom: number): Promise<number | null> {
  const [customers, orders] = await Promise.all([stat(files.customers), stat(files.orders)]);
  const half = Math.floor((customers.size + orders.size) / 2);
  if (orders.size - half < Math.max(partFrom, 1)) return null;
  const handle = await open(files.orders, "r");
  try {
    const probe = Buffer.alloc(64 << 10);
    const { bytesRead } = await handle.read(probe, 0, probe.length, half);
    const newline = probe.subarray(0, bytesRead).indexOf(10);
    return newline < 0 || half + newline + 1 >= orders.size ? null : half + newline + 1;
  } finally {
    await handle.close();
  }
}

/** Both files on two threads; null when the worker could not start (nothing was reported then). */
export async function readTogether(
  files: StoreFiles,
  stderr: (line: string) => void,
  partFrom: number,
): Promise<ReadStore | null> {
  const counters = zeroCounters();
  let printed = 0;
  const emit = (text: string): void => {
    printed++;
    stderr(text);
  };
  const split = await secondPart(files, partFrom);
  const thread = startCustomersThread(files.customers, files.strict);
  let held: string[] = [];
  let table: CustomerTable | null = null;
  const totals = new CustomerTable();
  let overflow = false;
  let stop = false;
  const settled = thread.customers.then((done) => {
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
  const lines = new OrderLines(files, bad, (customerId, totalMinor, discounted, createdMs, line) => {
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
  });
  // the worker takes the second part once it has read the customers and the currency is known
  const part = settled.then((done) =>
    done?.kind === "done" && split !== null && !stop && !overflow && lines.currency !== null
      ? thread.takeOrders({
          kind: "orders",
          file: files.orders,
          from: split,
          to: Number.MAX_SAFE_INTEGER,
          currency: lines.currency,
          asOfMs: files.asOf.getTime(),
        })
      : (thread.exit(), undefined),
  );
  part.catch(() => undefined); // awaited below unless a stop comes first
  let stopped = false;
  try {
    await lines.read(files.orders, 0, split ?? Number.MAX_SAFE_INTEGER);
    const done = await settled;
    // the worker did not take the second part, or stopped in it: this thread reads it
    if (done?.kind === "done" && split !== null && !stop && !overflow && !(await part))
      await lines.read(files.orders, split);
  } catch (error) {
    if (!(error instanceof Overflow || error instanceof StrictStop)) {
      thread.stop();
      throw error;
    }
    stopped = true;
  }
  const done = await settled;
  if (done === null) return null;
  if (done.kind === "unreadable") throw new FileAccessError(done.message);
  if (done.kind === "crashed") throw new Error(`reading ${files.customers} failed: ${done.message}`);
  if (stopped || stop) thread.stop();
  // Only the customers file's reports and the first part's are out: reading in turn starts with them.
  const again = (): Promise<ReadStore> => {
    let skip = printed;
    return readInTurn(files, (text) => (skip-- > 0 ? undefined : stderr(text)));
  };
  if (overflow) return again();
  if (stopped || stop || !table) throw new StrictStop();
  const second = await part;
  if (second && !merge(table, second, lines, counters)) return again();
  if (second) {
    const offset = lines.line;
    for (const b of second.bad)
      emit(`${files.orders}:${b.line + offset}: ${b.reason ?? duplicateReason((b.firstLine ?? 0) + offset)}`);
    counters.badLines.orders += second.bad.length;
    if (files.strict && second.bad.length > 0) throw new StrictStop();
  }
  counters.orders += lines.orders;
  return { table, counters, currency: lines.currency, onTwoThreads: true, ordersSplit: Boolean(second) };
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

/**
 * The second part's totals into the table; false when that is not exactly reading in turn (an
 * order id of the second part may repeat one of the first, or a total leaves the exact range).
 */
function merge(table: CustomerTable, part: OrdersDone, first: OrderLines, counters: ReadCounters): boolean {
  if (part.overflow || part.frequency.length < table.size) return false;
  const seen = first.seen;
  const apart =
    seen.size === 0 ||
    part.orders === 0 ||
    (seen.inOrder && part.ascending && part.firstId !== null && part.firstId > seen.largest);
  if (!apart) return false;
  for (let i = 0; i < table.size; i++)
    if (!Number.isSafeInteger(table.monetary[i]! + part.monetary[i]!)) return false;
  for (let i = 0; i < table.size; i++) {
    if (part.frequency[i] === 0) continue;
    table.frequency[i]! += part.frequency[i]!;
    table.discounted[i]! += part.discounted[i]!;
    table.monetary[i]! += part.monetary[i]!;
    if (part.lastMs[i]! > table.lastMs[i]!) table.lastMs[i] = part.lastMs[i]!;
    if (part.firstMs[i]! < table.firstMs[i]!) table.firstMs[i] = part.firstMs[i]!;
  }
  counters.orders += part.orders;
  counters.counted += part.counted;
  counters.unknownCustomer += part.unknownCustomer;
  return true;
}
