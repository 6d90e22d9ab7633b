import type { Checkout } from "../../sync/checkouts/checkout";
import type { FlowFileCustomer } from "./customer-line";
import type { FileOrder } from "./orders-file";

// What happens in the window, in the order the replay lives it: each a webhook (or the nightly
// rescore) the app would have processed at that moment. Pure.

export type Happening =
  /** the app's nightly full rescore, taken at 00:00 UTC */
  | { kind: "nightly_rescore"; at: Date }
  /** a checkouts/create|update: one version of a checkout, at its updatedAt */
  | { kind: "checkout"; at: Date; checkout: Checkout }
  /** an orders/create, at the order's createdAt */
  | { kind: "order"; at: Date; order: FileOrder }
  /** a customers/update that gave a marketing consent, at its consentUpdatedAt */
  | { kind: "consent"; at: Date; customerId: string; channel: "email" | "sms" };

/** At the same instant: the nightly rescore first, then checkouts, orders and consents, each by id. */
const RANK: Record<Happening["kind"], number> = { nightly_rescore: 0, checkout: 1, order: 2, consent: 3 };

const DAY_MS = 86_400_000;

function idOf(h: Happening): bigint {
  switch (h.kind) {
    case "nightly_rescore":
      return 0n;
    case "checkout":
      return h.checkout.id;
    case "order":
      return h.order.id;
    case "consent":
      return BigInt(h.customerId);
    default: {
      const never: never = h;
      throw new Error(`unknown happening ${String(never)}`);
    }
  }
}

export function compareHappenings(a: Happening, b: Happening): number {
  const ia = idOf(a);
  const ib = idOf(b);
  return a.at.getTime() - b.at.getTime() || RANK[a.kind] - RANK[b.kind] || (ia < ib ? -1 : ia > ib ? 1 : 0);
}

export interface HappeningInputs {
  customers: readonly FlowFileCustomer[];
  orders: readonly FileOrder[];
  checkouts: readonly Checkout[];
  from: Date;
  until: Date;
}

/** Everything in [from, until), sorted (stable: two versions of a checkout at one instant keep file order). */
export function happeningsOf({ customers, orders, checkouts, from, until }: HappeningInputs): Happening[] {
  const within = (at: Date | null): at is Date => at !== null && at >= from && at < until;
  const all: Happening[] = [];
  // the midnights after --from (the scores at --from are where the replay starts)
  for (let t = Math.floor(from.getTime() / DAY_MS) * DAY_MS + DAY_MS; t < until.getTime(); t += DAY_MS)
    all.push({ kind: "nightly_rescore", at: new Date(t) });
  for (const checkout of checkouts)
    if (within(checkout.updatedAt)) all.push({ kind: "checkout", at: checkout.updatedAt, checkout });
  for (const order of orders)
    if (within(order.shopifyCreatedAt)) all.push({ kind: "order", at: order.shopifyCreatedAt, order });
  for (const c of customers) {
    const customerId = c.id.toString();
    if (c.emailMarketingState === "SUBSCRIBED" && within(c.emailConsentUpdatedAt))
      all.push({ kind: "consent", at: c.emailConsentUpdatedAt, customerId, channel: "email" });
    if (c.smsMarketingState === "SUBSCRIBED" && within(c.smsConsentUpdatedAt))
      all.push({ kind: "consent", at: c.smsConsentUpdatedAt, customerId, channel: "sms" });
  }
  return all.sort(compareHappenings);
}
