// Scale mode: a process that only runs jobs (webhook processing, backfills, reconciliation).
// Start as many as you like next to the web processes; they share PostgreSQL and, with REDIS_URL,
// BullMQ. The embedded database (PGlite) belongs to the one app process, so it is refused here.
import { getEnv } from "../app/env.server";
import { migrateDatabase } from "../app/db.server";
import { startWorker, stopWorker } from "../app/worker.server";

const env = getEnv();
if (!env.DATABASE_URL) {
  process.stderr.write(
    "npm run worker needs DATABASE_URL (PostgreSQL): the embedded database runs jobs in the app process\n",
  );
  process.exit(1);
}
if (env.JOB_CONCURRENCY === 0) {
  process.stderr.write("JOB_CONCURRENCY=0 leaves a worker nothing to do; set it to 1 or more\n");
  process.exit(1);
}

await migrateDatabase();
await startWorker();
process.stdout.write(
  `worker running ${env.JOB_CONCURRENCY} jobs at a time on ${env.REDIS_URL ? "BullMQ" : "the database queue"}\n`,
);

const shutdown = () => {
  void stopWorker().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
