import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@prisma/client";
import { releasingBrokenTransactions } from "./db/broken-transactions.server";
import { postgresBulkWriter, type BulkWriter } from "./db/bulk-writer.server";
import { migrate, type MigrationResult } from "./db/migrate.server";
import { pgliteAdapter } from "./db/pglite-adapter.server";
import { acquirePglite } from "./db/pglite.server";
import { parsePostgresUrl } from "./db/postgres-url";
import type { RawQuery } from "./db/sql";
import { getEnv } from "./env.server";

export { MigrationError, type MigrationResult } from "./db/migrate.server";

export interface DatabaseOptions {
  /** postgres:// URL; `?schema=name` selects a schema. Without it: embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite keeps its files in `<dataDir>/pglite`. Default `data`. */
  dataDir?: string;
  /** Default `prisma/migrations` under the working directory. */
  migrationsDir?: string;
}

/** Writes with large parameters (the backfill's batches, a plan's pages); on PostgreSQL also files staged by COPY. */
export type BatchWriter = Pick<BulkWriter, "$executeRawUnsafe" | "$queryRawUnsafe"> &
  Partial<Pick<BulkWriter, "stage">>;

export interface Database {
  prisma: PrismaClient;
  /** Batched writes (backfill, plans): a pool of its own on PostgreSQL, the client itself on PGlite. */
  bulkWriter: BatchWriter;
  /** Disconnects Prisma and, for PGlite, closes the database (it keeps the process alive). */
  close(): Promise<void>;
}

type AdapterFactory = NonNullable<Prisma.PrismaClientOptions["adapter"]>;
type DriverAdapter = Awaited<ReturnType<AdapterFactory["connect"]>>;

const migrationsDirOf = (options: DatabaseOptions) =>
  path.resolve(options.migrationsDir ?? "prisma/migrations");
const dataDirOf = (options: DatabaseOptions) => options.dataDir ?? "data";

function postgresAdapter(databaseUrl: string): AdapterFactory {
  const { connectionString, schema } = parsePostgresUrl(databaseUrl);
  return releasingBrokenTransactions(new PrismaPg({ connectionString }, { schema }));
}

/** Applies pending migrations. Without options: the app's database, from the environment. */
export async function migrateDatabase(options?: DatabaseOptions): Promise<MigrationResult> {
  if (!options) return migrateAppDatabase();
  const migrationsDir = migrationsDirOf(options);
  if (options.databaseUrl) return migrate({ databaseUrl: options.databaseUrl }, migrationsDir);
  const handle = await acquirePglite(dataDirOf(options));
  try {
    return await migrate({ pglite: handle.pglite, key: handle.dir }, migrationsDir);
  } finally {
    await handle.release();
  }
}

/** Connects to and migrates a database: for tests and scripts. The app uses `prisma`. */
export async function createDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const migrationsDir = migrationsDirOf(options);
  if (options.databaseUrl) {
    await migrate({ databaseUrl: options.databaseUrl }, migrationsDir);
    const client = new PrismaClient({ adapter: postgresAdapter(options.databaseUrl) });
    await client.$connect();
    const writer = postgresBulkWriter(options.databaseUrl);
    return {
      prisma: client,
      bulkWriter: writer,
      async close() {
        await writer.close();
        await client.$disconnect();
      },
    };
  }
  const handle = await acquirePglite(dataDirOf(options));
  try {
    await migrate({ pglite: handle.pglite, key: handle.dir }, migrationsDir);
    const client = new PrismaClient({ adapter: pgliteAdapter(handle.pglite) });
    await client.$connect();
    return {
      prisma: client,
      bulkWriter: client,
      async close() {
        try {
          await client.$disconnect();
        } finally {
          await handle.release();
        }
      },
    };
  } catch (error) {
    await handle.release();
    throw error;
  }
}

interface AppDatabaseState {
  prisma?: PrismaClient;
  bulkWriter?: BulkWriter;
  intake?: BulkWriter;
  migration?: Promise<MigrationResult>;
}

declare global {
  // Survives Vite dev HMR, so edits do not open a new client (and PGlite) each time.
  var __holidaySegmentsDb: AppDatabaseState | undefined;
}

const state: AppDatabaseState = (globalThis.__holidaySegmentsDb ??= {});

function appOptions(): DatabaseOptions {
  const env = getEnv();
  return { databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR };
}

/** Once per process; a failed attempt is retried by the next caller. */
function migrateAppDatabase(): Promise<MigrationResult> {
  state.migration ??= migrateDatabase(appOptions()).catch((error: unknown) => {
    state.migration = undefined;
    throw error;
  });
  return state.migration;
}

// Reads the environment and opens the database on the first query, not at import, and migrates
// before that first query so no code path sees an old schema.
function appAdapter(): AdapterFactory {
  return {
    provider: "postgres",
    adapterName: "holiday-segments-app",
    async connect(): Promise<DriverAdapter> {
      await migrateAppDatabase();
      const options = appOptions();
      if (options.databaseUrl) return postgresAdapter(options.databaseUrl).connect();
      const handle = await acquirePglite(dataDirOf(options));
      return pgliteAdapter(handle.pglite, () => handle.release()).connect();
    },
  };
}

/** The app's client: PostgreSQL when DATABASE_URL is set, else embedded PGlite in DATA_DIR. */
export const prisma: PrismaClient = (state.prisma ??= new PrismaClient({ adapter: appAdapter() }));

/** The app's writer for batches (see `Database.bulkWriter`). */
export function bulkWriter(): BatchWriter {
  const { databaseUrl } = appOptions();
  if (!databaseUrl) return prisma;
  return (state.bulkWriter ??= postgresBulkWriter(databaseUrl));
}

/**
 * The webhook intake's statements (a batch of bodies as one parameter, answered after the commit):
 * on PostgreSQL a pool of their own with synchronous commits, without Prisma's engine encoding the
 * bodies again; on PGlite the client.
 */
export function intakeDb(): RawQuery {
  const { databaseUrl } = appOptions();
  if (!databaseUrl) return prisma;
  return (state.intake ??= postgresBulkWriter(databaseUrl, { durable: true }));
}

/** At shutdown: ends the app's connections, which closes PGlite's files cleanly. */
export async function closeAppDatabase(): Promise<void> {
  const writers = [state.bulkWriter, state.intake];
  state.bulkWriter = undefined;
  state.intake = undefined;
  await Promise.all(writers.map((writer) => writer?.close()));
  await prisma.$disconnect();
}
