import { bulkWriter, prisma } from "./db.server";
import { maintainTablesJob } from "./db/jobs";
import { maintainTables } from "./db/maintain-tables.server";
import { getEnv } from "./env.server";
import { planCampaignJob, planPlaybookJob } from "./campaigns/plan/jobs";
import { runPlanCampaignJob, runPlanPlaybookJob } from "./campaigns/plan/plan-job.server";
import { planJobDeps } from "./campaigns/deps.server";
import { messageSource, shopAudience } from "./messaging.server";
import { enterFlows, enterFlowsAfterRescore } from "./flows/enter-flows.server";
import { flowEventsFrom } from "./flows/flow-events.server";
import { startFlowScheduler, type FlowScheduler } from "./flows/flow-scheduler.server";
import { currentDispatcher, startDispatch, stopDispatch } from "./messaging/dispatch/worker.server";
import { getJobQueue, PermanentJobError, type JobQueue } from "./jobs/index.server";
import { logLine, logger } from "./logger.server";
import { unauthenticated } from "./shopify.server";
import {
  backfillRunForBulkOperation,
  continueBackfill,
  startBackfill,
} from "./sync/backfill/run-backfill.server";
import {
  continueBackfillJob,
  processWebhookBatchJob,
  processWebhookJob,
  pruneDeliveriesJob,
  reconcileShopJob,
  startBackfillJob,
} from "./sync/jobs";
import { createWebhookBatcher } from "./sync/webhooks/webhook-batcher.server";
import { pruneDeliveries } from "./sync/webhooks/prune-deliveries.server";
import { reconcileShop } from "./sync/reconcile/reconcile.server";
import { rescoreDay, rescoreShopJob } from "./segments/jobs";
import { rescoreCustomersIn, rescoreShop } from "./segments/rescore.server";
import { getTagSegments } from "./segments/settings.server";
import { syncSegmentMetafieldsJob, syncSegmentTagsJob } from "./segments/tags/jobs";
import { rescoreWindowStart, WEBHOOK_LOOKBACK_MS } from "./segments/tags/metafield-pending.server";
import { syncSegmentMetafields } from "./segments/tags/segment-metafields.server";
import { sendSegmentChangesJob } from "./segments/flow-trigger-job";
import { sendSegmentChanges } from "./segments/send-segment-changes.server";
import { syncSegmentTags } from "./segments/tags/sync-tags.server";
import { consentWriteBackJob } from "./messaging/unsubscribe/jobs.server";
import { writeConsentBack } from "./messaging/unsubscribe/consent-write-back.server";
import { queueAttribution, queueResultsWork, registerResultsJobs } from "./results/worker.server";
import { queueDailyStorefrontDeadlines, queueStorefrontDeadlines } from "./storefront/deadlines-job";
import { registerStorefrontDeadlinesJob } from "./storefront/deadlines-worker.server";
import { registerSignupJobs } from "./storefront/signup-worker.server";
import { forgetSignupAttempts } from "./storefront/signup/rate-limit.server";
import {
  isPermanentWebhookError,
  markWebhookFailed,
  processWebhook,
  type ProcessWebhookDeps,
} from "./sync/webhooks/process-webhook.server";

// Registers every job handler and starts processing: in the app process in the embedded mode, and
// in any number of `npm run worker` processes in the scale mode.

const POLL_BACKFILL_MS = 2_000;
const RECONCILE_CHECK_MS = 5 * 60_000;
const MAINTAIN_TABLES_MS = 60_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function backfillDeps(shop: string) {
  const { admin } = await unauthenticated.admin(shop);
  return { prisma, writer: bulkWriter(), admin, log: logLine, now: () => new Date(), sleep };
}

