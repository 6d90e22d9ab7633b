import { campaignMessagingHooks } from "./campaigns/messaging-hooks.server";
import { prisma } from "./db.server";
import { getEnv } from "./env.server";
import { getJobQueue } from "./jobs/index.server";
import { logger } from "./logger.server";
import type { DeliveryEventDeps } from "./messaging/delivery-events/record.server";
import type { MessageSource } from "./messaging/dispatch/source";
import { getSecretBox } from "./secrets.server";

// The messaging stage wired to the running app: what queues messages (campaigns) and what
// delivery reports need from the stages above it. Messaging itself never imports those stages.

let hooks: ReturnType<typeof campaignMessagingHooks> | undefined;

// One per process: the source caches each campaign's content.
const campaignHooks = () =>
  (hooks ??= campaignMessagingHooks({ prisma, now: () => new Date(), log: (line) => logger.warn(line) }));

/** The app's source of messages for the dispatcher and delivery reports. */
export function messageSource(): MessageSource {
  return campaignHooks().source;
}

/** The delivery-report routes' deps from the app's environment. */
export function deliveryEventDeps(): DeliveryEventDeps {
  return {
    prisma,
    box: getSecretBox(),
    appUrl: getEnv().SHOPIFY_APP_URL,
    queue: getJobQueue(),
    ...campaignHooks(),
    log: (level, message, fields) => logger[level](message, fields),
  };
}
