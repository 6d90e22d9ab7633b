import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { callAdmin } from "../admin-api/graphql-client.server";
import type { AdminGraphql } from "../sync/store-overview.server";
import {
  MARKETING_ACTIVITY_UPSERT_MUTATION,
  MARKETING_ENGAGEMENT_CREATE_MUTATION,
  daysToSend,
  marketingActivityInput,
  marketingEngagementInput,
  marketingRemoteId,
  type MarketingSummary,
} from "./marketing-report";

// A campaign's or flow's results into Shopify's marketing reports. Shopify's docs name no way to
// replace a day it has (every marketingEngagementCreate is a new row), so each finished day is sent
// once, recorded in MarketingReportDay. A job holds a day while sending it, so two jobs never both
// send it; a worker stopped between Shopify's answer and the mark sends that day again.

/** A day is sent once it is this long over: delivery reports and clicks come in late. */
export const SETTLE_MS = 3 * 60 * 60_000;
/** Sending one day takes far less; a job that died holding one leaves it to the next after this. */
const CLAIM_MS = 2 * 60_000;

const UserErrors = z.array(
  z.object({ field: z.array(z.string()).nullish(), message: z.string(), code: z.string().nullish() }),
);
const UpsertResult = z.object({
  marketingActivityUpsertExternal: z
    .object({ marketingActivity: z.object({ id: z.string() }).nullable(), userErrors: UserErrors })
    .nullable(),
});
const EngagementResult = z.object({
  marketingEngagementCreate: z
    .object({ marketingEngagement: z.object({ occurredOn: z.string() }).nullable(), userErrors: UserErrors })
    .nullable(),
});

/** Shopify refused the activity or a day's engagement (userErrors): a retry would be refused again. */
export class MarketingReportError extends Error {
  override name = "MarketingReportError";
  constructor(
    message: string,
    readonly userErrors: z.infer<typeof UserErrors>,
    readonly day?: string,
  ) {
    super(message);
  }
}

export interface ReportMarketingDeps {
  admin: AdminGraphql;
  prisma: Pick<PrismaClient, "marketingReportDay">;
  now: () => Date;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** default SETTLE_MS */
  settleMs?: number;
}

export interface ReportMarketingResult {
  /** the activity's gid in Shopify */
  activityId: string;
  /** days sent by this call, oldest first */
  sent: string[];
  /** finished days left to another job holding them */
  held: string[];
}

const describe = (errors: z.infer<typeof UserErrors>) =>
  errors.map((e) => `${e.message}${e.field?.length ? ` (${e.field.join(".")})` : ""}`).join("; ");

/** Upserts the activity, then sends each finished day not sent before. */
export async function reportMarketing(
  deps: ReportMarketingDeps,
  summary: MarketingSummary,
): Promise<ReportMarketingResult> {
  const options = { log: deps.log, sleep: deps.sleep };
  const upsert = UpsertResult.parse(
    await callAdmin(
      deps.admin,
      MARKETING_ACTIVITY_UPSERT_MUTATION,
      { input: marketingActivityInput(summary) },
      options,
    ),
  ).marketingActivityUpsertExternal;
  const activityId = upsert?.marketingActivity?.id;
  if (!upsert || upsert.userErrors.length > 0 || !activityId) {
    const errors = upsert?.userErrors ?? [];
    throw new MarketingReportError(
      `Shopify refused the marketing activity of ${summary.kind} ${summary.id}: ${describe(errors) || "no activity returned"}`,
      errors,
    );
  }

  const key = { shop: summary.shop, kind: summary.kind, sourceId: summary.id };
  const sentRows = await deps.prisma.marketingReportDay.findMany({
    where: { ...key, sentAt: { not: null } },
    select: { day: true },
  });
  const days = daysToSend(
    summary,
    new Set(sentRows.map((r) => r.day)),
    deps.now(),
    deps.settleMs ?? SETTLE_MS,
  );
  // the whole lot first: data Shopify cannot take fails the call before anything is sent
  const due = days.map((day) => ({ day, engagement: marketingEngagementInput(day) }));
  const result: ReportMarketingResult = { activityId, sent: [], held: [] };
  // a day Shopify refuses does not hold back the others; the call fails after them
  const refused: MarketingReportError[] = [];
  for (const { day, engagement } of due) {
    if (!(await claimDay(deps, { ...key, day: day.day }))) {
      result.held.push(day.day);
      continue;
    }
    const where = { shop_kind_sourceId_day: { ...key, day: day.day } };
    let created: z.infer<typeof EngagementResult>["marketingEngagementCreate"];
    try {
      created = EngagementResult.parse(
        await callAdmin(
          deps.admin,
          MARKETING_ENGAGEMENT_CREATE_MUTATION,
          { remoteId: marketingRemoteId(summary), marketingEngagement: engagement },
          options,
        ),
      ).marketingEngagementCreate;
    } catch (error) {
      await deps.prisma.marketingReportDay.update({ where, data: { claimedUntil: null } });
      throw error;
    }
    if (!created || created.userErrors.length > 0 || !created.marketingEngagement) {
      await deps.prisma.marketingReportDay.update({ where, data: { claimedUntil: null } });
      const errors = created?.userErrors ?? [];
      refused.push(
        new MarketingReportError(
          `Shopify refused ${day.day} of ${summary.kind} ${summary.id}: ${describe(errors) || "no engagement returned"}`,
          errors,
          day.day,
        ),
      );
      continue;
    }
    await deps.prisma.marketingReportDay.update({ where, data: { sentAt: deps.now(), claimedUntil: null } });
    result.sent.push(day.day);
  }
  deps.log(
    `marketing report of ${summary.kind} ${summary.id} (${summary.shop}): activity ${activityId}, ${result.sent.length} day(s) sent${result.held.length > 0 ? `, ${result.held.length} held by another job` : ""}`,
  );
  if (refused.length > 0)
    throw new MarketingReportError(
      refused.map((e) => e.message).join("; "),
      refused.flatMap((e) => e.userErrors),
      refused[0]?.day,
    );
  return result;
}

/** Holds the day for this job: a new row, or an unsent one whose holder's time is up. */
async function claimDay(
  deps: ReportMarketingDeps,
  day: { shop: string; kind: string; sourceId: string; day: string },
): Promise<boolean> {
  const now = deps.now();
  const claimedUntil = new Date(now.getTime() + CLAIM_MS);
  const created = await deps.prisma.marketingReportDay.createMany({
    data: [{ ...day, claimedUntil }],
    skipDuplicates: true,
  });
  if (created.count === 1) return true;
  const taken = await deps.prisma.marketingReportDay.updateMany({
    where: { ...day, sentAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    data: { claimedUntil },
  });
  return taken.count === 1;
}
