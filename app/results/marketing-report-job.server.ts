import type { PrismaClient } from "@prisma/client";
import type { z } from "zod";
import { AdminApiError } from "../admin-api/graphql-client.server";
import { PermanentJobError, type JobHandler } from "../jobs/queue";
import { MoneyError } from "../sync/money";
import type { AdminGraphql } from "../sync/store-overview.server";
import type { reportMarketingJob } from "./marketing-report-job";
import type { MarketingResultKind, MarketingSummary } from "./marketing-report";
import { MarketingReportError, reportMarketing } from "./shopify-marketing.server";

export type MarketingReportPayload = z.infer<typeof reportMarketingJob.payload>;

/** The results of one campaign or flow; null when there is nothing to report (a draft, deleted data). */
export type MarketingSummaryLoader = (
  shop: string,
  kind: MarketingResultKind,
  id: string,
) => Promise<MarketingSummary | null>;

export interface MarketingReportJobDeps {
  load: MarketingSummaryLoader;
  /** the shop's Admin GraphQL client (unauthenticated.admin(shop).admin in the worker) */
  admin: (shop: string) => Promise<AdminGraphql>;
  prisma: Pick<PrismaClient, "marketingReportDay">;
  now: () => Date;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The handler of reportMarketingJob. What a retry cannot change ends the job as failed with the
 * reason: Shopify's userErrors, a scope the merchant has not granted yet, data Shopify cannot take.
 */
export function marketingReportHandler(deps: MarketingReportJobDeps): JobHandler<MarketingReportPayload> {
  return async ({ shop, kind, id }) => {
    const summary = await deps.load(shop, kind, id);
    if (!summary) {
      deps.log(`marketing report of ${kind} ${id} (${shop}): nothing to report`);
      return;
    }
    if (summary.shop !== shop || summary.kind !== kind || summary.id !== id)
      throw new PermanentJobError(
        `the loader answered ${summary.kind} ${summary.id} of ${summary.shop} for ${kind} ${id} of ${shop}`,
      );
    const admin = await deps.admin(shop);
    try {
      await reportMarketing(
        { admin, prisma: deps.prisma, now: deps.now, log: deps.log, sleep: deps.sleep },
        summary,
      );
    } catch (error) {
      if (error instanceof MarketingReportError || error instanceof RangeError || error instanceof MoneyError)
        throw new PermanentJobError(error.message);
      if (error instanceof AdminApiError && error.errors.some((e) => e.extensions?.code === "ACCESS_DENIED"))
        throw new PermanentJobError(
          `${error.message} (the merchant has not granted write_marketing_events yet)`,
        );
      throw error;
    }
  };
}
