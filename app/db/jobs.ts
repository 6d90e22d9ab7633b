import { z } from "zod";
import { defineJob } from "../jobs/definitions";

/**
 * Vacuums and analyzes the tables that grew, where no autovacuum does (PGlite, a server with it
 * off); the minute in the payload makes it once a minute however many workers queue it.
 */
export const maintainTablesJob = defineJob({
  name: "db.maintain-tables",
  version: 1,
  payload: z.object({ minute: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/) }),
  maxAttempts: 2,
  backoff: { baseMs: 10_000, maxMs: 60_000 },
});
