import { parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import { FileAccessError } from "./input-file.server";
import { readCustomers } from "./read-customers.server";
import { StrictStop } from "./read-lines.server";
import { CustomerIds } from "./table";

// The customers file read on a thread of its own while the main thread reads the orders: the ids
// in file order and the bad lines go back in one message (the ids' memory moves, it is not copied).

export const CustomersJob = z.object({ file: z.string(), strict: z.boolean() });

export const CustomersDone = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("done"),
    ids: z.instanceof(Float64Array),
    bad: z.array(z.object({ line: z.number(), reason: z.string() })),
  }),
  z.object({ kind: z.literal("unreadable"), message: z.string() }),
  z.object({ kind: z.literal("crashed"), message: z.string() }),
]);
export type CustomersDone = z.infer<typeof CustomersDone>;

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
