// Which tables the app vacuums and analyzes itself. PostgreSQL's autovacuum keeps the planner's
// statistics current and dead row versions in check; PGlite has no autovacuum, and a server can run
// without it. There, a table filled during a peak (enrollments, outbox rows, webhook deliveries) is
// planned as if it were empty: a statement that should look up 30 customers by index hashes every
// enrollment instead, ~15× slower while it holds the customers' locks. Pure.

export interface TableSize {
  table: string;
  /** pages on disk now */
  pages: number;
  /** pages when the statistics were last taken (0 if never) */
  statsPages: number;
  /** rows when the statistics were last taken; negative when never taken */
  statsRows: number;
}

/** Smaller tables are read whole whatever the plan. */
export const MIN_PAGES = 8;
/** Taken again once a table has grown by this share since its statistics were. */
export const GROWTH = 0.2;

export function tablesToMaintain(tables: readonly TableSize[]): string[] {
  return tables
    .filter((t) => t.pages >= MIN_PAGES && (t.statsRows < 0 || t.pages > t.statsPages * (1 + GROWTH)))
    .map((t) => t.table)
    .sort();
}

/** A table name as an SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
