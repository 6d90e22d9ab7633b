import type { PrismaClient } from "@prisma/client";
import { utcTimestamp } from "../../db/sql";
import type { Attribution } from "./attribute-order";

// The SQL of attribution, with typed inputs and rows. Every statement is scoped by shop.

export type AttributionDb = Pick<PrismaClient, "$queryRaw" | "$executeRaw">;

export interface OrderForAttribution {
  id: bigint;
  customerId: bigint;
  createdAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  discountCodes: string[];
  landingPage: string | null;
  syncedAt: Date;
}

/** Orders of known customers synced after the cursor, oldest first. */
export function ordersSyncedAfter(
  db: AttributionDb,
  shop: string,
  cursor: { syncedAt: Date; id: bigint },
  limit: number,
): Promise<OrderForAttribution[]> {
  return db.$queryRaw<OrderForAttribution[]>`
    SELECT "id", "customerId", "shopifyCreatedAt" AS "createdAt", "cancelledAt", "test", "discountCodes",
      "landingPage", "syncedAt"
    FROM "Order"
    WHERE "shop" = ${shop} AND "customerId" IS NOT NULL
      AND ("syncedAt", "id") > (${utcTimestamp(cursor.syncedAt)}, ${cursor.id})
    ORDER BY "syncedAt", "id"
    LIMIT ${limit}`;
}

export interface TouchRow {
  customerId: bigint;
  outboxId: string;
  campaignId: string;
  channel: string;
  sendKey: string;
  utmCampaign: string;
  sentAt: Date;
  discountCode: string | null;
  lastHumanClickAt: Date | null;
}

/** The messages sent to these customers in [from, to], with their codes, keys and last human click. */
export function touchesOf(
  db: AttributionDb,
  shop: string,
  customerIds: readonly bigint[],
  from: Date,
  to: Date,
): Promise<TouchRow[]> {
  const ids = customerIds.map(String);
  return db.$queryRaw<TouchRow[]>`
    SELECT o."customerId", o."id" AS "outboxId", o."campaignId", o."channel", o."sendKey", o."sentAt",
      COALESCE(c."key", f."key", o."campaignId") AS "utmCampaign",
      COALESCE(o."payload"->'discount'->>'code', c."definition"->'draft'->'discount'->>'code') AS "discountCode",
      (SELECT max(e."lastAt") FROM "MessageEvent" e
        WHERE e."outboxId" = o."id" AND e."kind" = 'clicked' AND NOT e."machine") AS "lastHumanClickAt"
    FROM "OutboxMessage" o
    LEFT JOIN "Campaign" c ON c."id" = o."campaignId" AND c."shop" = o."shop"
    LEFT JOIN "Flow" f ON f."id" = o."campaignId" AND f."shop" = o."shop"
    WHERE o."shop" = ${shop} AND o."customerId" = ANY(${ids}::bigint[]) AND o."status" = 'sent'
      AND o."sentAt" BETWEEN ${utcTimestamp(from)} AND ${utcTimestamp(to)}`;
}

/** Writes each order's credit, replacing an earlier one; orders in `uncredited` lose theirs. */
export async function saveAttributions(
  db: AttributionDb,
  shop: string,
  credited: ReadonlyArray<{ orderId: bigint; attribution: Attribution }>,
  uncredited: readonly bigint[],
): Promise<void> {
  if (credited.length > 0) {
    const rows = JSON.stringify(
      credited.map(({ orderId, attribution: a }) => ({
        orderId: String(orderId),
        outboxId: a.outboxId,
        campaignId: a.campaignId,
        model: a.model,
        touchAt: a.touchAt.toISOString(),
      })),
    );
    await db.$executeRaw`
      INSERT INTO "OrderAttribution" ("shop", "orderId", "outboxId", "campaignId", "model", "touchAt")
      SELECT ${shop}, r."orderId"::bigint, r."outboxId", r."campaignId", r."model", r."touchAt"::timestamp(3)
      FROM jsonb_to_recordset(${rows}::jsonb) AS r("orderId" text, "outboxId" text, "campaignId" text, "model" text, "touchAt" text)
      ON CONFLICT ("shop", "orderId") DO UPDATE SET "outboxId" = EXCLUDED."outboxId",
        "campaignId" = EXCLUDED."campaignId", "model" = EXCLUDED."model", "touchAt" = EXCLUDED."touchAt",
        "attributedAt" = now()
      WHERE ("OrderAttribution"."outboxId", "OrderAttribution"."model", "OrderAttribution"."touchAt")
        IS DISTINCT FROM (EXCLUDED."outboxId", EXCLUDED."model", EXCLUDED."touchAt")`;
  }
  if (uncredited.length > 0) {
    const ids = uncredited.map(String);
    await db.$executeRaw`
      DELETE FROM "OrderAttribution" WHERE "shop" = ${shop} AND "orderId" = ANY(${ids}::bigint[])`;
  }
}

export async function attributedThrough(
  db: AttributionDb,
  shop: string,
): Promise<{ syncedAt: Date; id: bigint } | null> {
  const rows = await db.$queryRaw<Array<{ attributedThrough: Date }>>`
    SELECT "attributedThrough" FROM "ResultsProgress" WHERE "shop" = ${shop}`;
  const at = rows[0]?.attributedThrough;
  return at ? { syncedAt: at, id: -1n } : null;
}

export async function setAttributedThrough(db: AttributionDb, shop: string, through: Date): Promise<void> {
  await db.$executeRaw`
    INSERT INTO "ResultsProgress" ("shop", "attributedThrough", "updatedAt") VALUES (${shop}, ${utcTimestamp(through)}, now())
    ON CONFLICT ("shop") DO UPDATE SET "attributedThrough" = EXCLUDED."attributedThrough", "updatedAt" = now()`;
}
