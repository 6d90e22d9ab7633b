import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import { logger } from "../logger.server";
import { getSecretBox } from "../secrets.server";
import { listChannels } from "../campaigns/channel-config/channel-config.server";
import { channelNetworkPolicy } from "../campaigns/channels/network-policy.server";
import { channelSettingsAction } from "../campaigns/channel-config/settings-action.server";
import { twilioInboundUrl } from "../campaigns/delivery-events/twilio-inbound";

// Data for the Channels section of Settings (app/components/channels), loaded and posted by
// its fetchers: the channels with secrets shown as "set" / "not set"; save, test, local sinks.

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return {
    channels: await listChannels({ prisma, box: getSecretBox(), network: channelNetworkPolicy() }, session.shop),
    localSinks: Boolean(getEnv().SHOPIFY_EMULATOR_URL),
    // for the SMS card's help: where the Twilio number sends the texts customers reply with
    smsInboundUrl: twilioInboundUrl(getEnv().SHOPIFY_APP_URL, session.shop),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await channelSettingsAction(
    { prisma, box: getSecretBox(), network: channelNetworkPolicy() },
    session.shop,
    await request.formData(),
    {
      emulatorUrl: getEnv().SHOPIFY_EMULATOR_URL,
      log: (message, fields) => logger.info(message, fields),
    },
  );
  if (result.intent === "invalid") throw Response.json(result, { status: 400 });
  return result;
};
