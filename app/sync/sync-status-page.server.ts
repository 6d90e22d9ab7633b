import type { PrismaClient } from "@prisma/client";
import { SEGMENT_TREATMENT, SEGMENTS } from "../segments/rules";
import { formatOptionalDateTime, timesNote } from "../ui/format-time";
import { shopTimeZone } from "./shop-time-zone.server";
import { showSyncRun } from "./sync-progress";
import { latestBackfill, segmentCounts, storedCounts, webhookCounts } from "./sync-status.server";

// The shop's sync at a glance: the latest backfill, what the app holds, Shopify's updates and the
// segments. Scripts read it as JSON (/app/sync-status.json); the Sync status page shows it.

export async function loadSyncStatus(prisma: PrismaClient, shop: string) {
  const [backfill, counts, webhooks, segments] = await Promise.all([
    latestBackfill(prisma, shop),
    storedCounts(prisma, shop),
    webhookCounts(prisma, shop),
    segmentCounts(prisma, shop),
  ]);
  return { shop, backfill, counts, webhooks, segments };
}

export async function loadSyncStatusPage(prisma: PrismaClient, shop: string) {
  const [status, zone] = await Promise.all([loadSyncStatus(prisma, shop), shopTimeZone(prisma, shop)]);
  return {
    timesNote: timesNote(zone),
    backfill: showSyncRun(status.backfill, zone),
    counts: status.counts,
    webhooks: status.webhooks,
    scoredAt: formatOptionalDateTime(status.segments.scoredAt, zone),
    segments: SEGMENTS.map((segment) => ({
      segment,
      label: SEGMENT_TREATMENT[segment].label,
      customers: status.segments.counts[segment] ?? 0,
    })),
  };
}
