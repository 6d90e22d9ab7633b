import type { PrismaClient } from "@prisma/client";

// Deliveries are kept for idempotency (a redelivery within days is recognised by its id) and to
// show failures; after that their payloads are personal data the app has no reason to keep.

const DAY_MS = 86_400_000;
export const KEEP_PROCESSED_DAYS = 7;
export const KEEP_FAILED_DAYS = 30;
// Small deletes, so that the intake's inserts never wait long behind one.
const CHUNK = 5_000;

export async function pruneDeliveries(
  prisma: Pick<PrismaClient, "$executeRawUnsafe">,
  now: Date,
): Promise<{ deleted: number }> {
  let deleted = 0;
  for (const [status, days] of [
    ["processed", KEEP_PROCESSED_DAYS],
    ["failed", KEEP_FAILED_DAYS],
  ] as const) {
    const before = new Date(now.getTime() - days * DAY_MS).toISOString();
    for (;;) {
      const n = await prisma.$executeRawUnsafe(
        `DELETE FROM "WebhookDelivery" WHERE id IN (
           SELECT id FROM "WebhookDelivery" WHERE status = $1 AND "receivedAt" < ($2::timestamptz AT TIME ZONE 'UTC')
           LIMIT ${CHUNK})`,
        status,
        before,
      );
      deleted += n;
      if (n < CHUNK) break;
    }
  }
  return { deleted };
}
