import type { PrismaClient } from "@prisma/client";
import type { z } from "zod";
import { anyOfJson } from "../../db/sql";
import { utc, type CampaignDb } from "../lifecycle/deps";
import type { planCampaignJob, planPlaybookJob } from "./jobs";
import { listCampaigns } from "../lifecycle/read-campaign.server";

// Planning a large audience takes tens of seconds (a million customers: ~40 s), too long to hold a
// merchant's request: above BACKGROUND_PLAN_FROM customers the page asks for a plan, the
// campaigns.plan job makes it, and the page shows "planning" until it is done (or why it failed).
// The request's time identifies it: a newer request supersedes an older one still queued.

export const BACKGROUND_PLAN_FROM = 50_000;

export type PlanJobPayload = z.infer<typeof planCampaignJob.payload>;
export type EnqueuePlan = (payload: PlanJobPayload) => Promise<unknown>;

/** Customers in the campaign's segment: what a plan walks through. */
export async function audienceSize(
  prisma: Pick<PrismaClient, "customerScore">,
  shop: string,
  segment: string,
): Promise<number> {
  return prisma.customerScore.count({ where: { shop, segment } });
}

/** Marks the campaign as planning (clearing an earlier failure) and queues the plan. */
export async function requestPlan(
  deps: { prisma: CampaignDb; now(): Date },
  enqueue: EnqueuePlan,
  shop: string,
  campaignId: string,
  sendNow: boolean,
): Promise<void> {
  const requestedAt = deps.now().toISOString();
  await deps.prisma.$executeRawUnsafe(
    `UPDATE "Campaign" SET "planRequestedAt" = ${utc("$3")}, "planError" = NULL WHERE shop = $1 AND id = $2`,
    shop,
    campaignId,
    requestedAt,
  );
  await enqueue({ shop, campaignId, sendNow, requestedAt });
}

/** Is this job's request still the campaign's latest (not superseded, not already finished)? */
export async function isCurrentRequest(prisma: CampaignDb, payload: PlanJobPayload): Promise<boolean> {
  const row = await prisma.campaign.findFirst({
    where: { id: payload.campaignId, shop: payload.shop },
    select: { planRequestedAt: true },
  });
  return row?.planRequestedAt?.getTime() === new Date(payload.requestedAt).getTime();
}

/** The request is done: no longer planning; `error` is what the merchant sees when it failed. */
export async function finishRequest(
  prisma: CampaignDb,
  payload: Pick<PlanJobPayload, "shop" | "campaignId" | "requestedAt">,
  error: string | null,
): Promise<void> {
  await prisma.$executeRawUnsafe(
    `UPDATE "Campaign" SET "planRequestedAt" = NULL, "planError" = $4
     WHERE shop = $1 AND id = $2 AND "planRequestedAt" = ${utc("$3")}`,
    payload.shop,
    payload.campaignId,
    payload.requestedAt,
    error,
  );
}

export type PlaybookJobPayload = z.infer<typeof planPlaybookJob.payload>;

/** The wizard's request: every enabled draft of the playbook's year is marked planning, one job plans them. */
export async function requestPlaybookPlan(
  deps: { prisma: CampaignDb; now(): Date },
  enqueue: (payload: PlaybookJobPayload) => Promise<unknown>,
  shop: string,
  input: { playbook: string; year: number },
): Promise<string[]> {
  const requestedAt = deps.now().toISOString();
  const drafts = (await listCampaigns(deps.prisma, shop, input)).filter(
    (c) => c.status === "draft" && c.definition?.draft.enabled === true,
  );
  await deps.prisma.$executeRawUnsafe(
    `UPDATE "Campaign" SET "planRequestedAt" = ${utc("$3")}, "planError" = NULL
     WHERE shop = $1 AND id ${anyOfJson("$2")}`,
    shop,
    JSON.stringify(drafts.map((c) => c.id)),
    requestedAt,
  );
  await enqueue({ shop, ...input, requestedAt });
  return drafts.map((c) => c.key);
}
