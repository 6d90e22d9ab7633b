import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintainTables } from "~/db/maintain-tables.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// Where no autovacuum runs (PGlite always; this machine's PostgreSQL has it off), the job takes the
// statistics of a table that filled up, so the planner knows its size; the oracle is the number of
// rows the test put in.

const ROWS = 5_000;

describe.each(databaseModes)("table maintenance ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
  });
  afterAll(async () => {
    await db.close();
  });

  const statsRows = async () => {
    const rows = await prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT reltuples::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
       WHERE s.nspname = current_schema() AND c.relname = 'GrowingTable'`,
    );
    return rows[0]?.n;
  };

  it("vacuums and analyzes a table that filled up, once", async () => {
    await prisma.$executeRawUnsafe(`CREATE TABLE "GrowingTable" (id int PRIMARY KEY, note text)`);
    await prisma.$executeRawUnsafe(
      `INSERT INTO "GrowingTable" SELECT g, repeat('x', 40) FROM generate_series(1, ${ROWS}) g`,
    );
    expect(await statsRows()).toBe(-1);
    const first = await maintainTables(prisma);
    // A server whose autovacuum runs is left to it.
    if (!first.needed) return expect(first.maintained).toEqual([]);
    expect(first.maintained).toContain("GrowingTable");
    expect(await statsRows()).toBe(ROWS);
    const second = await maintainTables(prisma);
    expect(second.maintained).not.toContain("GrowingTable");
  });
});
