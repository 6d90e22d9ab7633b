import { Prisma, type PrismaClient } from "@prisma/client";
import type { FunnelRow } from "./summarize";

// The SQL of a campaign's or flow's results, typed. Counts are of messages (one per customer,
// send and channel); every statement is scoped by shop and source. Revenue is read from the
// orders as they are now, so refunds and cancellations show at once.

export type ResultsDb = Pick<PrismaClient, "$queryRaw">;

export type { FunnelRow };

/** The funnel by channel and segment. */
export function funnelRows(db: ResultsDb, shop: string, sourceId: string): Promise<FunnelRow[]> {
  return db.$queryRaw<SourceFunnelRow[]>(funnelSql(shop, Prisma.sql`= ${sourceId}`));
}

export interface SourceFunnelRow extends FunnelRow {
  sourceId: string;
}

/** The funnel of every campaign and flow of the shop that has sent a message, by source, channel and segment. */
export function sentSourcesFunnelRows(db: ResultsDb, shop: string): Promise<SourceFunnelRow[]> {
  return db.$queryRaw<SourceFunnelRow[]>(
    funnelSql(
      shop,
      Prisma.sql`IN (SELECT DISTINCT "campaignId" FROM "OutboxMessage" WHERE "shop" = ${shop} AND "status" = 'sent')`,
    ),
  );
}

