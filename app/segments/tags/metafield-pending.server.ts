import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { utcTimestamp } from "../../db/sql";
import { BACKFILL_KIND } from "../../sync/backfill/run-backfill.server";
import type { SegmentMetafield } from "./metafield-plan";

// Whose segment metafield may be stale, without a column recording what Shopify holds: the
// customers whose segment moved since `since` (a SegmentTransition) and those whose row was written
// since (a new customer's first scoring records no transition; a backfill writes every row). The
// set is generous — a customer sent again is rewritten with the same value — and never misses a
// change made after `since`.

/** How far back a rescore's run looks: two nights, so a run that failed is made good by the next. */
export const RESCORE_LOOKBACK_MS = 48 * 60 * 60_000;
/** How far back a webhook's run looks before its own moment: commits land late, runs wait a minute. */
export const WEBHOOK_LOOKBACK_MS = 10 * 60_000;

const Row = z.object({ id: z.string().regex(/^\d+$/), segment: z.string() });

/**
 * The shop's next customers after `after`, by id, to write: everyone when `since` is null, else
 * those moved or written since then. A customer never scored reads as prospect.
 */
export async function segmentsToWrite(
  prisma: Pick<PrismaClient, "$queryRaw">,
  shop: string,
  since: Date | null,
  after: bigint,
  take: number,
): Promise<SegmentMetafield[]> {
  const from = after.toString();
  const rows =
    since === null
      ? await prisma.$queryRaw<unknown[]>`
          SELECT c.id::text AS id, COALESCE(s.segment, 'prospect') AS segment
          FROM "Customer" c LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id
          WHERE c.shop = ${shop} AND c.id > ${from}::bigint
          ORDER BY c.id
          LIMIT ${take}`
      : await prisma.$queryRaw<unknown[]>`
          WITH touched AS (
            SELECT t."customerId" AS id FROM "SegmentTransition" t
            WHERE t.shop = ${shop} AND t.at >= ${utcTimestamp(since)} AND t."customerId" > ${from}::bigint
            UNION
            SELECT c.id FROM "Customer" c
            WHERE c.shop = ${shop} AND c."syncedAt" >= ${utcTimestamp(since)} AND c.id > ${from}::bigint)
          SELECT c.id::text AS id, COALESCE(s.segment, 'prospect') AS segment
          FROM touched k
          JOIN "Customer" c ON c.shop = ${shop} AND c.id = k.id
          LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id
          ORDER BY c.id
          LIMIT ${take}`;
  return z
    .array(Row)
    .parse(rows)
    .map((row) => ({ id: BigInt(row.id), segment: row.segment }));
}

/**
 * Where a run after the full rescore at `scoredAt` starts looking: two nights back, or earlier to
 * the start of a backfill that finished within them (its rows were written over its whole run, and
 * the rescore after it scored them for the first time).
 */
export async function rescoreWindowStart(
  prisma: Pick<PrismaClient, "syncRun">,
  shop: string,
  scoredAt: Date,
): Promise<Date> {
  const start = new Date(scoredAt.getTime() - RESCORE_LOOKBACK_MS);
  const backfill = await prisma.syncRun.findFirst({
    where: { shop, kind: BACKFILL_KIND, status: "completed", finishedAt: { gte: start } },
    orderBy: { startedAt: "asc" },
    select: { startedAt: true },
  });
  return backfill && backfill.startedAt < start ? backfill.startedAt : start;
}
