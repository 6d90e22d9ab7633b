import { z } from "zod";
import { defineJob } from "../jobs/definitions";

/**
 * Reports one campaign's or flow's results into Shopify's marketing reports: the activity (status,
 * dates) and each finished day not sent before. The payload names the work, so a job enqueued while
 * another of it waits is the same job; enqueue with `rerun: true` to report again later.
 */
export const reportMarketingJob = defineJob({
  name: "results.marketing-report",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    kind: z.enum(["campaign", "flow"]),
    id: z.string().min(1).max(200),
  }),
  maxAttempts: 5,
  lane: "shopify",
  backoff: { baseMs: 5_000, maxMs: 30 * 60_000 },
});
