import type { PrismaClient } from "@prisma/client";
import type { DeliveryEventDeps } from "../messaging/delivery-events/record.server";
import type { MessageSource } from "../messaging/dispatch/source";
import { campaignSource } from "./lifecycle/campaign-source.server";
import { getCampaignSettings } from "./settings/campaign-settings.server";

// What the messaging stage asks of campaigns, in one place: campaigns as the source of messages,
// and the shop's SMS cap for the HELP reply. The app (app/messaging.server.ts) and tests wire the
// same hooks.

export function campaignMessagingHooks(deps: {
  prisma: PrismaClient;
  now: () => Date;
  log: (line: string) => void;
}): { source: MessageSource } & Pick<DeliveryEventDeps, "smsCapHours"> {
  return {
    source: campaignSource(deps),
    smsCapHours: async (shop) => (await getCampaignSettings(deps.prisma, shop, deps.log)).audience.caps.sms,
  };
}
