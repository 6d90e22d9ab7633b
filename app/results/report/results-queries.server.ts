import type { PrismaClient } from "@prisma/client";

// The SQL of a campaign's or flow's results, typed. Counts are of messages (one per customer,
// send and channel); every statement is scoped by shop and source. Revenue is read from the
// orders as they are now, so refunds and cancellations show at once.

export type ResultsDb = Pick<PrismaClient, "$queryRaw">;

export interface FunnelRow {
  channel: string;
  segment: string;
  planned: number;
  holdout: number;
  sent: number;
  failed: number;
  skipped: number;
  delivered: number;
  bounced: number;
  openedHuman: number;
  openedMachineOnly: number;
  clickedHuman: number;
  clickedMachineOnly: number;
  complained: number;
  unsubscribed: number;
  orders: number;
  revenueMinor: bigint;
}

/** The funnel by channel and segment. */
export function funnelRows(db: ResultsDb, shop: string, sourceId: string): Promise<FunnelRow[]> {
  return db.$queryRaw<FunnelRow[]>`
    WITH ev AS (
      SELECT "outboxId",
        bool_or("kind" = 'delivered') AS delivered,
        bool_or("kind" IN ('bounced', 'undelivered')) AS bounced,
        bool_or("kind" = 'opened' AND NOT "machine") AS opened_human,
        bool_or("kind" = 'opened' AND "machine") AS opened_machine,
        bool_or("kind" = 'clicked' AND NOT "machine") AS clicked_human,
        bool_or("kind" = 'clicked' AND "machine") AS clicked_machine,
        bool_or("kind" = 'complained') AS complained,
        bool_or("kind" = 'unsubscribed') AS unsubscribed
      FROM "MessageEvent" WHERE "shop" = ${shop} AND "campaignId" = ${sourceId}
      GROUP BY "outboxId"
    ), sold AS (
      SELECT a."outboxId", count(*)::int AS orders, sum(o."totalMinor")::bigint AS revenue
      FROM "OrderAttribution" a
      JOIN "Order" o ON o."shop" = a."shop" AND o."id" = a."orderId"
      WHERE a."shop" = ${shop} AND a."campaignId" = ${sourceId} AND o."cancelledAt" IS NULL AND NOT o."test"
      GROUP BY a."outboxId"
    )
    SELECT m."channel", m."segment",
      count(*) FILTER (WHERE m."status" <> 'holdout')::int AS planned,
      count(*) FILTER (WHERE m."status" = 'holdout')::int AS holdout,
      count(*) FILTER (WHERE m."status" = 'sent')::int AS sent,
      count(*) FILTER (WHERE m."status" = 'failed')::int AS failed,
      count(*) FILTER (WHERE m."status" = 'skipped')::int AS skipped,
      count(*) FILTER (WHERE m."status" = 'sent' AND CASE WHEN m."channel" = 'sms'
        THEN COALESCE(ev.delivered, false) ELSE NOT COALESCE(ev.bounced, false) END)::int AS delivered,
      count(*) FILTER (WHERE ev.bounced)::int AS bounced,
      count(*) FILTER (WHERE ev.opened_human)::int AS "openedHuman",
      count(*) FILTER (WHERE ev.opened_machine AND NOT ev.opened_human)::int AS "openedMachineOnly",
      count(*) FILTER (WHERE ev.clicked_human)::int AS "clickedHuman",
      count(*) FILTER (WHERE ev.clicked_machine AND NOT ev.clicked_human)::int AS "clickedMachineOnly",
      count(*) FILTER (WHERE ev.complained)::int AS complained,
      count(*) FILTER (WHERE ev.unsubscribed)::int AS unsubscribed,
      COALESCE(sum(sold.orders), 0)::int AS orders,
      COALESCE(sum(sold.revenue), 0)::bigint AS "revenueMinor"
    FROM "OutboxMessage" m
    LEFT JOIN ev ON ev."outboxId" = m."id"
    LEFT JOIN sold ON sold."outboxId" = m."id"
    WHERE m."shop" = ${shop} AND m."campaignId" = ${sourceId}
    GROUP BY m."channel", m."segment"
    ORDER BY m."channel", m."segment"`;
}

export interface DailyRow {
  day: string;
  sent: number;
  delivered: number;
  openedHuman: number;
  clickedHuman: number;
  orders: number;
  revenueMinor: bigint;
}

