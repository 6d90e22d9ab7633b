import { z } from "zod";
import { defineJob } from "../../jobs/definitions";

/**
 * Writes segments back onto Shopify customers as rfm:<segment> tags (or removes them when the
 * option is off). runKey makes a new job per trigger (a rescore's time, a settings change);
 * the handler itself only does what is still left, so any number of runs converge.
 */
export const syncSegmentTagsJob = defineJob({
  name: "segments.tags.sync",
  version: 1,
  payload: z.object({ shop: z.string().min(1), runKey: z.string().min(1).max(100) }),
  maxAttempts: 5,
  lane: "shopify",
  backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
});

/**
 * Writes the customers' segment metafield ($app.rfm_segment) for those moved or synced since
 * `since` (ISO instant; null: every customer), whatever the tag option says. runKey names the
 * trigger (a rescore's time, a webhook minute).
 */
export const syncSegmentMetafieldsJob = defineJob({
  name: "segments.metafields.sync",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    since: z.string().datetime().nullable(),
    runKey: z.string().min(1).max(100),
  }),
  maxAttempts: 5,
  lane: "shopify",
  backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
});
