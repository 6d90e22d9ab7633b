import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { parsePostgresUrl } from "./postgres-url";

// Applies prisma/migrations at start without the Prisma CLI (which is not shipped to run time
// and cannot migrate through adapter-pg in 6.19). It keeps Prisma's own bookkeeping table, so
// `prisma migrate status` / `deploy` agree with it, and adds what Prisma lacks: each migration
// runs in one transaction (so no CREATE INDEX CONCURRENTLY in migrations), and an advisory lock
// lets any number of processes start at once.

export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface Migration {
  /** The folder name, e.g. `20261123111014_init`; migrations apply in name order. */
  name: string;
  sql: string;
  /** sha256 of migration.sql, hex, as Prisma computes it. */
  checksum: string;
}

export interface MigrationResult {
  /** Names of the migrations this call applied, in order; empty when the database was current. */
  applied: string[];
}

type Row = Record<string, unknown>;

interface SqlRunner {
  query<R extends Row>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
}

interface MigrationConnection extends SqlRunner {
  schema: string;
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export async function readMigrations(migrationsDir: string): Promise<Migration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(migrationsDir, name, "migration.sql"));
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    }),
  );
}

function pgliteRunner(db: PGlite | Transaction): SqlRunner {
  return {
    async query<R extends Row>(sql: string, params?: unknown[]) {
      return (await db.query<R>(sql, params)).rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}

function pgliteConnection(db: PGlite): MigrationConnection {
  return {
    ...pgliteRunner(db),
    schema: "public",
    transaction: (fn) => db.transaction((tx) => fn(pgliteRunner(tx))),
  };
}

async function postgresConnection(
  databaseUrl: string,
): Promise<MigrationConnection & { close(): Promise<void> }> {
  const { connectionString, schema } = parsePostgresUrl(databaseUrl);
  // One dedicated session: the advisory lock belongs to it, so no pool.
  const client = new pg.Client({ connectionString });
  await client.connect();
  const runner: SqlRunner = {
    async query<R extends Row>(sql: string, params?: unknown[]) {
      return (await client.query<R>(sql, params)).rows;
    },
    async exec(script: string) {
      // Without parameters pg uses the simple protocol, which accepts many statements.
      await client.query(script);
    },
  };
  const conn: MigrationConnection & { close(): Promise<void> } = {
    ...runner,
    schema,
    async transaction(fn) {
      await client.query("BEGIN");
      try {
        const result = await fn(runner);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    close: () => client.end(),
  };
  return conn;
}

interface AppliedRow extends Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

async function applyMigrations(conn: MigrationConnection, migrations: Migration[]): Promise<MigrationResult> {
  const table = `${quote(conn.schema)}."_prisma_migrations"`;
  const lockKey = `prisma-migrate:${conn.schema}`;
  await conn.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey]);
  try {
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists.
    const schemas = await conn.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [conn.schema]);
    if (schemas.length === 0) await conn.exec(`CREATE SCHEMA ${quote(conn.schema)}`);
    await conn.exec(`CREATE TABLE IF NOT EXISTS ${table} (
        "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum"            VARCHAR(64) NOT NULL,
        "finished_at"         TIMESTAMPTZ,
        "migration_name"      VARCHAR(255) NOT NULL,
        "logs"                TEXT,
        "rolled_back_at"      TIMESTAMPTZ,
        "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      );`);
    const rows = await conn.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM ${table} ORDER BY started_at`,
    );
    const live = rows.filter((row) => row.rolled_back_at === null);
    const failed = live.find((row) => row.finished_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier and was not resolved. Repair the database, then run ` +
          `\`node scripts/prisma-offline.mjs migrate resolve --applied|--rolled-back ${failed.migration_name}\`.`,
      );
    }
    const applied = new Map(live.map((row) => [row.migration_name, row.checksum]));
    for (const migration of migrations) {
      const recorded = applied.get(migration.name);
      if (recorded !== undefined && recorded !== migration.checksum) {
        throw new MigrationError(
          `Migration ${migration.name} was modified after it was applied (checksum ${recorded} in the database, ` +
            `${migration.checksum} on disk). Restore prisma/migrations/${migration.name}/migration.sql and put ` +
            `the change in a new migration.`,
        );
      }
    }
    const pending = migrations.filter((migration) => !applied.has(migration.name));
    for (const migration of pending) {
      try {
        await conn.transaction(async (tx) => {
          await tx.exec(migration.sql);
          await tx.query(
            `INSERT INTO ${table} (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`, {
          cause: error,
        });
      }
    }
    return { applied: pending.map((migration) => migration.name) };
  } finally {
    await conn.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey]);
  }
}

// PGlite is one session per process, where an advisory lock is re-entrant: serialise in-process
// callers per database as well.
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

export type MigrationTarget = { databaseUrl: string } | { pglite: PGlite; key: string };

/** Applies pending migrations from `migrationsDir` to a PostgreSQL URL or an open PGlite. */
export async function migrate(target: MigrationTarget, migrationsDir: string): Promise<MigrationResult> {
  const migrations = await readMigrations(migrationsDir);
  if ("pglite" in target)
    return serialised(target.key, () => applyMigrations(pgliteConnection(target.pglite), migrations));
  // Each call has its own session, so the advisory lock alone orders them, in or across processes.
  const conn = await postgresConnection(target.databaseUrl);
  try {
    return await applyMigrations(conn, migrations);
  } finally {
    await conn.close();
  }
}