/** Per local day of the shop: messages sent, first human opens and clicks, attributed orders. */
export function dailyRows(
  db: ResultsDb,
  shop: string,
  sourceId: string,
  timeZone: string,
): Promise<DailyRow[]> {
  return db.$queryRaw<DailyRow[]>`
    WITH days AS (
      SELECT to_char(("sentAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day,
        1 AS sent, 0 AS delivered, 0 AS opened, 0 AS clicked, 0 AS orders, 0::bigint AS revenue
      FROM "OutboxMessage" WHERE "shop" = ${shop} AND "campaignId" = ${sourceId} AND "status" = 'sent'
      UNION ALL
      SELECT to_char(("firstAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD'),
        0, ("kind" = 'delivered')::int, ("kind" = 'opened')::int, ("kind" = 'clicked')::int, 0, 0
      FROM (
        SELECT DISTINCT ON ("outboxId", "kind") "kind", "firstAt"
        FROM "MessageEvent"
        WHERE "shop" = ${shop} AND "campaignId" = ${sourceId} AND NOT "machine"
          AND "kind" IN ('delivered', 'opened', 'clicked')
        ORDER BY "outboxId", "kind", "firstAt"
      ) first
      UNION ALL
      SELECT to_char((o."shopifyCreatedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD'),
        0, 0, 0, 0, 1, o."totalMinor"
      FROM "OrderAttribution" a JOIN "Order" o ON o."shop" = a."shop" AND o."id" = a."orderId"
      WHERE a."shop" = ${shop} AND a."campaignId" = ${sourceId} AND o."cancelledAt" IS NULL AND NOT o."test"
    )
    SELECT day, sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(opened)::int AS "openedHuman",
      sum(clicked)::int AS "clickedHuman", sum(orders)::int AS orders, sum(revenue)::bigint AS "revenueMinor"
    FROM days GROUP BY day ORDER BY day`;
}

export interface ArmRow {
  segment: string;
  holdout: boolean;
  recipients: number;
  conversions: number;
  revenueMinor: bigint;
}

export interface BuyerRow {
  segment: string;
  holdout: boolean;
  revenueMinor: bigint;
}

// A source's experiment: each customer it planned to message (treated) or held out, from their
// first planned send to `conversionDays` after their last. Customers skipped while planning (no
// consent, capped) were never in it; one skipped at send time was, as assigned.
const recipients = (conversionDays: number) => `
  SELECT "customerId", bool_and("status" = 'holdout') AS holdout, min("segment") AS segment,
    min("sendAt") AS first_at, max("sendAt") + make_interval(days => ${conversionDays}) AS until
  FROM "OutboxMessage"
  WHERE "shop" = $1 AND "campaignId" = $2 AND "sendAt" IS NOT NULL
    AND ("status" <> 'skipped' OR "attempts" > 0)
  GROUP BY "customerId"`;

/** Treated and holdout customers per segment: how many, how many ordered in the window, for how much. */
export function armRows(
  db: Pick<PrismaClient, "$queryRawUnsafe">,
  shop: string,
  sourceId: string,
  conversionDays: number,
): Promise<ArmRow[]> {
  return db.$queryRawUnsafe<ArmRow[]>(
    `WITH r AS (${recipients(Math.trunc(conversionDays))}),
     per AS (
       SELECT r.segment, r.holdout, count(o."id") > 0 AS converted, COALESCE(sum(o."totalMinor"), 0)::bigint AS revenue
       FROM r LEFT JOIN "Order" o ON o."shop" = $1 AND o."customerId" = r."customerId"
         AND o."shopifyCreatedAt" >= r.first_at AND o."shopifyCreatedAt" < r.until
         AND o."cancelledAt" IS NULL AND NOT o."test"
       GROUP BY r."customerId", r.segment, r.holdout
     )
     SELECT segment, holdout, count(*)::int AS recipients, count(*) FILTER (WHERE converted)::int AS conversions,
       COALESCE(sum(revenue), 0)::bigint AS "revenueMinor"
     FROM per GROUP BY segment, holdout ORDER BY segment, holdout`,
    shop,
    sourceId,
  );
}

/** The revenue of each customer who ordered in the window: all the bootstrap needs besides counts. */
export function buyerRows(
  db: Pick<PrismaClient, "$queryRawUnsafe">,
  shop: string,
  sourceId: string,
  conversionDays: number,
): Promise<BuyerRow[]> {
  return db.$queryRawUnsafe<BuyerRow[]>(
    `WITH r AS (${recipients(Math.trunc(conversionDays))})
     SELECT r.segment, r.holdout, sum(o."totalMinor")::bigint AS "revenueMinor"
     FROM r JOIN "Order" o ON o."shop" = $1 AND o."customerId" = r."customerId"
       AND o."shopifyCreatedAt" >= r.first_at AND o."shopifyCreatedAt" < r.until
       AND o."cancelledAt" IS NULL AND NOT o."test"
     GROUP BY r."customerId", r.segment, r.holdout`,
    shop,
    sourceId,
  );
}
