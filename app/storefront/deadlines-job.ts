import { z } from "zod";
import { defineJob } from "../jobs/definitions";
import type { JobQueue } from "../jobs/queue";

/**
 * Writes the shop's storefront deadlines (holiday.deadlines on the app's installation). runKey
 * names the trigger — `install:<ms>`, `settings:<ms>`, `backfill:<run>`, `day:<YYYY-MM-DD>` — so the
 * daily one is queued once a day however many ticks ask; any run writes the value of its moment.
 */
export const writeStorefrontDeadlinesJob = defineJob({
  name: "storefront.deadlines.write",
  version: 1,
  payload: z.object({ shop: z.string().min(1), runKey: z.string().min(1).max(100) }),
  maxAttempts: 5,
  lane: "shopify",
  backoff: { baseMs: 5_000, maxMs: 30 * 60_000 },
});

export async function queueStorefrontDeadlines(queue: JobQueue, shop: string, runKey: string): Promise<void> {
  await queue.enqueue(writeStorefrontDeadlinesJob, { shop, runKey }, { shop });
}

/** The daily write of every installed shop: a new season's deadlines appear the day after Christmas. */
export async function queueDailyStorefrontDeadlines(
  queue: JobQueue,
  shops: readonly string[],
  now: Date,
): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  for (const shop of shops) await queueStorefrontDeadlines(queue, shop, `day:${day}`);
}
