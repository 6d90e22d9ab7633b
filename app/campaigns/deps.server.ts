import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import { getJobQueue } from "../jobs/index.server";
import { logger } from "../logger.server";
import { getSecretBox } from "../secrets.server";
import { channelReadiness } from "../messaging/channel-config/channel-config.server";
import { channelNetworkPolicy } from "../messaging/channels/network-policy.server";
import type { CampaignDeps } from "./lifecycle/deps";
import { planCampaignJob, planPlaybookJob } from "./plan/jobs";
import type { PlanJobDeps } from "./plan/plan-job.server";
import { currentDispatcher } from "../messaging/dispatch/worker.server";
import type { CampaignTestDeps } from "./lifecycle/send-campaign-test.server";
import { TestSendLimit } from "../messaging/test-send/test-send-limit";
import type { CampaignActionEnv } from "../ui/campaigns/campaign-action.server";
import type { BackgroundPlaybook } from "../ui/campaigns/campaigns-page.server";

// The campaigns stage wired to the running app, in one place: the Campaigns pages, their JSON twin,
// the Settings page and the job worker take their database, clock, log, job queue and the size from
// which plans run in the background (CAMPAIGN_BACKGROUND_PLAN_FROM) from here, so a page and its
// twin cannot drift apart. (The plan CLI reads files, not the app's database: its clock is --as-of.)

/** What the campaigns.plan and campaigns.plan-playbook jobs run with (the app's database, clock and log). */
export function planJobDeps(): PlanJobDeps {
  return { prisma, now: () => new Date(), log: (line) => logger.info(line) };
}

export function campaignDeps(): CampaignDeps {
  return planJobDeps();
}

export const shopReadiness = (shop: string) => channelReadiness(prisma, shop, getSecretBox());

// One per process: every request of a shop counts against the same hour.
const testSendLimit = new TestSendLimit();

/** What "Send test" sends with: the sealed settings' box and the process's hourly limit. */
export function testSendDeps(): Omit<CampaignTestDeps, "prisma"> {
  return { box: getSecretBox(), network: channelNetworkPolicy(), limit: testSendLimit, now: () => new Date() };
}

/** A campaign's actions (the campaign page and the JSON twin): large audiences are planned by the job. */
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
