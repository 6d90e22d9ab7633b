import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { SuppressionReason } from "../rules/channels";
import { SUPPRESSED_NOTE_PREFIX } from "../delivery-events/suppression";
import { MessagePayload } from "../templates/variables";
import { DISPATCH_CHANNELS, type DispatchChannel } from "./jobs";
import type { OutboxRow } from "./message";
import { MAX_ABANDONED_ATTEMPTS } from "./retry";

// The outbox rows' life during dispatch, in SQL. Only `queued` rows of `scheduled`/`sending`
// campaigns are claimed, in one statement (FOR UPDATE SKIP LOCKED, so lanes and workers never take
// the same row), as `sending` under a lease; results are written in bulk, one statement per kind,
// each fenced on `status = 'sending'` and the attempt it claimed, so a worker that lost its lease
// cannot overwrite the next owner's result. Only `sent` wins over any unfinished state: a message
// the provider accepted must not be sent again because a lease ran out meanwhile.

const ts = (date: Date) => date.toISOString();
export const ACTIVE_STATUSES = ["scheduled", "sending"] as const;

const ClaimedRow = z.object({
  id: z.string(),
  customerId: z.string(),
  sendKey: z.string(),
  segment: z.string(),
  channel: z.enum(DISPATCH_CHANNELS),
  timeZone: z.string().nullable(),
  attempts: z.coerce.number().int(),
  payload: z.unknown(),
});

function claimed(raw: unknown): OutboxRow {
  const { payload, ...row } = ClaimedRow.parse(raw);
  if (payload === null || payload === undefined) return { ...row, payload: null };
  const parsed = MessagePayload.safeParse(payload);
  if (parsed.success) return { ...row, payload: parsed.data };
  const where = parsed.error.issues
    .map((i) => i.path.join(".") || "(payload)")
    .slice(0, 3)
    .join(", ");
  return { ...row, payload: null, payloadProblem: `message payload invalid at ${where}` };
}

const NextRow = z.object({ next: z.coerce.date().nullable() });

export interface ClaimInput {
  shop: string;
  campaignId: string;
  channel: DispatchChannel;
  limit: number;
  now: Date;
  leaseMs: number;
}

/**
 * Takes up to `limit` due rows (none for a shop that uninstalled the app). The source's row (a
 * campaign that is scheduled or sending, a flow that is on) is read FOR SHARE, so a pause (an UPDATE
 * of it) waits for a claim in progress, and a claim after the pause sees it: once `pauseCampaign`
 * has seen no `sending` row, none appears.
 */
export async function claimDue(prisma: PrismaClient, input: ClaimInput): Promise<OutboxRow[]> {
  const { shop, campaignId, channel, now } = input;
  const lease = new Date(now.getTime() + input.leaseMs);
  const rows = await prisma.$queryRaw<unknown[]>`
    WITH campaign AS (
      SELECT id FROM "Campaign"
      WHERE id = ${campaignId} AND shop = ${shop} AND status IN ('scheduled', 'sending')
      FOR SHARE
    ), flow AS (
      SELECT id FROM "Flow" WHERE id = ${campaignId} AND shop = ${shop} AND status = 'on'
      FOR SHARE
    ), active AS (
      SELECT id FROM (SELECT id FROM campaign UNION ALL SELECT id FROM flow) s
      WHERE NOT EXISTS (SELECT 1 FROM "Shop" WHERE domain = ${shop} AND "uninstalledAt" IS NOT NULL)
    ), picked AS (
      SELECT o.id FROM "OutboxMessage" o, active
      WHERE o."campaignId" = active.id AND o.shop = ${shop} AND o.status = 'queued'
        AND o.channel = ${channel} AND o."sendAt" <= ${ts(now)}::timestamp
      ORDER BY o."sendAt" LIMIT ${input.limit}
      FOR UPDATE OF o SKIP LOCKED
    )
    UPDATE "OutboxMessage" m SET status = 'sending', attempts = m.attempts + 1,
      "leaseUntil" = ${ts(lease)}::timestamp, "updatedAt" = ${ts(now)}::timestamp
    FROM picked WHERE m.id = picked.id
    RETURNING m.id, m."customerId"::text AS "customerId", m."sendKey", m.segment, m.channel,
      m."timeZone", m.attempts, m.payload`;
  return rows.map(claimed);
}

