import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { quoteIdentifier, tablesToMaintain } from "./table-maintenance";

// Vacuums and analyzes the app's tables that have grown since their statistics were taken, when no
// autovacuum does it (PGlite, or a server with autovacuum off); see table-maintenance.ts.

const SizeRow = z.object({
  table: z.string(),
  pages: z.coerce.number(),
  statsPages: z.coerce.number(),
  statsRows: z.coerce.number(),
});
const LauncherRow = z.object({ running: z.boolean() });

export interface MaintainResult {
  /** false when the server's autovacuum looks after the tables */
  needed: boolean;
  maintained: string[];
}

export async function maintainTables(prisma: PrismaClient): Promise<MaintainResult> {
  const launcher = LauncherRow.parse(
    (
      await prisma.$queryRawUnsafe<unknown[]>(
        `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher') AS running`,
      )
    )[0],
  );
  if (launcher.running) return { needed: false, maintained: [] };
  const sizes = z.array(SizeRow).parse(
    await prisma.$queryRawUnsafe<unknown[]>(
      `SELECT c.relname::text AS "table", c.relpages AS "statsPages", c.reltuples::float8 AS "statsRows",
         (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS pages
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    ),
  );
  const maintained = tablesToMaintain(sizes);
  // One statement per table, outside any transaction (VACUUM cannot run in one).
  for (const table of maintained)
    await prisma.$executeRawUnsafe(`VACUUM (ANALYZE) ${quoteIdentifier(table)}`);
  return { needed: true, maintained };
}
