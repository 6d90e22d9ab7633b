import { campaignMessagingHooks } from "./campaigns/messaging-hooks.server";
import { deliveryPromiseOn } from "./campaigns/calendar/shipping";
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
import { formatLocalIso } from "./messaging/rules/time-zone";
import type { TemplateDelivery } from "./messaging/templates/variables";
import { shopTimeZone } from "./sync/shop-time-zone.server";
import { getSecretBox } from "./secrets.server";

// The messaging stage wired to the running app: what queues messages (campaigns and flows) and
// what delivery reports need from the stages above it. Messaging itself never imports them.

let wired: { source: MessageSource; smsCapHours: DeliveryEventDeps["smsCapHours"] } | undefined;

/** The shop's shared send rules (SMS hours, caps), stored with its campaign settings. */
export const shopAudience = async (shop: string): Promise<AudienceSettings> =>
  (await getCampaignSettings(prisma, shop, (line) => logger.warn(line))).audience;

/** The Christmas delivery promise a message sent now can make, from the shop's cut-offs and its date. */
export async function shopDeliveryPromise(shop: string, now: Date): Promise<TemplateDelivery | null> {
  const [settings, zone] = await Promise.all([
    getCampaignSettings(prisma, shop, (line) => logger.warn(line)),
    shopTimeZone(prisma, shop),
  ]);
  return deliveryPromiseOn(settings.shipping, formatLocalIso(now.getTime(), zone).slice(0, 10));
}

// One per process: the sources cache each campaign's and flow's content.
function wiring() {
  if (wired) return wired;
  const log = (line: string) => logger.warn(line);
  const campaigns = campaignMessagingHooks({ prisma, now: () => new Date(), log });
  const flows = flowSource({ prisma, now: () => new Date(), audienceFor: shopAudience, deliveryFor: shopDeliveryPromise, log });
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
