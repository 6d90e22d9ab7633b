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
import { channelReadiness } from "./messaging/channel-config/channel-config.server";
import { channelNetworkPolicy } from "./messaging/channels/network-policy.server";
import type { TestSendDeps } from "./messaging/test-send/send-test.server";
import { TestSendLimit } from "./messaging/test-send/test-send-limit";
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

/** Whether each of the shop's channels is set up and has passed its connection test. */
export const shopReadiness = (shop: string) => channelReadiness(prisma, shop, getSecretBox());

// One per process: every test send of a shop (campaigns and flows) counts against the same hour.
const testSendLimit = new TestSendLimit();

/** What "Send test" sends with: the sealed settings' box and the process's hourly limit. */
export function testSendDeps(): Omit<TestSendDeps, "prisma"> {
  return { box: getSecretBox(), network: channelNetworkPolicy(), limit: testSendLimit, now: () => new Date() };
}
