// The dispatch benchmark's reference: a BullMQ worker that does nothing with its jobs, in its own
// process like the app's workers (same Redis, same concurrency), so the benchmark can say how many
// jobs a second BullMQ itself moves here. Env: REDIS_URL, BENCH_QUEUE_PREFIX, JOB_CONCURRENCY.

import { Worker } from "bullmq";
import { Redis } from "ioredis";

const connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  maxRetriesPerRequest: null,
});
const worker = new Worker("ceiling", async () => undefined, {
  connection,
  prefix: process.env.BENCH_QUEUE_PREFIX ?? "bench-ceiling",
  concurrency: Number(process.env.JOB_CONCURRENCY ?? 4),
});
process.on("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
