import type { Prisma } from "@prisma/client";
import type { Channel } from "./rules/channels";
import type { MessagePayload } from "./templates/variables";

// How a source that decides its messages one at a time (a flow step) hands them to the messaging
// stage: rows into the outbox, keyed by their idempotency key, so handing the same message over
// twice (a retried step, a restarted worker) stores it once and sends it once. Campaigns plan in
// bulk through their own statement; both end up as the same outbox rows for the same dispatcher.

export interface QueuedMessage {
  /** the idempotency key: the outbox row id and what providers see */
  id: string;
  shop: string;
  /** the campaign's or flow's id (the dispatcher's lanes are per source and channel) */
  sourceId: string;
  /** which of the source's messages (a flow's template key) */
  sendKey: string;
  customerId: bigint;
  segment: string;
  channel: Channel;
  /** queued: to send at sendAt; holdout and skipped: recorded, never sent */
  status: "queued" | "holdout" | "skipped";
  skipReason: string | null;
  sendAt: Date | null;
  timeZone: string | null;
  enrollmentId: string | null;
  payload: MessagePayload | null;
  /** false: kept out of the shared frequency caps (a flow the merchant exempted) */
  countsTowardCaps: boolean;
}

/** Stores the messages not stored yet; returns how many were new. */
export async function queueMessages(
  db: Pick<Prisma.TransactionClient, "$executeRawUnsafe">,
  messages: readonly QueuedMessage[],
): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = messages.map((m) => ({
    i: m.id,
    sh: m.shop,
    so: m.sourceId,
    k: m.sendKey,
    c: m.customerId.toString(),
    sg: m.segment,
    h: m.channel,
    st: m.status,
    r: m.skipReason,
    t: m.sendAt?.toISOString() ?? null,
    z: m.timeZone,
    e: m.enrollmentId,
    p: m.payload,
    x: m.countsTowardCaps,
  }));
  return db.$executeRawUnsafe(
    `INSERT INTO "OutboxMessage" (id, shop, "campaignId", "sendKey", "customerId", segment, channel, status,
       "skipReason", "sendAt", "timeZone", "enrollmentId", payload, "countsTowardCaps", "createdAt", "updatedAt")
     SELECT r.i, r.sh, r.so, r.k, r.c::bigint, r.sg, r.h, r.st, r.r, (r.t::timestamptz AT TIME ZONE 'UTC'), r.z, r.e, r.p,
       r.x, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
     FROM jsonb_to_recordset($1::jsonb) AS r(i text, sh text, so text, k text, c text, sg text, h text, st text,
       r text, t text, z text, e text, p jsonb, x boolean)
     ON CONFLICT (id) DO NOTHING`,
    JSON.stringify(rows),
  );
}