function register(queue: JobQueue): void {
  const webhookDeps: ProcessWebhookDeps = {
    prisma,
    log: logLine,
    now: () => new Date(),
    async onBulkFinished(shop, bulkOperationGid) {
      const run = await backfillRunForBulkOperation(prisma, shop, bulkOperationGid);
      if (run?.status === "running") {
        await queue.enqueue(continueBackfillJob, { shop, runId: run.id, step: 0 }, { shop, rerun: true });
      }
    },
    async onCustomersChanged(tx, shop, customerIds) {
      const started = Date.now();
      const results = await rescoreCustomersIn(tx, shop, new Date(), customerIds);
      logger.debug("customers rescored", { shop, customers: customerIds.length, ms: Date.now() - started });
      return [...results.values()].some((result) => result.changed);
    },
    async onApplied(tx, shop, applied, since) {
      const events = await flowEventsFrom(tx, shop, applied, since);
      const { entered } = await enterFlows(tx, shop, events, new Date());
      if (entered > 0) logger.debug("flows entered", { shop, entered });
    },
    async onOrdersApplied(shop) {
      await queueAttribution(queue, shop);
    },
    async onSegmentsMoved(shop) {
      await queueTagSync(queue, shop);
      await queueMetafieldSync(queue, shop);
      await queueSegmentChanges(queue, shop);
    },
    async stopShop(shop) {
      const dropped = await queue.cancelShop(shop);
      logger.info("shop stopped: queued work dropped", { shop, jobs: dropped });
    },
  };

  queue.register(processWebhookJob, async ({ webhookId }, { attempt }) => {
    try {
      await processWebhook(webhookDeps, webhookId);
    } catch (error) {
      if (isPermanentWebhookError(error) || attempt >= processWebhookJob.maxAttempts) {
        await markWebhookFailed(prisma, webhookId, error);
      }
      if (isPermanentWebhookError(error))
        throw new PermanentJobError(error instanceof Error ? error.message : String(error));
      throw error;
    }
  });

  const batcher = createWebhookBatcher(webhookDeps, {
    onPass: (pass) => logger.debug("webhook batch pass", pass),
  });
  queue.register(processWebhookBatchJob, async ({ webhookIds }) => {
    const { individually } = await batcher.process(webhookIds);
    await queue.enqueueMany(
      processWebhookJob,
      individually.map((webhookId) => ({ webhookId })),
    );
  });

  registerResultsJobs(queue);
  registerStorefrontDeadlinesJob(queue);
  registerSignupJobs(queue);

  queue.register(maintainTablesJob, async () => {
    const { maintained } = await maintainTables(prisma);
    if (maintained.length > 0) logger.info("tables vacuumed and analyzed", { tables: maintained.join(",") });
  });

  queue.register(pruneDeliveriesJob, async () => {
    const now = new Date();
    const { deleted } = await pruneDeliveries(prisma, now);
    logger.info("old webhook deliveries deleted", { deleted });
    // the signup rate limit counts per minute: an hour back is more than it ever reads
    await forgetSignupAttempts(prisma, new Date(now.getTime() - 3_600_000));
  });

  queue.register(startBackfillJob, async ({ shop }) => {
    const run = await startBackfill(await backfillDeps(shop), shop);
    await queue.enqueue(continueBackfillJob, { shop, runId: run.id, step: 0 }, { shop, rerun: true });
  });

  queue.register(continueBackfillJob, async ({ shop, runId, step }) => {
    const run = await continueBackfill(await backfillDeps(shop), runId);
    // Still waiting for Shopify's export: look again shortly (bulk_operations/finish may come first).
    if (run?.status === "running") {
      await queue.enqueue(
        continueBackfillJob,
        { shop, runId, step: step + 1 },
        { shop, delayMs: POLL_BACKFILL_MS },
      );
    }
    if (run?.status === "completed") {
      await queue.enqueue(rescoreShopJob, { shop, day: rescoreDay(new Date()) }, { shop, rerun: true });
      // The shop's time zone is known now (read at the backfill's start): the deadlines use it.
      await queueStorefrontDeadlines(queue, shop, `backfill:${runId}`);
    }
  });

  queue.register(rescoreShopJob, async ({ shop }) => {
    const result = await rescoreShop({ prisma, now: () => new Date(), log: logLine }, shop);
    await queue.enqueue(syncSegmentTagsJob, { shop, runKey: result.scoredAt.toISOString() }, { shop });
    const moved = await rescoreWindowStart(prisma, shop, result.scoredAt);
    await queue.enqueue(
      syncSegmentMetafieldsJob,
      { shop, since: moved.toISOString(), runKey: result.scoredAt.toISOString() },
      { shop },
    );
    if (result.changed > 0) await queueSegmentChanges(queue, shop);
    // Customers become lapsed with time, not with a webhook: the day's transitions enter flows. The
    // whole day, not this run's alone: a worker that died after the rescore committed left its
    // transitions unentered, and its retry rescores with no change (enrollments dedupe by id).
    const since = new Date(result.scoredAt.getTime() - 24 * 60 * 60_000);
    const entered = await enterFlowsAfterRescore(prisma, shop, since, new Date());
    if (entered > 0) logger.info("flows entered after the rescore", { shop, entered });
  });

  queue.register(sendSegmentChangesJob, async ({ shop }) => {
    const { admin } = await unauthenticated.admin(shop);
    await sendSegmentChanges({ prisma, admin, now: () => new Date(), log: logLine, sleep }, shop);
  });

  queue.register(syncSegmentTagsJob, async ({ shop }) => {
    if (!(await tagsWanted(shop))) return;
    const { admin } = await unauthenticated.admin(shop);
    await syncSegmentTags({ prisma, admin, log: logLine, sleep }, shop);
  });

  // Unlike the tags, the storefront's segment metafield is written whatever the tag option says.
  queue.register(syncSegmentMetafieldsJob, async ({ shop, since }) => {
    const { admin } = await unauthenticated.admin(shop);
    await syncSegmentMetafields({ prisma, admin, log: logLine, sleep }, shop, since === null ? null : new Date(since));
  });

  queue.register(consentWriteBackJob, async (payload) => {
    const { admin } = await unauthenticated.admin(payload.shop);
    await writeConsentBack({ admin, log: logLine, sleep }, payload);
  });

  queue.register(reconcileShopJob, async ({ shop }) => {
    const deps = await backfillDeps(shop);
    await reconcileShop(deps, shop);
  });

  queue.register(planCampaignJob, (payload, { attempt }) =>
    runPlanCampaignJob(planJobDeps(), payload, {
      attempt,
      maxAttempts: planCampaignJob.maxAttempts,
    }),
  );
  queue.register(planPlaybookJob, (payload, { attempt }) =>
    runPlanPlaybookJob(planJobDeps(), payload, {
      attempt,
      maxAttempts: planPlaybookJob.maxAttempts,
    }),
  );
}

