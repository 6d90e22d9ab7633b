import { prisma } from "../../db.server";
import { logger } from "../../logger.server";
import { getSecretBox } from "../../secrets.server";
import { channelReadiness } from "../channel-config/channel-config.server";
import { channelNetworkPolicy } from "../channels/network-policy.server";
import type { CampaignDeps } from "../campaigns/deps";
import { currentDispatcher } from "../dispatch/worker.server";
import type { TestSendDeps } from "../test-send/send-test.server";
import { TestSendLimit } from "../test-send/test-send-limit";

// What the Campaigns pages hand the campaigns stage: the app's database, the clock, the log.

export function campaignDeps(): CampaignDeps {
  return { prisma, now: () => new Date(), log: (line) => logger.info(line) };
}

export const shopReadiness = (shop: string) => channelReadiness(prisma, shop, getSecretBox());

// One per process: every request of a shop counts against the same hour.
const testSendLimit = new TestSendLimit();

/** What "Send test" sends with: the sealed settings' box and the process's hourly limit. */
export function testSendDeps(): Omit<TestSendDeps, "prisma"> {
  return { box: getSecretBox(), network: channelNetworkPolicy(), limit: testSendLimit, now: () => new Date() };
}

/** Starts a campaign's lanes at once after schedule/resume; the sweep would within seconds anyway. */
export async function kickDispatch(shop: string, campaignId: string): Promise<void> {
  try {
    await currentDispatcher()?.kick(shop, campaignId);
  } catch (error) {
    logger.warn("dispatch kick failed", { campaignId, error: error instanceof Error ? error.message : String(error) });
  }
}
