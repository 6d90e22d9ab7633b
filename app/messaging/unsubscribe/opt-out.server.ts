import type { UnsubscribeChannel } from "./unsubscribe-token.server";
import { recordUnsubscribe, type RecordDeps } from "./unsubscribe.server";

// A customer who opted out without the link: replied STOP to a text (the incoming message, or
// Twilio's 21610 when we send or report). Recorded exactly as the link's unsubscribe is — the
// suppression, the local consent, and one write-back job to Shopify per suppression (its time is
// part of the job id), so a repeated STOP, a 21610 after it and its status callback queue nothing
// more.

export interface OptOutResult {
  /** customers whose suppression was recorded now (not there before) */
  created: number;
  /** write-back jobs asked for (the queue keeps one per job id) */
  queued: number;
}

export async function recordOptOuts(
  deps: RecordDeps,
  shop: string,
  channel: UnsubscribeChannel,
  customerIds: readonly bigint[],
): Promise<OptOutResult> {
  const ids = [...new Set(customerIds)];
  if (ids.length === 0) return { created: 0, queued: 0 };
  const now = deps.now?.() ?? new Date();
  const shopRow = await deps.prisma.shop.findUnique({
    where: { domain: shop },
    select: { uninstalledAt: true },
  });
  const installed = shopRow !== null && shopRow.uninstalledAt === null;
  const before = await deps.prisma.suppression.findMany({
    where: { shop, channel, reason: "unsubscribed", customerId: { in: ids } },
    select: { customerId: true },
  });
  let queued = 0;
  for (const customerId of ids) {
    const result = await recordUnsubscribe(
      { ...deps, now: () => now },
      { shop, customerId, channel },
      installed,
    );
    if (result.queued) queued += 1;
  }
  return { created: ids.length - before.length, queued };
}