/**
 * After a crash or restart: backfills that were running carry on now rather than when their
 * old job's lease expires. A fresh step number makes it a new job; continuing twice is harmless.
 */
async function resumeBackfills(queue: JobQueue): Promise<void> {
  const runs = await prisma.syncRun.findMany({
    where: { kind: "backfill", status: "running" },
    select: { id: true, shop: true },
  });
  const step = Math.floor(Date.now() / 1000);
  for (const run of runs) {
    await queue.enqueue(continueBackfillJob, { shop: run.shop, runId: run.id, step }, { shop: run.shop });
    logger.info("backfill resumed after restart", { shop: run.shop, run: run.id });
  }
}

/**
 * Tag write-back runs when the option is on, or once more after it was turned off (to remove the
 * app's tags): i.e. whenever it is on or some customer still carries a tag the app wrote.
 */
async function tagsWanted(shop: string): Promise<boolean> {
  if (await getTagSegments(prisma, shop)) return true;
  return (await prisma.customer.count({ where: { shop, taggedSegment: { not: null } } })) > 0;
}

/** Segment changes from webhooks are written back at most once a minute per shop. */
async function queueTagSync(queue: JobQueue, shop: string): Promise<void> {
  if (!(await getTagSegments(prisma, shop))) return;
  const minute = new Date().toISOString().slice(0, 16);
  await queue.enqueue(syncSegmentTagsJob, { shop, runKey: minute }, { shop, delayMs: 60_000 });
}

