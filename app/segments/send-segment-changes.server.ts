import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { AdminApiError, callAdmin } from "../admin-api/graphql-client.server";
import type { AdminGraphql } from "../sync/store-overview.server";
import { SEGMENT_CHANGED_MUTATION, segmentChangedTrigger } from "./flow-trigger";

// Segment transitions to Shopify Flow, so merchants build their own workflows on our segments.
// Only recent ones: a transition older than a day (a backfill's history, a long outage) would start
// a workflow about a change that is no longer news. At least once: a worker stopped between the
// call and the mark sends that transition again.

const RECENT_MS = 24 * 60 * 60_000;
const PAGE = 100;
/** A page is sent well within this; a job that died with it leaves it to the next after that. */
const CLAIM_MS = 2 * 60_000;

const ClaimedRow = z.object({
  id: z.string(),
  customerId: z.coerce.bigint(),
  fromSegment: z.string().nullable(),
  toSegment: z.string(),
  at: z.coerce.date(),
});

interface TriggerRow {
  userErrors: Array<{ field?: string[] | null; message: string }>;
}

export interface SendSegmentChangesDeps {
  prisma: Pick<PrismaClient, "segmentTransition" | "$queryRaw">;
  admin: AdminGraphql;
  now: () => Date;
  log: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export async function sendSegmentChanges(
  deps: SendSegmentChangesDeps,
  shop: string,
): Promise<{ sent: number; refused: number }> {
  const since = new Date(deps.now().getTime() - RECENT_MS);
  let sent = 0;
  let refused = 0;
  for (;;) {
    const page = await claimPage(deps, shop, since);
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
        deps.log(
          `flow trigger refused for a transition of ${shop}: ${errors.map((e) => e.message).join("; ")}`,
        );
      } else sent += 1;
      await deps.prisma.segmentTransition.update({
        where: { id: t.id },
        data: { flowTriggeredAt: deps.now() },
      });
    }
  }
  if (sent + refused > 0)
    deps.log(`segment changes of ${shop} sent to Shopify Flow: ${sent} sent, ${refused} refused`);
  return { sent, refused };
}

/**
 * The oldest unsent transitions no other job holds, held for CLAIM_MS: jobs of one shop run side by
 * side at a peak (one per 10 s of changes), and each would otherwise send the same page.
 */
async function claimPage(deps: SendSegmentChangesDeps, shop: string, since: Date) {
  const now = deps.now();
  const until = new Date(now.getTime() + CLAIM_MS);
  const rows = await deps.prisma.$queryRaw<unknown[]>`
    UPDATE "SegmentTransition" t SET "flowClaimedUntil" = ${until.toISOString()}::timestamptz AT TIME ZONE 'UTC'
    WHERE t.id IN (
      SELECT id FROM "SegmentTransition"
      WHERE shop = ${shop} AND "flowTriggeredAt" IS NULL AND at >= ${since.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        AND ("flowClaimedUntil" IS NULL OR "flowClaimedUntil" < ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY at, id LIMIT ${PAGE} FOR UPDATE SKIP LOCKED)
    RETURNING t.id, t."customerId"::text AS "customerId", t."fromSegment", t."toSegment", t.at`;
  return z
    .array(ClaimedRow)
    .parse(rows)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
}
