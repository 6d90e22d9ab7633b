import type { z } from "zod";
import { PermanentJobError } from "../../jobs/index.server";
import { channelReadiness, type ChannelConfigDb } from "../channel-config/channel-config.server";
import { isCampaignError } from "./campaign-error";
import type { CampaignDb, CampaignDeps } from "./deps";
import type { planCampaignJob } from "./jobs";
import { planCampaign } from "./plan-campaign.server";
import { sendCampaignNow } from "./send-campaign-now.server";

// The handler of campaigns.plan (registered in app/worker.server.ts). A CampaignError (superseded,
// not a draft any more, channel not ready, …) is an answer, not a failure: it is not retried.

type Payload = z.infer<typeof planCampaignJob.payload>;

export type PlanJobDeps = CampaignDeps & { prisma: CampaignDb & ChannelConfigDb };

export async function runPlanCampaignJob(deps: PlanJobDeps, payload: Payload): Promise<void> {
  try {
    if (payload.sendNow) {
      const readiness = await channelReadiness(deps.prisma, payload.shop);
      await sendCampaignNow(deps, payload.shop, payload.campaignId, { readiness });
    } else {
      await planCampaign(deps, payload.shop, payload.campaignId);
    }
  } catch (error) {
    if (isCampaignError(error)) throw new PermanentJobError(`${error.code}: ${error.message}`);
    throw error;
  }
}
