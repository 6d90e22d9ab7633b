import { createHash } from "node:crypto";

// Deterministic ids. A message id is also its idempotency key: providers see it, so a message sent
// again after a crash carries the same key. Both fit `[A-Za-z0-9._:@-]{1,200}` (channels/types.ts).

const hex40 = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 40);

/** The campaign of `key` ("cyber-week-2026:vip") in `shop`: the same on every run, so no copies. */
export function campaignIdFor(shop: string, key: string): string {
  return `c_${hex40(`campaign\n${shop}\n${key}`)}`;
}

/** One message: (shop, campaign, send, customer, channel). */
export function messageIdFor(
  shop: string,
  campaignId: string,
  sendKey: string,
  customerId: string,
  channel: string,
): string {
  return `m_${hex40(`message\n${shop}\n${campaignId}\n${sendKey}\n${customerId}\n${channel}`)}`;
}
