import { z } from "zod";
import { defineJob } from "../../jobs/definitions";

// The campaigns stage's jobs, as data; handlers are registered in app/worker.server.ts. Planning a
// large shop takes tens of seconds, too long for a request: the route enqueues, the UI polls the
// preview (plannedAt turns non-null when the plan is complete).

/**
 * Plans one campaign (plan-campaign.server.ts); with `sendNow`, plans its first send for now and
 * schedules it (send-campaign-now.server.ts). `requestedAt` (ISO) makes each request its own job.
 */
export const planCampaignJob = defineJob({
  name: "campaigns.plan",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    campaignId: z.string().min(1),
    sendNow: z.boolean(),
    requestedAt: z.string().min(1),
  }),
  // A superseded or refused plan is not retried: the merchant's next request plans again.
  maxAttempts: 2,
  backoff: { baseMs: 5_000, maxMs: 60_000 },
});
