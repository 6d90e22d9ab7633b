import type { PrismaClient } from "@prisma/client";
import type { MessageSource } from "../dispatch/source";
import { complaintPauseReason, complaintRateTooHigh, type ComplaintCount } from "./complaint-rate";
import { SUPPRESSED_NOTE_PREFIX } from "./suppression";

export interface ComplaintPauseDeps {
  prisma: Pick<PrismaClient, "$queryRawUnsafe">;
  source: Pick<MessageSource, "pause">;
  log: (line: string) => void;
}

// After a spam complaint: the email campaign it came from is paused when its complaint rate is
// too high (complaint-rate.ts), with the reason kept for the campaign page. The merchant decides
// whether to resume; the lanes stop claiming within a fraction of a second of the pause.

const COMPLAINED_NOTE = `${SUPPRESSED_NOTE_PREFIX}complained)%`;

export async function pauseOnComplaintRate(
  deps: ComplaintPauseDeps,
  shop: string,
  messageId: string,
): Promise<{ paused: boolean; count?: ComplaintCount }> {
  const [row] = await deps.prisma.$queryRawUnsafe<
    Array<{ campaignId: string; sent: number; complaints: number }>
  >(
    `SELECT m."campaignId", count(*) FILTER (WHERE o.status = 'sent')::int AS sent,
       count(*) FILTER (WHERE o.status = 'sent' AND o."lastError" LIKE $3)::int AS complaints
     FROM "OutboxMessage" m JOIN "OutboxMessage" o ON o.shop = m.shop AND o."campaignId" = m."campaignId"
       AND o.channel = 'email'
     WHERE m.id = $1 AND m.shop = $2
     GROUP BY m."campaignId"`,
    messageId,
    shop,
    COMPLAINED_NOTE,
  );
  if (!row) return { paused: false };
  const count = { sent: row.sent, complaints: row.complaints };
  if (!complaintRateTooHigh(count)) return { paused: false, count };
  const change = await deps.source.pause(shop, row.campaignId, complaintPauseReason(count));
  if (!change.changed) return { paused: false, count };
  deps.log(
    `campaign ${row.campaignId} (${shop}) paused: ${count.complaints} complaints of ${count.sent} sent`,
  );
  return { paused: true, count };
}
