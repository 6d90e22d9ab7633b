import { z } from "zod";
import { defineJob } from "../jobs/definitions";

/**
 * Credits a shop's newly synced orders to the messages that brought them (attribute-orders.server.ts);
 * runKey makes one job per ten seconds of order changes however many webhooks queue it.
 */
export const attributeOrdersJob = defineJob({
  name: "results.attribute-orders",
  version: 1,
  payload: z.object({ shop: z.string().min(1), runKey: z.string().min(1).max(100) }),
  maxAttempts: 5,
  backoff: { baseMs: 5_000, maxMs: 5 * 60_000 },
});
