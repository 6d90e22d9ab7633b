import type { PrismaClient } from "@prisma/client";
import { CHANNEL_TITLES } from "../../messaging/channel-config/channels";
import type { ChannelReadiness } from "../../messaging/channel-config/types";
import {
  refuse,
  sendTestMessage,
  type TestSendDeps,
  type TestSendRefused,
  type TestSendResult,
} from "../../messaging/test-send/send-test.server";
import { TEST_UNSUBSCRIBE_URL } from "../../messaging/test-send/test-message";
import { shopInfo } from "../../messaging/templates/shop-info.server";
import { sampleCampaignVariables, templateFor } from "./campaign-templates";
import { getCampaign, requireDefinition } from "./read-campaign.server";

// "Send test" on the campaign page: the campaign's saved message for one send, rendered with the
// segment's sample customer, sent by the messaging stage's test send.

export interface CampaignTestRequest {
  campaignId: string;
  channel: unknown;
  sendKey: unknown;
  to: unknown;
}

export type CampaignTestResult =
  (Extract<TestSendResult, { ok: true }> & { sendKey: string }) | TestSendRefused;

export type CampaignTestDeps = TestSendDeps & {
  prisma: Pick<PrismaClient, "campaign" | "shop" | "channelConfig">;
};

/**
 * Sends one test message of a campaign, or says why not. A campaign of another shop is CampaignError
 * NOT_FOUND and a stored definition that does not validate INVALID_DEFINITION (thrown, as the page's
 * other actions).
 */
export async function sendCampaignTest(
  deps: CampaignTestDeps,
  shop: string,
  readiness: Readonly<Record<string, ChannelReadiness | undefined>>,
  request: CampaignTestRequest,
): Promise<CampaignTestResult> {
  const channel = request.channel === "email" || request.channel === "sms" ? request.channel : null;
  if (!channel) return refuse("INVALID_REQUEST", "A test is sent by email or SMS");
  const { draft } = requireDefinition(await getCampaign(deps.prisma, shop, request.campaignId));
  if (!draft.channels.includes(channel))
    return refuse("INVALID_REQUEST", `This campaign does not send by ${CHANNEL_TITLES[channel]}`);
  const send = draft.sends.find((s) => s.key === request.sendKey);
  if (!send)
    return refuse(
      "INVALID_REQUEST",
      `Pick one of the campaign's sends: ${draft.sends.map((s) => s.key).join(", ")}`,
    );
  const result = await sendTestMessage(deps, shop, readiness, {
    channel,
    to: request.to,
    template: templateFor(draft, send.key, channel, draft.segment),
    // may throw when the shop's data does not fit the variables: the test send says so
    variables: sampleCampaignVariables(draft, await shopInfo(deps.prisma, shop), TEST_UNSUBSCRIBE_URL),
    sourceId: request.campaignId,
  });
  return result.ok ? { ...result, sendKey: send.key } : result;
}
