import { Worker } from "node:worker_threads";
import { Crashed, CustomersDone, OrdersDone, type CustomersJob, type OrdersJob } from "./customers-job";

// The main thread's handle on the customers worker (customers-job.ts): its first answer, then,
// if asked, the orders file's second part. A worker that cannot start or load answers null: the
// caller reads in this thread instead. The worker never keeps the process alive.

export interface CustomersThread {
  customers: Promise<CustomersDone | null>;
  /** Gives the worker the orders' part; its answer, or null if the worker failed. */
  takeOrders(job: Extract<OrdersJob, { kind: "orders" }>): Promise<OrdersDone | null>;
  /** Tells the worker there is no part for it. */
  exit(): void;
  stop(): void;
}

export function startCustomersThread(file: string, strict: boolean): CustomersThread {
  const waiting: ((message: unknown) => void)[] = [];
  const early: unknown[] = [];
  const next = (): Promise<unknown> =>
    new Promise((resolve) => (early.length > 0 ? resolve(early.shift()) : waiting.push(resolve)));
  const deliver = (message: unknown): void => {
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else early.push(message);
  };
  let worker: Worker | null = null;
  try {
    // the worker loads its TypeScript with tsx, as the command does (the render pool's way)
    worker = new Worker(new URL("./customers-worker.server.ts", import.meta.url), {
      execArgv: ["--import", "tsx"],
      workerData: { file, strict } satisfies CustomersJob,
    });
    worker.unref();
    worker.on("message", deliver);
    // failing before an answer means it could not load; after, that it stopped: either way, null
    worker.on("error", () => deliver(null));
    worker.on("exit", () => deliver(null));
  } catch {
    deliver(null);
  }
  const customers = next().then((message) => (message === null ? null : CustomersDone.parse(message)));
  return {
    customers,
    async takeOrders(job) {
      worker?.postMessage(job satisfies OrdersJob);
      const message = await next();
      if (message === null) return null;
      const crashed = Crashed.safeParse(message);
      if (crashed.success)
        throw new Error(`reading the orders on the second thread failed: ${crashed.data.message}`);
      return OrdersDone.parse(message);
    },
    exit: () => worker?.postMessage({ kind: "exit" } satisfies OrdersJob),
    stop: () => void worker?.terminate(),
  };
}
