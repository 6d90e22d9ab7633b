import { prisma } from "../../db.server";
import { getEnv } from "../../env.server";
import { logger } from "../../logger.server";
import { getSecretBox } from "../../secrets.server";
import { channelNetworkPolicy } from "../../messaging/channels/network-policy.server";
import { twilioInboundUrl } from "../../messaging/delivery-events/twilio-inbound";
import { listChannels } from "../../messaging/channel-config/channel-config.server";
import { channelSettingsAction } from "./settings-action.server";
import type { ChannelPostResult, ChannelsPageData } from "./types";

// What Settings → Channels reads and posts, for its page (/app/settings/channels, also loaded by
// the Settings page's section) and its JSON twin for scripts: the channels with secrets shown as
// "set" / "not set"; save, test, local sinks.

export async function loadChannels(shop: string): Promise<ChannelsPageData> {
  return {
    channels: await listChannels({ prisma, box: getSecretBox(), network: channelNetworkPolicy() }, shop),
    localSinks: Boolean(getEnv().SHOPIFY_EMULATOR_URL),
    // for the SMS card's help: where the Twilio number sends the texts customers reply with
    smsInboundUrl: twilioInboundUrl(getEnv().SHOPIFY_APP_URL, shop),
  };
}

/** The form's post; a request that names no known intent or channel is a 400 with the reason. */
export async function postChannels(
  shop: string,
  form: FormData,
): Promise<ChannelPostResult> {
  const result = await channelSettingsAction({ prisma, box: getSecretBox(), network: channelNetworkPolicy() }, shop, form, {
    emulatorUrl: getEnv().SHOPIFY_EMULATOR_URL,
    log: (message, fields) => logger.info(message, fields),
  });
  if (result.intent === "invalid") throw Response.json(result, { status: 400 });
  return result;
}