/** The storefront's segment metafield follows webhook moves at most once a minute per shop, like the tags. */
async function queueMetafieldSync(queue: JobQueue, shop: string): Promise<void> {
  const minute = new Date().toISOString().slice(0, 16);
  const since = new Date(Date.parse(`${minute}:00Z`) - WEBHOOK_LOOKBACK_MS).toISOString();
  await queue.enqueue(syncSegmentMetafieldsJob, { shop, since, runKey: minute }, { shop, delayMs: 60_000 });
}

/** Segment changes go to Shopify Flow within seconds, in one job per shop and 10 s of changes. */
async function queueSegmentChanges(queue: JobQueue, shop: string): Promise<void> {
  const runKey = new Date().toISOString().slice(0, 18);
  await queue.enqueue(sendSegmentChangesJob, { shop, runKey }, { shop, delayMs: 2_000 });
}

/**
 * Queues this hour's reconciliation and today's (nightly) full rescore and storefront deadlines for
 * every installed shop, and today's pruning of old deliveries; the job ids make them once per hour
 * and once per day.
 * Every tick also queues the results' periodic work (results/worker.server.ts).
 */
async function scheduleReconciliation(queue: JobQueue): Promise<void> {
  const now = new Date();
  const hour = now.toISOString().slice(0, 13);
  await queue.enqueue(pruneDeliveriesJob, { day: rescoreDay(now) });
  const shops = await prisma.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  for (const { domain } of shops) {
    await queue.enqueue(reconcileShopJob, { shop: domain, hour }, { shop: domain });
    await queue.enqueue(rescoreShopJob, { shop: domain, day: rescoreDay(now) }, { shop: domain });
  }
  await queueResultsWork(queue, shops.map((s) => s.domain), now);
  await queueDailyStorefrontDeadlines(queue, shops.map((s) => s.domain), now);
}

const state = globalThis as typeof globalThis & {
  __holidayWorker?: Promise<void>;
  __flowScheduler?: FlowScheduler;
};

/** Starts the job worker once per process (JOB_CONCURRENCY=0 makes a web-only process). */
export function startWorker(): Promise<void> {
  state.__holidayWorker ??= (async () => {
    const concurrency = getEnv().JOB_CONCURRENCY;
    if (concurrency === 0) return;
    const queue = getJobQueue();
    register(queue);
    const dispatch = startDispatch(queue, messageSource());
    await queue.start({
      concurrency,
      lanes: { messages: getEnv().DISPATCH_CONCURRENCY, shopify: getEnv().SHOPIFY_API_CONCURRENCY },
    });
    dispatch.start();
    state.__flowScheduler = startFlowScheduler({
      prisma,
      now: () => new Date(),
      audienceFor: shopAudience,
      kick: (shop, flowId) => currentDispatcher()?.kick(shop, flowId) ?? Promise.resolve(),
      log: (line) => logger.warn(line),
    });
    await resumeBackfills(queue);
    const tick = () =>
      void scheduleReconciliation(queue).catch((error: unknown) =>
        logger.warn("reconciliation not scheduled", { error: String(error) }),
      );
    setInterval(tick, RECONCILE_CHECK_MS).unref();
    const maintain = () =>
      void queue
        .enqueue(maintainTablesJob, { minute: new Date().toISOString().slice(0, 16) })
        .catch((error: unknown) => logger.warn("table maintenance not queued", { error: String(error) }));
    setInterval(maintain, MAINTAIN_TABLES_MS).unref();
    logger.info("job worker started", { concurrency, queue: getEnv().REDIS_URL ? "bullmq" : "database" });
  })();
  return state.__holidayWorker;
}

export async function stopWorker(): Promise<void> {
  if (!state.__holidayWorker) return;
  await state.__flowScheduler?.stop();
  state.__flowScheduler = undefined;
  await getJobQueue().stop();
  await stopDispatch();
}
