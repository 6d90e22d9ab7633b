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

/**
 * Plans every enabled draft of a playbook's year in order (plan-playbook.server.ts): one job, so a
 * later campaign's caps see the earlier ones' messages. For the wizard on large shops.
 */
export const planPlaybookJob = defineJob({
  name: "campaigns.plan-playbook",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    playbook: z.string().min(1),
    year: z.number().int(),
    requestedAt: z.string().min(1),
  }),
  maxAttempts: 2,
  backoff: { baseMs: 5_000, maxMs: 60_000 },
});
