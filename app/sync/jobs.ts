import { z } from "zod";
import { defineJob } from "../jobs/definitions";

// The sync stage's jobs, as data. Handlers are registered in app/worker.server.ts.

/** One verified webhook delivery; its id is Shopify's webhook id, so a redelivery never runs twice. */
export const processWebhookJob = defineJob({
  name: "webhook.process",
  version: 1,
  payload: z.object({ webhookId: z.string().min(1) }),
  idOf: (payload) => payload.webhookId,
  maxAttempts: 8,
  backoff: { baseMs: 1_000, maxMs: 10 * 60_000 },
});

/**
 * Deliveries recorded together by the intake, processed together (orders and customers in one
 * transaction per shop); anything the batch does not apply becomes a `webhook.process` job.
 */
export const processWebhookBatchJob = defineJob({
  name: "webhook.process-batch",
  version: 1,
  payload: z.object({ webhookIds: z.array(z.string().min(1)).min(1).max(1_000) }),
  maxAttempts: 8,
  backoff: { baseMs: 1_000, maxMs: 10 * 60_000 },
});

/** Starts a backfill (on install and from Settings → Re-sync); at most one runs per shop. */
export const startBackfillJob = defineJob({
  name: "backfill.start",
  version: 1,
  payload: z.object({ shop: z.string().min(1) }),
  maxAttempts: 5,
});

/** Moves a backfill forward: polls its bulk operations, or loads their results once done. */
export const continueBackfillJob = defineJob({
  name: "backfill.continue",
  version: 1,
  payload: z.object({
    shop: z.string().min(1),
    runId: z.string().min(1),
    step: z.number().int().nonnegative(),
  }),
  maxAttempts: 6,
  backoff: { baseMs: 2_000, maxMs: 5 * 60_000 },
});

/** Re-reads what changed since the last sync, so a missed webhook heals within the hour. */
export const reconcileShopJob = defineJob({
  name: "reconcile.shop",
  version: 1,
  payload: z.object({ shop: z.string().min(1), hour: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/) }),
  maxAttempts: 3,
});

/**
 * Deletes old webhook deliveries (their payloads hold customers' personal data): processed ones
 * after 7 days, failed ones after 30 (long enough to look into them). Once per day.
 */
export const pruneDeliveriesJob = defineJob({
  name: "webhook.prune",
  version: 1,
  payload: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  maxAttempts: 3,
  backoff: { baseMs: 60_000, maxMs: 30 * 60_000 },
});
