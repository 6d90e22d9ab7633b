import { prisma } from "../../db.server";
import { logger } from "../../logger.server";
import { getSecretBox } from "../../secrets.server";
import { channelReadiness } from "../channel-config/channel-config.server";
import type { CampaignDeps } from "../campaigns/deps";
import { currentDispatcher } from "../dispatch/worker.server";

// What the Campaigns pages hand the campaigns stage: the app's database, the clock, the log.

export function campaignDeps(): CampaignDeps {
  return { prisma, now: () => new Date(), log: (line) => logger.info(line) };
}

export const shopReadiness = (shop: string) => channelReadiness(prisma, shop, getSecretBox());

/** Starts a campaign's lanes at once after schedule/resume; the sweep would within seconds anyway. */
export async function kickDispatch(shop: string, campaignId: string): Promise<void> {
  try {
    await currentDispatcher()?.kick(shop, campaignId);
  } catch (error) {
    logger.warn("dispatch kick failed", { campaignId, error: error instanceof Error ? error.message : String(error) });
  }
}
