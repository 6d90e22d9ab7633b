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

/** One line of a source's events export: a send, an event of a message, or an order credited to it. */
export interface EventExportRow {
  messageId: string;
  customerId: string;
  channel: string;
  segment: string;
  sendKey: string;
  /** sent | an event kind | ordered */
  kind: string;
  machine: boolean;
  machineReason: string | null;
  linkId: string | null;
  firstAt: Date;
  lastAt: Date;
  count: number;
  orderId: string | null;
  model: string | null;
  revenueMinor: bigint | null;
}

/** The ids of a source's next `limit` messages after `after`, in id order: one page of its export. */
export async function exportMessageIds(
  db: ResultsDb,
  shop: string,
  sourceId: string,
  after: string,
  limit: number,
): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "OutboxMessage"
    WHERE "shop" = ${shop} AND "campaignId" = ${sourceId} AND "id" > ${after}
    ORDER BY "id" LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * The export's lines of the messages with ids in (after, through]: each one sent, each stored
 * event (machine ones flagged, not dropped), and each order credited to it that still counts
 * (neither cancelled nor test; its total as it is now). No address or phone number.
 */
export function exportRows(
  db: ResultsDb,
  shop: string,
  sourceId: string,
  after: string,
  through: string,
): Promise<EventExportRow[]> {
  return db.$queryRaw<EventExportRow[]>`
    WITH page AS (
      SELECT "id", "customerId", "channel", "segment", "sendKey", "status", "sentAt"
      FROM "OutboxMessage"
      WHERE "shop" = ${shop} AND "campaignId" = ${sourceId} AND "id" > ${after} AND "id" <= ${through}
    ), lines AS (
      SELECT p."id", 0 AS rank, 'sent' AS kind, false AS machine, NULL::text AS "machineReason",
        NULL::text AS "linkId", p."sentAt" AS "firstAt", p."sentAt" AS "lastAt", 1 AS count,
        NULL::text AS "orderId", NULL::text AS model, NULL::bigint AS "revenueMinor"
      FROM page p WHERE p."status" = 'sent' AND p."sentAt" IS NOT NULL
      UNION ALL
      SELECT p."id", 1, e."kind", e."machine", e."machineReason", e."linkId", e."firstAt", e."lastAt", e."count",
        NULL, NULL, NULL
      FROM page p JOIN "MessageEvent" e ON e."outboxId" = p."id" AND e."shop" = ${shop}
      UNION ALL
      SELECT p."id", 2, 'ordered', false, NULL, NULL, o."shopifyCreatedAt", o."shopifyCreatedAt", 1,
        o."id"::text, a."model", o."totalMinor"
      FROM page p
      JOIN "OrderAttribution" a ON a."shop" = ${shop} AND a."campaignId" = ${sourceId} AND a."outboxId" = p."id"
      JOIN "Order" o ON o."shop" = a."shop" AND o."id" = a."orderId"
      WHERE o."cancelledAt" IS NULL AND NOT o."test"
    )
    SELECT l."id" AS "messageId", p."customerId"::text AS "customerId", p."channel", p."segment", p."sendKey",
      l.kind, l.machine, l."machineReason", l."linkId", l."firstAt", l."lastAt", l.count::int AS count,
      l."orderId", l.model, l."revenueMinor"
    FROM lines l JOIN page p ON p."id" = l."id"
    ORDER BY l."id", l.rank, l."firstAt", l.kind, l."linkId" NULLS FIRST, l.machine, l."orderId"`;
}
