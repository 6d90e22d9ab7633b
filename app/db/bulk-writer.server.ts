import pg from "pg";
import { parsePostgresUrl } from "./postgres-url";

// The backfill's batched writes on PostgreSQL. Each batch is one statement with a JSON parameter
// of about a megabyte; through Prisma that parameter is encoded into the engine's request, decoded,
// and handed back to the driver, which cost more CPU than PostgreSQL's work on the statement (see
// docs/benchmarks.md). This pool sends it as is. Commits do not wait for the disk: a batch lost to
// a server crash is re-read when the backfill resumes its file, and the phase change that follows
// a file is written by Prisma with a synchronous commit, which flushes every earlier batch.

export interface BulkWriter {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export function postgresBulkWriter(databaseUrl: string): BulkWriter {
  const { connectionString } = parsePostgresUrl(databaseUrl, ["-c synchronous_commit=off"]);
  // Two batches are in flight per file (stream-jsonl); a third connection covers a second shop.
  const pool = new pg.Pool({ connectionString, max: 3, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
  // An idle connection the server dropped is replaced by the next query, which reports any error.
  pool.on("error", () => undefined);
  return {
    async $executeRawUnsafe(query, ...values) {
      const result = await pool.query(query, values);
      return result.rowCount ?? 0;
    },
    close: () => pool.end(),
  };
}
