import { prisma } from "../../db.server";
import { getEnv } from "../../env.server";
import { getJobQueue } from "../../jobs/index.server";
import { logger } from "../../logger.server";
import { getSecretBox } from "../../secrets.server";
import type { DeliveryEventDeps } from "./record.server";

/** The delivery-report routes' deps from the app's environment. */
export function deliveryEventDeps(): DeliveryEventDeps {
  return {
    prisma,
    box: getSecretBox(),
    appUrl: getEnv().SHOPIFY_APP_URL,
    queue: getJobQueue(),
    log: (level, message, fields) => logger[level](message, fields),
  };
}
