import { campaignMessagingHooks } from "./campaigns/messaging-hooks.server";
import { getCampaignSettings } from "./campaigns/settings/campaign-settings.server";
import { prisma } from "./db.server";
import { getEnv } from "./env.server";
import { flowSource } from "./flows/flow-source.server";
import { getJobQueue } from "./jobs/index.server";
import { logger } from "./logger.server";
import type { DeliveryEventDeps } from "./messaging/delivery-events/record.server";
import type { MessageSource } from "./messaging/dispatch/source";
import { routeSources } from "./messaging/dispatch/sources";
import type { AudienceSettings } from "./messaging/rules/settings";
import { getSecretBox } from "./secrets.server";

// The messaging stage wired to the running app: what queues messages (campaigns and flows) and
// what delivery reports need from the stages above it. Messaging itself never imports them.

let wired: { source: MessageSource; smsCapHours: DeliveryEventDeps["smsCapHours"] } | undefined;

/** The shop's shared send rules (SMS hours, caps), stored with its campaign settings. */
export const shopAudience = async (shop: string): Promise<AudienceSettings> =>
  (await getCampaignSettings(prisma, shop, (line) => logger.warn(line))).audience;

// One per process: the sources cache each campaign's and flow's content.
function wiring() {
  if (wired) return wired;
  const log = (line: string) => logger.warn(line);
  const campaigns = campaignMessagingHooks({ prisma, now: () => new Date(), log });
  const flows = flowSource({ prisma, now: () => new Date(), audienceFor: shopAudience, log });
  wired = { source: routeSources({ campaigns: campaigns.source, flows }), smsCapHours: campaigns.smsCapHours };
  return wired;
}

/** The app's source of messages for the dispatcher and delivery reports. */
export function messageSource(): MessageSource {
  return wiring().source;
}

/** The delivery-report routes' deps from the app's environment. */
export function deliveryEventDeps(): DeliveryEventDeps {
  return {
    prisma,
    box: getSecretBox(),
    appUrl: getEnv().SHOPIFY_APP_URL,
    queue: getJobQueue(),
    ...wiring(),
    log: (level, message, fields) => logger[level](message, fields),
  };
}
