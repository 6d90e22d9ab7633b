import { once } from "node:events";
import { finished } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { parsePostgresUrl } from "./postgres-url";

// The backfill's writes on PostgreSQL, through a pool of its own. A batch is one statement with a
// JSON parameter of about a megabyte; through Prisma that parameter is encoded into the engine's
// request, decoded, and handed back to the driver, which cost more CPU than PostgreSQL's work on the
// statement (see docs/benchmarks.md). A file's rows can also go by COPY into a staging table, then
// one set-based statement per chunk (`stage`). Commits do not wait for the disk: what a server crash
// loses is re-read when the backfill resumes its file, and the phase change that follows a file is
// written by Prisma with a synchronous commit, which flushes every earlier write.

export interface StagedCopy {
  /** lines of COPY text; resolves when the connection takes more (a failed COPY rejects) */
  write(lines: string): Promise<void>;
  /** ends the copy, runs `statement` on the staged rows, commits; its row count */
  finish(statement: string, values: unknown[]): Promise<number>;
  /** drops the staged rows and the connection's transaction */
  abort(): void;
}

export interface BulkWriter {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  /** one statement's rows, unchecked: the caller checks each */
  $queryRawUnsafe(query: string, ...values: unknown[]): Promise<unknown>;
  /**
   * A transaction on a connection of its own with an empty temporary `table` (`record`: its
   * column definitions), and a COPY into it that `write` feeds.
   */
  stage(table: string, record: string): Promise<StagedCopy>;
  close(): Promise<void>;
}

/** Memory for sorting a staged chunk (100,000 rows: about 40 MB; the default 4 MB spills to disk). */
const STAGED_WORK_MEM = "128MB";

/**
 * Statements answered only once durable (the webhook intake answers Shopify after its commit): the
 * same pool, with PostgreSQL's own synchronous commit.
 */
export interface BulkWriterOptions {
  durable?: boolean;
}

export function postgresBulkWriter(
  databaseUrl: string,
  { durable = false }: BulkWriterOptions = {},
): BulkWriter {
  const { connectionString } = parsePostgresUrl(databaseUrl, durable ? [] : ["-c synchronous_commit=off"]);
  // A staged file copies one chunk while two upsert (store-staged.server.ts); batches use two.
  const pool = new pg.Pool({ connectionString, max: 3, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
  // An idle connection the server dropped is replaced by the next query, which reports any error.
  pool.on("error", () => undefined);
  return {
    async $executeRawUnsafe(query, ...values) {
      const result = await pool.query(query, values);
      return result.rowCount ?? 0;
    },
    async $queryRawUnsafe(query, ...values) {
      const result = await pool.query(query, values);
      return result.rows;
    },
    stage: (table, record) => stageOn(pool, table, record),
    close: () => pool.end(),
  };
}

async function stageOn(pool: pg.Pool, table: string, record: string): Promise<StagedCopy> {
  const client = await pool.connect();
  let released = false;
  /** `why` set: the connection is left in a failed COPY or transaction, so it is closed, not reused */
  const release = (why?: unknown) => {
    if (released) return;
    released = true;
    client.release(why === undefined || why instanceof Error ? why : new Error(String(why)));
  };
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL work_mem = '${STAGED_WORK_MEM}'`);
    await client.query(`CREATE TEMPORARY TABLE ${table} (${record}) ON COMMIT DROP`);
  } catch (error) {
    release(error);
    throw error;
  }
  const copy = client.query(copyFrom(`COPY ${table} FROM STDIN`));
  let failure: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    copy.on("error", (error: Error) => {
      failure = error;
      reject(error);
    });
  });
  failed.catch(() => undefined); // reported by the write or finish that meets it
  return {
    async write(lines) {
      if (failure) throw failure;
      if (!copy.write(lines)) await Promise.race([once(copy, "drain"), failed]);
    },
    async finish(statement, values) {
      try {
        copy.end();
        await Promise.race([finished(copy), failed]);
        const result = await client.query(statement, values);
        await client.query("COMMIT");
        release();
        return result.rowCount ?? 0;
      } catch (error) {
        release(error);
        throw error;
      }
    },
    abort() {
      copy.destroy();
      release(new Error("staged load abandoned"));
    },
  };
}
