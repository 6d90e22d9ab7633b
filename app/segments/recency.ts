import { recencyDays } from "./rfm";

// Recency is not stored per customer (it would change every night for every buyer and make each
// rescore rewrite them all): it is derived from the last order and the shop's last full scoring.

/**
 * recency_days as of the shop's last full scoring; null without a scoring or an order. An order
 * placed since (its customer was rescored by a webhook then) shows 0 days, not a negative number.
 */
export function shownRecencyDays(scoredAt: Date | null, lastOrderAt: Date | null): number | null {
  if (scoredAt === null || lastOrderAt === null) return null;
  return Math.max(0, recencyDays(scoredAt, lastOrderAt));
}
