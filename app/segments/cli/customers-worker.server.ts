import { once } from "node:events";
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { CustomersJob, OrdersJob, type CustomersDone, type OrdersDone, type PartBad } from "./customers-job";
import { FileAccessError } from "./input-file.server";
import { readCustomers } from "./read-customers.server";
import { StrictStop } from "./read-lines.server";
import { OrderLines } from "./read-orders.server";
import { CustomerTable } from "./table";

// The worker thread's side of customers-job.ts: started by customers-thread.server.ts, never imported.

class PartOverflow extends Error {}

async function readCustomersFile(
  file: string,
  strict: boolean,
): Promise<{ done: CustomersDone; table: CustomerTable | null }> {
  const bad: { line: number; reason: string }[] = [];
  const report = (line: number, reason: string): void => {
    bad.push({ line, reason });
    if (strict) throw new StrictStop();
  };
  try {
    const table = await readCustomers(file, new CustomerTable(), report);
    return { done: { kind: "done", ids: table.ids.slice(0, table.size), bad }, table };
  } catch (error) {
    if (error instanceof StrictStop)
      return { done: { kind: "done", ids: new Float64Array(0), bad }, table: null };
    if (error instanceof FileAccessError)
      return { done: { kind: "unreadable", message: error.message }, table: null };
    return {
      done: {
        kind: "crashed",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      },
      table: null,
    };
  }
}

/** The orders file's part into the customers' table, with the part's own line numbers. */
async function readPart(
  job: Extract<OrdersJob, { kind: "orders" }>,
  table: CustomerTable,
  strict: boolean,
): Promise<OrdersDone> {
  const bad: PartBad[] = [];
  const stopIfStrict = (): void => {
    if (strict) throw new StrictStop();
  };
  let [counted, unknownCustomer, overflow] = [0, 0, false];
  const lines = new OrderLines(
    { currency: job.currency, asOf: new Date(job.asOfMs) },
    (line, reason) => {
      bad.push({ line, reason, firstLine: null });
      stopIfStrict();
    },
    (customerId, totalMinor, discounted, createdMs) => {
      const slot = table.slotOf(customerId);
      if (slot === undefined) unknownCustomer++;
      else if (table.addOrder(slot, totalMinor, discounted, createdMs)) counted++;
      else {
        overflow = true;
        throw new PartOverflow();
      }
    },
    (line, firstLine) => {
      bad.push({ line, reason: null, firstLine });
      stopIfStrict();
    },
  );
  try {
    await lines.read(job.file, job.from, job.to);
  } catch (error) {
    if (!(error instanceof StrictStop || error instanceof PartOverflow)) throw error;
  }
  // the table's own arrays (their first table.size entries) move to the main thread, uncopied
  return {
    kind: "orders-done",
    frequency: table.frequency,
    discounted: table.discounted,
    monetary: table.monetary,
    lastMs: table.lastMs,
    firstMs: table.firstMs,
    orders: lines.orders,
    counted,
    unknownCustomer,
    bad,
    overflow,
    ascending: lines.seen.inOrder,
    firstId: lines.seen.size > 0 && lines.seen.inOrder ? lines.seen.smallest : null,
  };
}

async function serve(port: MessagePort): Promise<void> {
  const { file, strict } = CustomersJob.parse(workerData);
  const { done, table } = await readCustomersFile(file, strict);
  port.postMessage(done, done.kind === "done" ? [done.ids.buffer] : []);
  const [message] = await once(port, "message");
  const job = OrdersJob.parse(message);
  if (job.kind === "exit" || !table) return;
  const part = await readPart(job, table, strict);
  port.postMessage(part, [
    part.frequency.buffer,
    part.discounted.buffer,
    part.monetary.buffer,
    part.lastMs.buffer,
    part.firstMs.buffer,
  ]);
}

if (parentPort) {
  const port = parentPort;
  try {
    await serve(port);
  } catch (error) {
    port.postMessage({
      kind: "crashed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  port.close();
}