/** Keeps a long batch's rows ours (a slow provider must not make them look abandoned). */
export async function extendLeases(prisma: PrismaClient, ids: readonly string[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await prisma.$executeRaw`
    UPDATE "OutboxMessage" SET "leaseUntil" = ${ts(until)}::timestamp
    WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))) AND status = 'sending'`;
}

export type Outcome =
  | { kind: "sent"; id: string; attempts: number; providerId: string }
  | { kind: "retry"; id: string; attempts: number; sendAt: Date; error: string }
  /** never attempted (paused, held, outside SMS hours): queued again and the attempt given back */
  | { kind: "release"; id: string; attempts: number; sendAt: Date }
  /** `suppress`: the provider said the address will never take this channel (hard bounce, STOP) */
  | { kind: "failed"; id: string; attempts: number; error: string; suppress?: SuppressionReason }
  | { kind: "skipped"; id: string; attempts: number; reason: string };

/** A failed or skipped row as the final UPDATE reads it (short keys: batches are large JSON). */
interface FinalRow {
  id: string;
  /** the attempt claimed */
  a: number;
  st: "failed" | "skipped";
  e: string | null;
  /** skip reason */
  r: string | null;
  /** suppression reason */
  x: string | null;
}

export async function writeOutcomes(
  prisma: PrismaClient,
  shop: string,
  outcomes: readonly Outcome[],
  now: Date,
): Promise<void> {
  const sent: Array<{ id: string; p: string }> = [];
  const requeue: Array<{ id: string; a: number; s: string; e: string | null; d: number }> = [];
  const final: FinalRow[] = [];
  for (const o of outcomes) {
    if (o.kind === "sent") sent.push({ id: o.id, p: o.providerId });
    else if (o.kind === "retry") requeue.push({ id: o.id, a: o.attempts, s: ts(o.sendAt), e: o.error, d: 0 });
    else if (o.kind === "release") requeue.push({ id: o.id, a: o.attempts, s: ts(o.sendAt), e: null, d: 1 });
    else if (o.kind === "failed")
      final.push({ id: o.id, a: o.attempts, st: "failed", e: o.error, r: null, x: o.suppress ?? null });
    else final.push({ id: o.id, a: o.attempts, st: "skipped", e: null, r: o.reason, x: null });
  }
  const at = ts(now);
  // An earlier attempt's error goes; a delivery report's note (it can arrive before this write) stays.
  if (sent.length > 0)
    await prisma.$executeRaw`
      UPDATE "OutboxMessage" m SET status = 'sent', "providerId" = r.p, "sentAt" = ${at}::timestamp,
        "leaseUntil" = NULL, "updatedAt" = ${at}::timestamp,
        "lastError" = CASE WHEN starts_with(m."lastError", ${SUPPRESSED_NOTE_PREFIX}) THEN m."lastError" END
      FROM jsonb_to_recordset(${JSON.stringify(sent)}::jsonb) AS r(id text, p text)
      WHERE m.id = r.id AND m.shop = ${shop} AND m.status IN ('queued', 'sending')`;
  // A cancelled campaign takes nothing back into its queue.
  if (requeue.length > 0)
    await prisma.$executeRaw`
      WITH r AS (
        SELECT r.*, EXISTS (SELECT 1 FROM "Campaign" c WHERE c.id = m."campaignId" AND c.status = 'cancelled') AS cancelled
        FROM jsonb_to_recordset(${JSON.stringify(requeue)}::jsonb) AS r(id text, a int, s text, e text, d int)
        JOIN "OutboxMessage" m ON m.id = r.id
      )
      UPDATE "OutboxMessage" m SET
        status = CASE WHEN r.cancelled THEN 'skipped' ELSE 'queued' END,
        "skipReason" = CASE WHEN r.cancelled THEN 'cancelled' ELSE NULL END,
        "sendAt" = r.s::timestamp, attempts = m.attempts - r.d,
        "lastError" = COALESCE(r.e, m."lastError"), "leaseUntil" = NULL, "updatedAt" = ${at}::timestamp
      FROM r
      WHERE m.id = r.id AND m.shop = ${shop} AND m.status = 'sending' AND m.attempts = r.a`;
  // A failure that suppresses its customer writes the suppression in the same statement, for the
  // rows this worker still owned; the key (shop, customer, channel, reason) makes repeats no-ops.
  if (final.length > 0)
    await prisma.$executeRaw`
      WITH done AS (
        UPDATE "OutboxMessage" m SET status = r.st, "lastError" = COALESCE(r.e, m."lastError"),
          "skipReason" = r.r, "leaseUntil" = NULL, "updatedAt" = ${at}::timestamp
        FROM jsonb_to_recordset(${JSON.stringify(final)}::jsonb) AS r(id text, a int, st text, e text, r text, x text)
        WHERE m.id = r.id AND m.shop = ${shop} AND m.status = 'sending' AND m.attempts = r.a
        RETURNING m."customerId", m.channel, r.x
      )
      INSERT INTO "Suppression" (shop, "customerId", channel, reason, "createdAt")
      SELECT ${shop}, d."customerId", d.channel, d.x, ${at}::timestamp FROM done d WHERE d.x IS NOT NULL
      ON CONFLICT DO NOTHING`;
}

/** When the next queued row of a lane's channel is due, or null when there is none. */
export async function nextSendAt(
  prisma: PrismaClient,
  shop: string,
  campaignId: string,
  channel: DispatchChannel,
): Promise<Date | null> {
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT min("sendAt") AS next FROM "OutboxMessage"
    WHERE "campaignId" = ${campaignId} AND shop = ${shop} AND status = 'queued' AND channel = ${channel}`;
  return NextRow.parse(rows[0] ?? { next: null }).next;
}

/**
 * Rows whose worker died while sending: queued again (due at once), so a lane re-sends them with
 * the same key, and marked so. Failed instead when the attempt before ended the same way and they
 * have had MAX_ABANDONED_ATTEMPTS attempts (a message that kills its worker must not do so forever;
 * attempts alone would also count a long outage's retries), or when their campaign was cancelled
 * (the provider may or may not have them, and a cancelled campaign sends nothing more).
 */
export async function requeueAbandoned(prisma: PrismaClient, now: Date): Promise<number> {
  const at = ts(now);
  const failed = await prisma.$executeRaw`
    WITH stale AS (
      SELECT m.id, EXISTS (SELECT 1 FROM "Campaign" c WHERE c.id = m."campaignId" AND c.status = 'cancelled') AS cancelled
      FROM "OutboxMessage" m
      WHERE m.status = 'sending' AND m."leaseUntil" < ${at}::timestamp
    )
    UPDATE "OutboxMessage" m SET status = 'failed', "leaseUntil" = NULL, "updatedAt" = ${at}::timestamp,
      "lastError" = CASE WHEN stale.cancelled THEN ${ABANDONED_IN_CANCELLED} ELSE ${ABANDONED_LAST} END
    FROM stale
    WHERE m.id = stale.id AND m.status = 'sending'
      AND (stale.cancelled OR (m.attempts >= ${MAX_ABANDONED_ATTEMPTS} AND m."lastError" = ${ABANDONED}))`;
  const requeued = await prisma.$executeRaw`
    UPDATE "OutboxMessage" SET status = 'queued', "leaseUntil" = NULL, "updatedAt" = ${at}::timestamp,
      "lastError" = ${ABANDONED}
    WHERE status = 'sending' AND "leaseUntil" < ${at}::timestamp`;
  return failed + requeued;
}

export const ABANDONED = "its worker stopped while sending it: queued again with the same key";
export const ABANDONED_IN_CANCELLED =
  "cancelled while its worker was sending it: the provider may or may not have it";
export const ABANDONED_LAST = `its worker stopped while sending it again, after ${MAX_ABANDONED_ATTEMPTS} or more attempts`;
