import { getCampaignSettings } from "../campaigns/settings/campaign-settings.server";
import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import type { JobQueue } from "../jobs/queue";
import { logger } from "../logger.server";
import { unauthenticated } from "../shopify.server";
import { shopTimeZone } from "../sync/shop-time-zone.server";
import { attributeOrders } from "./attribution/attribute-orders.server";
import { attributeOrdersJob } from "./jobs";
import { reportMarketingJob } from "./marketing-report-job";
import { marketingReportHandler } from "./marketing-report-job.server";
import { loadMarketingSummary } from "./report/marketing-summary.server";

// The results stage's jobs in the worker (app/worker.server.ts): crediting orders, and reporting
// into Shopify's marketing reports.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function registerResultsJobs(queue: JobQueue): void {
  queue.register(attributeOrdersJob, async ({ shop }) => {
    const windows = async (of: string) =>
      (await getCampaignSettings(prisma, of, (line) => logger.warn(line))).attribution;
    const { orders, credited } = await attributeOrders({ prisma, windows }, shop);
    if (orders > 0) logger.debug("orders attributed", { shop, orders, credited });
  });
  queue.register(
    reportMarketingJob,
    marketingReportHandler({
      load: (shop, kind, id) =>
        loadMarketingSummary(
          { prisma, appUrl: getEnv().SHOPIFY_APP_URL, timeZone: (of) => shopTimeZone(prisma, of) },
          shop,
          kind,
          id,
        ),
      admin: async (shop) => (await unauthenticated.admin(shop)).admin,
      prisma,
      now: () => new Date(),
      log: (line) => logger.info(line),
      sleep,
    }),
  );
}

/** New orders are credited to messages within seconds, in one job per shop and 10 s of orders. */
export async function queueAttribution(queue: JobQueue, shop: string): Promise<void> {
  const runKey = new Date().toISOString().slice(0, 18);
  await queue.enqueue(attributeOrdersJob, { shop, runKey }, { shop, delayMs: 2_000 });
}

let lastMarketingHour: string | undefined;

/**
 * Every tick: each shop's orders synced since its last attribution (the backfill's and the
 * reconciliation's). Once an hour: every campaign and flow that sent in the last five weeks
 * reports its finished days into Shopify, in shops that granted write_marketing_events.
 */
export async function queueResultsWork(queue: JobQueue, shops: readonly string[], now: Date): Promise<void> {
  const minute = now.toISOString().slice(0, 16);
  for (const shop of shops)
    await queue.enqueue(attributeOrdersJob, { shop, runKey: `tick:${minute}` }, { shop });
  const hour = minute.slice(0, 13);
  if (hour === lastMarketingHour) return;
  lastMarketingHour = hour;
  const since = new Date(now.getTime() - 35 * 86_400_000);
  const sources = await prisma.outboxMessage.findMany({
    where: { status: "sent", sendAt: { gte: since }, shop: { in: [...shops] } },
    distinct: ["shop", "campaignId"],
    select: { shop: true, campaignId: true },
  });
  const granted = await prisma.shop.findMany({
    where: { domain: { in: [...new Set(sources.map((s) => s.shop))] } },
    select: { domain: true, scopes: true },
  });
  const allowed = new Set(
    granted.filter((s) => s.scopes.split(",").includes("write_marketing_events")).map((s) => s.domain),
  );
  for (const { shop, campaignId } of sources) {
    if (!allowed.has(shop)) continue;
    const kind: "campaign" | "flow" = campaignId.startsWith("f_") ? "flow" : "campaign";
    await queue.enqueue(reportMarketingJob, { shop, kind, id: campaignId }, { shop, rerun: true });
  }
}
