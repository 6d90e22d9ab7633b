import type { PrismaClient } from "@prisma/client";
import type { JobQueue } from "../jobs/index.server";
import { startBackfillJob } from "./jobs";

/** Settings → Re-sync: a new backfill, unless one is running (then that one continues). */
export async function requestResync(queue: JobQueue, shop: string): Promise<void> {
  await queue.enqueue(startBackfillJob, { shop }, { shop, rerun: true });
}

/** After auth: a first install, a reinstall, or a shop that never finished a sync loads its data. */
export async function syncIfNeeded(prisma: PrismaClient, queue: JobQueue, shop: string): Promise<boolean> {
  const installation = await prisma.shop.findUnique({ where: { domain: shop }, select: { installedAt: true } });
  const syncedSinceInstall = await prisma.syncRun.count({
    where: {
      shop,
      kind: "backfill",
      status: { in: ["running", "completed"] },
      startedAt: { gte: installation?.installedAt ?? new Date(0) },
    },
  });
  if (syncedSinceInstall > 0) return false;
  await requestResync(queue, shop);
  return true;
}
