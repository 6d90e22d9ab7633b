import { PermanentJobError } from "../../jobs/index.server";
import { channelReadiness, type ChannelConfigDb } from "../../messaging/channel-config/channel-config.server";
import { isCampaignError } from "../lifecycle/campaign-error";
import type { CampaignDb, CampaignDeps } from "../lifecycle/deps";
import { planCampaign } from "./plan-campaign.server";
import { planPlaybookCampaigns } from "./plan-playbook.server";
import { listCampaigns } from "../lifecycle/read-campaign.server";
import {
  finishRequest,
  isCurrentRequest,
  type PlanJobPayload,
  type PlaybookJobPayload,
} from "./request-plan.server";
import { sendCampaignNow } from "../lifecycle/send-campaign-now.server";

// The handler of campaigns.plan (registered in app/worker.server.ts), for the plans a page asked
// for in the background (request-plan.server.ts). A CampaignError (not a draft any more, channel
// not ready, …) is an answer, not a failure: it is shown on the campaign and not retried; any other
// error is retried, and shown once the last attempt failed.

export type PlanJobDeps = CampaignDeps & { prisma: CampaignDb & ChannelConfigDb };

export async function runPlanCampaignJob(
  deps: PlanJobDeps,
  payload: PlanJobPayload,
  ctx: { attempt: number; maxAttempts: number },
): Promise<void> {
  // A newer request replaced this one (or it already finished): nothing to do.
  if (!(await isCurrentRequest(deps.prisma, payload))) return;
  try {
    if (payload.sendNow) {
      const readiness = await channelReadiness(deps.prisma, payload.shop);
      await sendCampaignNow(deps, payload.shop, payload.campaignId, { readiness });
    } else {
      await planCampaign(deps, payload.shop, payload.campaignId);
    }
  } catch (error) {
    if (isCampaignError(error)) {
      await finishRequest(deps.prisma, payload, error.message);
      throw new PermanentJobError(`${error.code}: ${error.message}`);
    }
    if (ctx.attempt >= ctx.maxAttempts) {
      await finishRequest(
        deps.prisma,
        payload,
        "Planning failed. Try again; if it keeps failing, contact support.",
      );
    }
    throw error;
  }
  await finishRequest(deps.prisma, payload, null);
}

/**
 * campaigns.plan-playbook: the playbook's enabled drafts in order, each campaign's "planning" ended
 * as it is done; a refusal ends the ones left with its message.
 */
export async function runPlanPlaybookJob(
  deps: PlanJobDeps,
  payload: PlaybookJobPayload,
  ctx: { attempt: number; maxAttempts: number },
): Promise<void> {
  const finish = (campaignId: string, error: string | null) =>
    finishRequest(deps.prisma, { shop: payload.shop, campaignId, requestedAt: payload.requestedAt }, error);
  const pending = async () =>
    (await listCampaigns(deps.prisma, payload.shop, payload)).filter(
      (c) => c.planRequestedAt?.getTime() === new Date(payload.requestedAt).getTime(),
    );
  // Each campaign stops showing "planning" as soon as its own plan is stored.
  const finished: Array<Promise<void>> = [];
  try {
    await planPlaybookCampaigns(deps, payload.shop, payload, {
      onPlanned: (planned) => finished.push(finish(planned.campaignId, null)),
    });
    await Promise.all(finished);
  } catch (error) {
    await Promise.allSettled(finished);
    const refused = isCampaignError(error);
    if (refused || ctx.attempt >= ctx.maxAttempts) {
      const message = refused
        ? error.message
        : "Planning failed. Try again; if it keeps failing, contact support.";
      for (const c of await pending()) await finish(c.id, message);
    }
    if (refused) throw new PermanentJobError(`${error.code}: ${error.message}`);
    throw error;
  }
  // Drafts that were switched off or changed status meanwhile are not planned: not planning either.
  for (const c of await pending()) await finish(c.id, null);
}