/** `sources`: the condition on a "campaignId" column that picks the sources counted. */
function funnelSql(shop: string, sources: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
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
      FROM "MessageEvent" WHERE "shop" = ${shop} AND "campaignId" ${sources}
      GROUP BY "outboxId"
    ), sold AS (
      SELECT a."outboxId", count(*)::int AS orders, sum(o."totalMinor")::bigint AS revenue
      FROM "OrderAttribution" a
      JOIN "Order" o ON o."shop" = a."shop" AND o."id" = a."orderId"
      WHERE a."shop" = ${shop} AND a."campaignId" ${sources} AND o."cancelledAt" IS NULL AND NOT o."test"
      GROUP BY a."outboxId"
    )
    SELECT m."campaignId" AS "sourceId", m."channel", m."segment",
      count(*) FILTER (WHERE m."status" <> 'holdout' AND NOT (m."status" = 'skipped' AND m."attempts" = 0))::int AS planned,
      count(*) FILTER (WHERE m."status" = 'holdout')::int AS holdout,
      count(*) FILTER (WHERE m."status" = 'sent')::int AS sent,
      count(*) FILTER (WHERE m."status" = 'failed')::int AS failed,
      count(*) FILTER (WHERE m."status" = 'skipped' AND m."attempts" > 0)::int AS skipped,
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
    WHERE m."shop" = ${shop} AND m."campaignId" ${sources}
    GROUP BY m."campaignId", m."channel", m."segment"
    ORDER BY m."campaignId", m."channel", m."segment"`;
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

/**
 * Per local day of the shop: messages sent, first human opens and clicks, attributed orders. Counted
 * per UTC minute first, then each minute put in its local day: a million messages cost a few
 * thousand time-zone conversions, not a million (every zone has had whole-minute offsets since 1972).
 */
export function dailyRows(
  db: ResultsDb,
  shop: string,
  sourceId: string,
  timeZone: string,
): Promise<DailyRow[]> {
  return db.$queryRaw<DailyRow[]>`
    WITH minutes AS (
      SELECT date_trunc('minute', "sentAt") AS at, count(*)::int AS sent, 0 AS delivered, 0 AS opened,
        0 AS clicked, 0 AS orders, 0::bigint AS revenue
      FROM "OutboxMessage" WHERE "shop" = ${shop} AND "campaignId" = ${sourceId} AND "status" = 'sent'
      GROUP BY 1
      UNION ALL
      SELECT date_trunc('minute', "firstAt"), 0, count(*) FILTER (WHERE "kind" = 'delivered')::int,
        count(*) FILTER (WHERE "kind" = 'opened')::int, count(*) FILTER (WHERE "kind" = 'clicked')::int, 0, 0
      FROM (
        SELECT "kind", min("firstAt") AS "firstAt"
        FROM "MessageEvent"
        WHERE "shop" = ${shop} AND "campaignId" = ${sourceId} AND NOT "machine"
          AND "kind" IN ('delivered', 'opened', 'clicked')
        GROUP BY "outboxId", "kind"
      ) first
      GROUP BY 1
      UNION ALL
      SELECT date_trunc('minute', o."shopifyCreatedAt"), 0, 0, 0, 0, count(*)::int, sum(o."totalMinor")::bigint
      FROM "OrderAttribution" a JOIN "Order" o ON o."shop" = a."shop" AND o."id" = a."orderId"
      WHERE a."shop" = ${shop} AND a."campaignId" = ${sourceId} AND o."cancelledAt" IS NULL AND NOT o."test"
      GROUP BY 1
    )
    SELECT to_char((at AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day,
      sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(opened)::int AS "openedHuman",
      sum(clicked)::int AS "clickedHuman", sum(orders)::int AS orders, sum(revenue)::bigint AS "revenueMinor"
    FROM minutes GROUP BY day ORDER BY day`;
}

export interface ArmRow {
  sourceId: string;
  segment: string;
  holdout: boolean;
  recipients: number;
  conversions: number;
  revenueMinor: bigint;
}

export interface BuyerRow {
  sourceId: string;
  segment: string;
  holdout: boolean;
  revenueMinor: bigint;
}

// A source's experiment: each customer it planned to message (treated) or held out, from their
// first planned send to `conversionDays` after their last. Customers skipped while planning (no
// consent, capped) were never in it; one skipped at send time was, as assigned.
// `buyersOnly`: only customers with an order that counts, at any time (whoever bought in their
// window is one): a few percent of a large audience to group.
// $2 is the sources' ids (text[]): the overview asks for every source at once.
const recipients = (conversionDays: number, buyersOnly = false) => `
  SELECT "campaignId", "customerId", bool_and("status" = 'holdout') AS holdout, min("segment") AS segment,
    min("sendAt") AS first_at, max("sendAt") + make_interval(days => ${conversionDays}) AS until
  FROM "OutboxMessage"
  WHERE "shop" = $1 AND "campaignId" = ANY($2::text[]) AND "sendAt" IS NOT NULL
    AND ("status" <> 'skipped' OR "attempts" > 0)${
      buyersOnly
        ? `
    AND "customerId" IN (SELECT "customerId" FROM "Order" WHERE "shop" = $1 AND "cancelledAt" IS NULL AND NOT "test")`
        : ""
    }
  GROUP BY "campaignId", "customerId"`;

/** Treated and holdout customers per source and segment: how many, how many ordered in the window, for how much. */
export function armRows(
  db: Pick<PrismaClient, "$queryRawUnsafe">,
  shop: string,
  sourceIds: readonly string[],
  conversionDays: number,
): Promise<ArmRow[]> {
  return db.$queryRawUnsafe<ArmRow[]>(
    // Recipients counted from all of them; conversions and revenue from the buyers alone, whose
    // orders are joined: joining every recipient's orders and grouping again cost a third more.
    `WITH r AS (${recipients(Math.trunc(conversionDays))}),
     bought AS (
       SELECT b."campaignId", b.segment, b.holdout, sum(o."totalMinor") AS revenue
       FROM (${recipients(Math.trunc(conversionDays), true)}) b
       JOIN "Order" o ON o."shop" = $1 AND o."customerId" = b."customerId"
         AND o."shopifyCreatedAt" >= b.first_at AND o."shopifyCreatedAt" < b.until
         AND o."cancelledAt" IS NULL AND NOT o."test"
       GROUP BY b."campaignId", b."customerId", b.segment, b.holdout
     )
     SELECT "campaignId" AS "sourceId", segment, holdout, sum(recipients)::int AS recipients,
       sum(conversions)::int AS conversions, COALESCE(sum(revenue), 0)::bigint AS "revenueMinor"
     FROM (
       SELECT "campaignId", segment, holdout, count(*) AS recipients, 0 AS conversions, 0 AS revenue
       FROM r GROUP BY "campaignId", segment, holdout
       UNION ALL
       SELECT "campaignId", segment, holdout, 0, count(*), sum(revenue) FROM bought GROUP BY "campaignId", segment, holdout
     ) arms
     GROUP BY "campaignId", segment, holdout ORDER BY "campaignId", segment, holdout`,
    shop,
    [...sourceIds],
  );
}

/**
 * The revenue of each customer who ordered in the window: all the bootstrap needs besides counts.
 * In customer order within each source, so the seeded bootstrap gives the same interval whatever
 * plan the database picks.
 */
export function buyerRows(
  db: Pick<PrismaClient, "$queryRawUnsafe">,
  shop: string,
  sourceIds: readonly string[],
  conversionDays: number,
): Promise<BuyerRow[]> {
  return db.$queryRawUnsafe<BuyerRow[]>(
    `WITH r AS (${recipients(Math.trunc(conversionDays), true)})
     SELECT r."campaignId" AS "sourceId", r.segment, r.holdout, sum(o."totalMinor")::bigint AS "revenueMinor"
     FROM r JOIN "Order" o ON o."shop" = $1 AND o."customerId" = r."customerId"
       AND o."shopifyCreatedAt" >= r.first_at AND o."shopifyCreatedAt" < r.until
       AND o."cancelledAt" IS NULL AND NOT o."test"
     GROUP BY r."campaignId", r."customerId", r.segment, r.holdout
     ORDER BY r."campaignId", r."customerId"`,
    shop,
    [...sourceIds],
  );
}

export interface SeasonTotalsRow {
  /** the shop's first message sent; null when nothing was */
  firstSentAt: Date | null;
  soldOrders: number;
  soldMinor: bigint;
  creditedOrders: number;
  creditedMinor: bigint;
}

/**
 * What the shop sold from the local day of its first message sent until now (orders neither
 * cancelled nor test), and how much of it is credited to a message: one set of orders, so the
 * credited part can never exceed the whole.
 */
export async function seasonTotals(db: ResultsDb, shop: string, timeZone: string): Promise<SeasonTotalsRow> {
  const rows = await db.$queryRaw<SeasonTotalsRow[]>`
    WITH first AS (
      SELECT min("sentAt") AS at FROM "OutboxMessage" WHERE "shop" = ${shop} AND "status" = 'sent'
    ), period AS (
      SELECT at, (date_trunc('day', (at AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone}) AT TIME ZONE ${timeZone})
        AT TIME ZONE 'UTC' AS start
      FROM first
    )
    SELECT p.at AS "firstSentAt",
      count(o."id")::int AS "soldOrders",
      COALESCE(sum(o."totalMinor"), 0)::bigint AS "soldMinor",
      count(a."orderId")::int AS "creditedOrders",
      COALESCE(sum(o."totalMinor") FILTER (WHERE a."orderId" IS NOT NULL), 0)::bigint AS "creditedMinor"
    FROM period p
    LEFT JOIN "Order" o ON o."shop" = ${shop} AND o."shopifyCreatedAt" >= p.start
      AND o."cancelledAt" IS NULL AND NOT o."test"
    LEFT JOIN "OrderAttribution" a ON a."shop" = o."shop" AND a."orderId" = o."id"
    GROUP BY p.at`;
  return rows[0] ?? { firstSentAt: null, soldOrders: 0, soldMinor: 0n, creditedOrders: 0, creditedMinor: 0n };
}
