import { OUTBOX_STATUSES, type CampaignStatus, type OutboxStatus } from "./campaign-status";
import type { CampaignDb } from "./deps";
import { getCampaign } from "./read-campaign.server";

// Live progress of a campaign (counts by row status, for the progress bar) and its message log,
// a page at a time. Customers appear by id, never by address; the log gives each message's zone
// (the customer's, or the shop's when theirs is unknown) so the merchant sees the time the customer
// gets it.

type Db = Pick<CampaignDb, "$queryRawUnsafe" | "campaign">;

export interface CampaignProgress {
  campaignId: string;
  status: CampaignStatus;
  counts: Record<OutboxStatus, number>;
  total: number;
  /** messages that will or did go out: queued + sending + sent + failed */
  toSend: number;
  /** of those, finished: sent + failed */
  finished: number;
  /** the earliest sendAt still queued */
  nextSendAt: Date | null;
  lastSentAt: Date | null;
}

export async function campaignProgress(db: Db, shop: string, campaignId: string): Promise<CampaignProgress> {
  const campaign = await getCampaign(db, shop, campaignId);
  const rows = await db.$queryRawUnsafe<
    Array<{ status: string; n: number; next: Date | null; last: Date | null }>
  >(
    `SELECT status, count(*)::int AS n, min("sendAt") FILTER (WHERE status = 'queued') AS next, max("sentAt") AS last
     FROM "OutboxMessage" WHERE shop = $1 AND "campaignId" = $2 GROUP BY status`,
    shop,
    campaignId,
  );
  const counts: Record<OutboxStatus, number> = {
    planned: 0,
    holdout: 0,
    queued: 0,
    sending: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
  };
  let nextSendAt: Date | null = null;
  let lastSentAt: Date | null = null;
  for (const row of rows) {
    const status = OUTBOX_STATUSES.find((s) => s === row.status);
    if (status) counts[status] += row.n;
    if (row.next && (!nextSendAt || row.next < nextSendAt)) nextSendAt = row.next;
    if (row.last && (!lastSentAt || row.last > lastSentAt)) lastSentAt = row.last;
  }
  const finished = counts.sent + counts.failed;
  return {
    campaignId,
    status: campaign.status,
    counts,
    total: OUTBOX_STATUSES.reduce((n, s) => n + counts[s], 0),
    toSend: counts.queued + counts.sending + finished,
    finished,
    nextSendAt,
    lastSentAt,
  };
}

export interface MessageLogEntry {
  /** the message id, also its idempotency key */
  id: string;
  sendKey: string;
  customerId: string;
  /** the customer's name as stored now; null without one, or once the customer is deleted or redacted */
  firstName: string | null;
  lastName: string | null;
  segment: string;
  channel: string;
  status: string;
  skipReason: string | null;
  sendAt: Date | null;
  sentAt: Date | null;
  /** the zone the send time was planned in: the customer's, else the shop's */
  timeZone: string | null;
  attempts: number;
  /** the provider's answer, bounded and without personal data (channels/types.ts) */
  lastError: string | null;
}

export interface MessageLogPage {
  messages: MessageLogEntry[];
  /** pass as `after` for the next page; null on the last one */
  next: string | null;
}

export const MAX_LOG_PAGE = 200;

/** A page of the campaign's messages by id (keyset: stable while rows change), optionally of one status. */
export async function campaignMessages(
  db: Db,
  shop: string,
  campaignId: string,
  options: { status?: OutboxStatus; after?: string | null; limit?: number } = {},
): Promise<MessageLogPage> {
  await getCampaign(db, shop, campaignId);
  const limit = Math.max(1, Math.min(MAX_LOG_PAGE, Math.floor(options.limit ?? 50)));
  const rows = await db.$queryRawUnsafe<Array<Omit<MessageLogEntry, "customerId"> & { customerId: string }>>(
    `SELECT m.id, m."sendKey", m."customerId"::text AS "customerId", c."firstName", c."lastName", m.segment, m.channel,
       m.status, m."skipReason", m."sendAt", m."sentAt", m."timeZone", m.attempts, m."lastError"
     FROM "OutboxMessage" m LEFT JOIN "Customer" c ON c.shop = m.shop AND c.id = m."customerId"
     WHERE m.shop = $1 AND m."campaignId" = $2 AND m.id > $3 AND ($4::text IS NULL OR m.status = $4::text)
     ORDER BY m.id LIMIT $5`,
    shop,
    campaignId,
    options.after ?? "",
    options.status ?? null,
    limit + 1,
  );
  const page = rows.slice(0, limit);
  return {
    messages: page.map((r) => ({
      id: r.id,
      sendKey: r.sendKey,
      customerId: r.customerId,
      firstName: r.firstName,
      lastName: r.lastName,
      segment: r.segment,
      channel: r.channel,
      status: r.status,
      skipReason: r.skipReason,
      sendAt: r.sendAt,
      sentAt: r.sentAt,
      timeZone: r.timeZone,
      attempts: r.attempts,
      lastError: r.lastError,
    })),
    next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
