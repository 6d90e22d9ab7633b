import { campaignDeps } from "../../campaigns/deps.server";
import { planCampaignJob, planPlaybookJob } from "../../campaigns/plan/jobs";
import { prisma } from "../../db.server";
import { getEnv } from "../../env.server";
import { getJobQueue } from "../../jobs/index.server";
import { logger } from "../../logger.server";
import { shopReadiness, testSendDeps } from "../../messaging.server";
import { currentDispatcher } from "../../messaging/dispatch/worker.server";
import type { CampaignActionEnv } from "./campaign-action.server";
import type { BackgroundPlaybook } from "./campaigns-page.server";

// What the Campaigns pages and their JSON twin act with, in one place so a page and its twin
// cannot drift apart: large audiences are planned by the job (CAMPAIGN_BACKGROUND_PLAN_FROM).

/** A campaign's actions (the campaign page and the JSON twin). */
export function campaignActionEnv(shop: string): CampaignActionEnv {
  return {
    deps: campaignDeps(),
    prisma,
    readiness: () => shopReadiness(shop),
    testSend: testSendDeps(),
    enqueuePlan: (payload) => getJobQueue().enqueue(planCampaignJob, payload, { shop }),
    backgroundFrom: getEnv().CAMPAIGN_BACKGROUND_PLAN_FROM,
  };
}

/** The playbook wizard (the Campaigns page and the JSON twin): a large shop's playbook is planned by the job. */
export function playbookBackground(shop: string): BackgroundPlaybook {
  return {
    prisma,
    enqueue: (payload) => getJobQueue().enqueue(planPlaybookJob, payload, { shop }),
    from: getEnv().CAMPAIGN_BACKGROUND_PLAN_FROM,
  };
}

/** Starts a campaign's lanes at once after schedule/resume; the sweep would within seconds anyway. */
export async function kickDispatch(shop: string, campaignId: string): Promise<void> {
  try {
    await currentDispatcher()?.kick(shop, campaignId);
  } catch (error) {
    logger.warn("dispatch kick failed", { campaignId, error: error instanceof Error ? error.message : String(error) });
  }
}
