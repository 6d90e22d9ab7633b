import { z } from "zod";
import { defineJob } from "../jobs/definitions";

// The segments stage's jobs, as data. Handlers are registered in app/worker.server.ts.

/**
 * The full rescore of a shop (app/segments/rescore.server.ts → rescoreShop). `day` (UTC,
 * YYYY-MM-DD) makes the nightly one run once per day per shop; after a backfill or a change of
 * thresholds, enqueue it with `rerun: true` so it runs again the same day.
 */
export const rescoreShopJob = defineJob({
  name: "segments.rescore",
  version: 1,
  payload: z.object({ shop: z.string().min(1), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  maxAttempts: 3,
  backoff: { baseMs: 5_000, maxMs: 5 * 60_000 },
});

/** Today's `day` for rescoreShopJob. */
export const rescoreDay = (now: Date): string => now.toISOString().slice(0, 10);
