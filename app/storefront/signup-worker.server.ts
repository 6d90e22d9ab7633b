import { prisma } from "../db.server";
import type { JobQueue } from "../jobs/queue";
import { logger } from "../logger.server";
import { channelNetworkPolicy } from "../messaging/channels/network-policy.server";
import { getConfirmationSecret, getSecretBox } from "../secrets.server";
import { unauthenticated } from "../shopify.server";
import { sendSignupConfirmationJob } from "./jobs";
import { storefrontRoot } from "./proxy.server";
import { sendSignupConfirmation } from "./signup/send-confirmation.server";

// The storefront signup's job in the worker: the double opt-in emails.

export function registerSignupJobs(queue: JobQueue): void {
  queue.register(sendSignupConfirmationJob, async (job) => {
    await sendSignupConfirmation(
      {
        prisma,
        admin: async (shop) => (await unauthenticated.admin(shop)).admin,
        box: getSecretBox(),
        network: channelNetworkPolicy(),
        secret: getConfirmationSecret(),
        storefrontRoot,
        log: (line) => logger.info(line),
      },
      job,
    );
  });
}
