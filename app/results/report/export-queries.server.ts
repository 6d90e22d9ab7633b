import type { ResultsDb } from "./results-queries.server";

// The SQL of a source's events export (the CSV download), typed: one page of message ids at a
// time, then every line about those messages, so the download streams at any size.

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
