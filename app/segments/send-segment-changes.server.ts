import type { PrismaClient } from "@prisma/client";
import { AdminApiError, callAdmin } from "../admin-api/graphql-client.server";
import type { AdminGraphql } from "../sync/store-overview.server";
import { SEGMENT_CHANGED_MUTATION, segmentChangedTrigger } from "./flow-trigger";

// Segment transitions to Shopify Flow, so merchants build their own workflows on our segments.
// Only recent ones: a transition older than a day (a backfill's history, a long outage) would start
// a workflow about a change that is no longer news. At least once: a worker stopped between the
// call and the mark sends that transition again.

const RECENT_MS = 24 * 60 * 60_000;
const PAGE = 100;

interface TriggerRow {
  userErrors: Array<{ field?: string[] | null; message: string }>;
}

export interface SendSegmentChangesDeps {
  prisma: Pick<PrismaClient, "segmentTransition">;
  admin: AdminGraphql;
  now: () => Date;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export async function sendSegmentChanges(deps: SendSegmentChangesDeps, shop: string): Promise<{ sent: number; refused: number }> {
  const since = new Date(deps.now().getTime() - RECENT_MS);
  let sent = 0;
  let refused = 0;
  for (;;) {
    const page = await deps.prisma.segmentTransition.findMany({
      where: { shop, flowTriggeredAt: null, at: { gte: since } },
      orderBy: { at: "asc" },
      take: PAGE,
    });
    if (page.length === 0) break;
    for (const t of page) {
      let errors: TriggerRow["userErrors"] = [];
      try {
        const data = await callAdmin<{ flowTriggerReceive: TriggerRow | null }>(
          deps.admin,
          SEGMENT_CHANGED_MUTATION,
          { ...segmentChangedTrigger(t) },
          { log: deps.log, sleep: deps.sleep },
        );
        errors = data.flowTriggerReceive?.userErrors ?? [];
      } catch (error) {
        // A refusal of this one (not a network failure or an outage, which the job retries) is logged and passed.
        if (!(error instanceof AdminApiError) || error.userErrors.length === 0) throw error;
        errors = error.userErrors;
      }
      if (errors.length > 0) {
        refused += 1;
        deps.log(`flow trigger refused for a transition of ${shop}: ${errors.map((e) => e.message).join("; ")}`);
      } else sent += 1;
      await deps.prisma.segmentTransition.update({ where: { id: t.id }, data: { flowTriggeredAt: deps.now() } });
    }
  }
  if (sent + refused > 0) deps.log(`segment changes of ${shop} sent to Shopify Flow: ${sent} sent, ${refused} refused`);
  return { sent, refused };
}
