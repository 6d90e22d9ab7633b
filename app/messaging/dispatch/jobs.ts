import { z } from "zod";
import { defineJob } from "../../jobs/definitions";

// The dispatch stage's job, as data; the handler is registered by `startDispatch`
// (app/messaging/dispatch/worker.server.ts). One job is one tick of one lane: a lane is one of
// `lanes` workers of a (campaign, channel), and a chain is one life of that lane, so ticks of a
// chain replaced by the sweep (it found the lane dead) stop at their next start.

export const DISPATCH_CHANNELS = ["email", "sms", "webhook"] as const;
export type DispatchChannel = (typeof DISPATCH_CHANNELS)[number];

export const dispatchLaneJob = defineJob({
  name: "campaign.dispatch",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    campaignId: z.string().min(1),
    channel: z.enum(DISPATCH_CHANNELS),
    lane: z.number().int().min(0).max(63),
    chain: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    tick: z.number().int().nonnegative(),
  }),
  // Messages due now go out on workers of their own, whatever the webhook backlog.
  lane: "messages",
  // A tick that throws is retried a little; the sweep revives the lane anyway if it dies.
  maxAttempts: 3,
  backoff: { baseMs: 1_000, maxMs: 10_000 },
});
export type DispatchLanePayload = z.infer<typeof dispatchLaneJob.payload>;
