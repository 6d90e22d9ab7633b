import type { PrismaClient } from "@prisma/client";
import { isSyncPhase, isSyncStatus, type SyncRunView } from "./sync-progress";

/** The shop's most recent backfill, as the UI shows it; rows are validated again when read. */
export async function latestBackfill(prisma: PrismaClient, shop: string): Promise<SyncRunView | null> {
  const run = await prisma.syncRun.findFirst({
    where: { shop, kind: "backfill" },
    orderBy: { startedAt: "desc" },
  });
  if (!run) return null;
  if (!isSyncStatus(run.status) || !isSyncPhase(run.phase)) {
    throw new Error(`SyncRun ${run.id}: unknown status "${run.status}" or phase "${run.phase}"`);
  }
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    phase: run.phase,
    customersRead: run.customersRead,
    customersTotal: run.customersTotal,
    ordersRead: run.ordersRead,
    ordersTotal: run.ordersTotal,
    linesSkipped: run.linesSkipped,
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** What the app holds for the shop: the figures the dashboard compares with Shopify's. */
export async function storedCounts(prisma: PrismaClient, shop: string) {
  const [customers, orders, countedOrders, buyers, spend] = await Promise.all([
    prisma.customer.count({ where: { shop } }),
    prisma.order.count({ where: { shop } }),
    prisma.order.count({ where: { shop, test: false, cancelledAt: null, customerId: { not: null } } }),
    prisma.customer.count({ where: { shop, orderCount: { gt: 0 } } }),
    prisma.customer.aggregate({ where: { shop }, _sum: { spendMinor: true } }),
  ]);
  // Minor units as a decimal string: JSON has no bigint.
  const revenueMinor = (spend._sum.spendMinor ?? 0n).toString();
  return { customers, orders, countedOrders, buyers, revenueMinor };
}

/** Webhook deliveries by state: "received" ones are queued, "failed" ones need a look. */
export async function webhookCounts(prisma: PrismaClient, shop: string) {
  const groups = await prisma.webhookDelivery.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
  return { received: count("received"), processed: count("processed"), failed: count("failed") };
}

/**
 * Customers per segment and when the shop was last fully scored (null before the first scoring).
 * Customers not scored yet count as prospects, as the Segments page shows them.
 */
export async function segmentCounts(prisma: PrismaClient, shop: string) {
  const [groups, customers, scoring] = await Promise.all([
    prisma.customerScore.groupBy({ by: ["segment"], where: { shop }, _count: { _all: true } }),
    prisma.customer.count({ where: { shop } }),
    prisma.shopScoring.findUnique({ where: { shop } }),
  ]);
  const counts: Record<string, number> = Object.fromEntries(groups.map((g) => [g.segment, g._count._all]));
  const unscored = customers - groups.reduce((n, g) => n + g._count._all, 0);
  if (unscored > 0) counts.prospect = (counts.prospect ?? 0) + unscored;
  return { scoredAt: scoring?.scoredAt.toISOString() ?? null, counts };
}
