import { prisma } from "../db.server";
import { PermanentJobError, type JobQueue } from "../jobs/queue";
import { logLine } from "../logger.server";
import { unauthenticated } from "../shopify.server";
import { writeStorefrontDeadlinesJob } from "./deadlines-job";
import { StorefrontMetafieldError, writeStorefrontDeadlines } from "./storefront-metafields.server";

// The storefront deadlines' job in the worker (app/worker.server.ts).

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function registerStorefrontDeadlinesJob(queue: JobQueue): void {
  queue.register(writeStorefrontDeadlinesJob, async ({ shop }) => {
    const { admin } = await unauthenticated.admin(shop);
    try {
      await writeStorefrontDeadlines({ prisma, admin, now: () => new Date(), log: logLine, sleep }, shop);
    } catch (error) {
      // userErrors come back for the same value on every retry; the next trigger writes it afresh.
      if (error instanceof StorefrontMetafieldError) throw new PermanentJobError(error.message);
      throw error;
    }
  });
}
