import { parentPort, workerData } from "node:worker_threads";
import { CustomersJob, type CustomersDone } from "./customers-job";
import { FileAccessError } from "./input-file.server";
import { readCustomers } from "./read-customers.server";
import { StrictStop } from "./read-lines.server";
import { CustomerIds } from "./table";

// The worker thread's side of customers-job.ts: started by customers-worker.mjs, never imported.

async function run(): Promise<CustomersDone> {
  const { file, strict } = CustomersJob.parse(workerData);
  const bad: { line: number; reason: string }[] = [];
  const report = (line: number, reason: string): void => {
    bad.push({ line, reason });
    if (strict) throw new StrictStop();
  };
  try {
    const table = await readCustomers(file, new CustomerIds(), report);
    return { kind: "done", ids: table.ids.slice(0, table.size), bad };
  } catch (error) {
    if (error instanceof StrictStop) return { kind: "done", ids: new Float64Array(0), bad };
    if (error instanceof FileAccessError) return { kind: "unreadable", message: error.message };
    return {
      kind: "crashed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

if (parentPort) {
  const port = parentPort;
  const done = await run();
  port.postMessage(done, done.kind === "done" ? [done.ids.buffer] : []);
}
