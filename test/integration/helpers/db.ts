import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import { createDatabase, type Database } from "~/db.server";

/** Where a fresh, empty database lives: pass it to createDatabase / migrateDatabase. */
export interface DatabaseTarget {
  databaseUrl?: string;
  dataDir?: string;
  /** Deletes the database (PGlite files or PostgreSQL schema). Close clients first. */
  cleanup(): Promise<void>;
}

export interface TestDatabase {
  prisma: PrismaClient;
  bulkWriter: Database["bulkWriter"];
  databaseUrl?: string;
  dataDir?: string;
  /** Disconnects and deletes the database. */
  close(): Promise<void>;
}

export interface DatabaseMode {
  name: "pglite" | "postgres";
  /** A new empty database, not migrated. */
  target(): Promise<DatabaseTarget>;
  /** A new migrated database with a connected client. */
  open(): Promise<TestDatabase>;
}

/** The base URL for PostgreSQL tests; unset means PostgreSQL tests are skipped. */
export const postgresUrl: string | undefined = process.env.DATABASE_URL || undefined;

export async function pgliteTarget(): Promise<DatabaseTarget> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "holiday-db-"));
  return { dataDir, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
}

/** A fresh schema `t_<random>` in the database of `baseUrl`, selected by `?schema=`. */
export async function postgresTarget(baseUrl: string): Promise<DatabaseTarget> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const url = new URL(baseUrl);
  url.searchParams.set("schema", schema);
  return {
    databaseUrl: url.toString(),
    async cleanup() {
      const admin = new URL(baseUrl);
      admin.searchParams.delete("schema");
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

async function openTarget(target: DatabaseTarget): Promise<TestDatabase> {
  try {
    const db = await createDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
    return {
      prisma: db.prisma,
      bulkWriter: db.bulkWriter,
      databaseUrl: target.databaseUrl,
      dataDir: target.dataDir,
      async close() {
        try {
          await db.close();
        } finally {
          await target.cleanup();
        }
      },
    };
  } catch (error) {
    await target.cleanup();
    throw error;
  }
}

const pglite: DatabaseMode = {
  name: "pglite",
  target: pgliteTarget,
  open: async () => openTarget(await pgliteTarget()),
};

/**
 * Every mode to run database tests in: PGlite always, PostgreSQL when DATABASE_URL is set.
 * Use with `describe.each(databaseModes)("... ($name)", (mode) => …)`.
 */
export const databaseModes: DatabaseMode[] = postgresUrl
  ? [
      pglite,
      {
        name: "postgres",
        target: () => postgresTarget(postgresUrl),
        open: async () => openTarget(await postgresTarget(postgresUrl)),
      },
    ]
  : [pglite];
