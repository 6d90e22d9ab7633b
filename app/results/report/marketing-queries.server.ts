import type { PrismaClient } from "@prisma/client";

// The SQL behind the daily rows a campaign or flow reports into Shopify's marketing reports:
// per local day of the shop, messages delivered (email and webhook: sent and not bounced, by the
// day sent; texts: the carrier's report, by its day), first human clicks, failed deliveries,
// complaints, unsubscribes, and attributed sales.

export interface MarketingDayRow {
  day: string;
  delivered: number;
  clicks: number;
  fails: number;
  complaints: number;
  unsubscribes: number;
  salesMinor: bigint;
}

export function marketingDayRows(
  db: Pick<PrismaClient, "$queryRaw">,
  shop: string,
  sourceId: string,
  timeZone: string,
): Promise<MarketingDayRow[]> {
  return db.$queryRaw<MarketingDayRow[]>`
    WITH local AS (
      SELECT to_char(("sentAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day,
        1 AS delivered, 0 AS clicks, 0 AS fails, 0 AS complaints, 0 AS unsubscribes, 0::bigint AS sales
      FROM "OutboxMessage" m
      WHERE m."shop" = ${shop} AND m."campaignId" = ${sourceId} AND m."status" = 'sent' AND m."channel" <> 'sms'
        AND NOT EXISTS (SELECT 1 FROM "MessageEvent" e WHERE e."outboxId" = m."id" AND e."kind" = 'bounced')
      UNION ALL
      SELECT to_char(("firstAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD'),
        (e."kind" = 'delivered' AND m."channel" = 'sms')::int,
        (e."kind" = 'clicked')::int,
        (e."kind" IN ('bounced', 'undelivered'))::int,
        (e."kind" = 'complained')::int,
        (e."kind" = 'unsubscribed')::int,
        0
      FROM "MessageEvent" e JOIN "OutboxMessage" m ON m."id" = e."outboxId"
      WHERE e."shop" = ${shop} AND e."campaignId" = ${sourceId} AND NOT e."machine"
        AND (e."kind" <> 'clicked' OR e."firstAt" = (SELECT min(f."firstAt") FROM "MessageEvent" f
          WHERE f."outboxId" = e."outboxId" AND f."kind" = 'clicked' AND NOT f."machine"))
      UNION ALL
      SELECT to_char((o."shopifyCreatedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD'),
        0, 0, 0, 0, 0, o."totalMinor"
      FROM "OrderAttribution" a JOIN "Order" o ON o."shop" = a."shop" AND o."id" = a."orderId"
      WHERE a."shop" = ${shop} AND a."campaignId" = ${sourceId} AND o."cancelledAt" IS NULL AND NOT o."test"
    )
    SELECT day, sum(delivered)::int AS delivered, sum(clicks)::int AS clicks, sum(fails)::int AS fails,
      sum(complaints)::int AS complaints, sum(unsubscribes)::int AS unsubscribes, sum(sales)::bigint AS "salesMinor"
    FROM local GROUP BY day ORDER BY day`;
}

export interface SentSpan {
  channels: string[];
  firstSentAt: Date | null;
}

export async function sentSpan(
  db: Pick<PrismaClient, "$queryRaw">,
  shop: string,
  sourceId: string,
): Promise<SentSpan> {
  const rows = await db.$queryRaw<Array<{ channels: string[] | null; firstSentAt: Date | null }>>`
    SELECT array_agg(DISTINCT "channel") AS channels, min("sentAt") AS "firstSentAt"
    FROM "OutboxMessage" WHERE "shop" = ${shop} AND "campaignId" = ${sourceId} AND "status" = 'sent'`;
  return { channels: rows[0]?.channels ?? [], firstSentAt: rows[0]?.firstSentAt ?? null };
}
