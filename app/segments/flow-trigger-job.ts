import { z } from "zod";
import { defineJob } from "../jobs/definitions";

/**
 * Sends the shop's recent segment transitions to Shopify Flow (the rfm-segment-changed trigger).
 * runKey makes one job per minute of changes; the handler sends only what is not sent yet.
 */
export const sendSegmentChangesJob = defineJob({
  name: "segments.flow-trigger",
  version: 1,
  payload: z.object({ shop: z.string().min(1), runKey: z.string().min(1).max(100) }),
  maxAttempts: 5,
  lane: "shopify",
  backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
});
