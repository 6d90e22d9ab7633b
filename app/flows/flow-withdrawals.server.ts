import type { PrismaClient } from "@prisma/client";
import type { OutboxRow } from "../messaging/dispatch/message";
import { CheckoutLineItems } from "../sync/checkouts/checkout";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS } from "./built-in";
import { readProductStock } from "../sync/checkouts/read-checkouts.server";
import { offerable } from "./step-facts.server";

// Right before a sender hands claimed flow messages to a provider: the facts may have changed since
// their step was decided (a second ago, or minutes when a provider refused or a worker died in
// between). A message whose customer has ordered since the trigger (in a flow that ends on an
// order), whose enrollment has ended, or whose cart shows an item sold out since, is withdrawn.

type Db = Pick<PrismaClient, "outboxMessage" | "flowEnrollment" | "order" | "checkout" | "product">;

const EXIT_ON_ORDER = new Set<string>(
  BUILT_IN_FLOW_KEYS.filter((key) => BUILT_IN_FLOWS[key].definition.exitWhen.includes("order_placed")),
);

/** The claimed rows that must not go out any more, with the skip reason. */
export async function withdrawnFlowMessages(
  db: Db,
  shop: string,
  rows: readonly OutboxRow[],
  now: Date = new Date(),
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (rows.length === 0) return out;
  const links = await db.outboxMessage.findMany({
    where: { shop, id: { in: rows.map((r) => r.id) }, enrollmentId: { not: null } },
    select: { id: true, enrollmentId: true },
  });
  const enrollmentIds = [...new Set(links.flatMap((l) => (l.enrollmentId ? [l.enrollmentId] : [])))];
  if (enrollmentIds.length === 0) return out;
  const enrollments = await db.flowEnrollment.findMany({
    where: { shop, id: { in: enrollmentIds } },
    select: { id: true, flowKey: true, triggerEntityId: true, customerId: true, triggeredAt: true, status: true, exitReason: true },
  });
  const byId = new Map(enrollments.map((e) => [e.id, e]));
  const ordering = enrollments.filter((e) => EXIT_ON_ORDER.has(e.flowKey));
  const since = Math.min(...ordering.map((e) => e.triggeredAt.getTime()));
  const checkoutIds = enrollments.flatMap((e) =>
    e.flowKey === "abandoned_checkout" && /^\d+$/.test(e.triggerEntityId) ? [BigInt(e.triggerEntityId)] : [],
  );
  const [orders, checkouts] = await Promise.all([
    ordering.length === 0
      ? []
      : db.order.findMany({
          where: {
            shop,
            customerId: { in: [...new Set(ordering.map((e) => e.customerId))] },
            cancelledAt: null,
            test: false,
            shopifyCreatedAt: { gte: new Date(since) },
          },
          select: { id: true, customerId: true, shopifyCreatedAt: true },
        }),
    db.checkout.findMany({ where: { shop, id: { in: checkoutIds } }, select: { id: true, completedAt: true, lineItems: true } }),
  ]);
  const items = new Map(checkouts.map((k) => [k.id.toString(), CheckoutLineItems.safeParse(k.lineItems)]));
  const productIds = [...items.values()].flatMap((parsed) =>
    parsed.success ? parsed.data.flatMap((i) => (i.productId === null ? [] : [i.productId])) : [],
  );
  const products = await readProductStock(db, shop, productIds);
  const enrollmentOf = new Map(links.map((l) => [l.id, l.enrollmentId ? byId.get(l.enrollmentId) : undefined]));
  for (const row of rows) {
    const e = enrollmentOf.get(row.id);
    if (!e) continue;
    if (e.status === "exited" && e.exitReason) {
      out.set(row.id, e.exitReason);
      continue;
    }
    const checkout = checkouts.find((k) => k.id.toString() === e.triggerEntityId);
    const ordered =
      EXIT_ON_ORDER.has(e.flowKey) &&
      ((e.flowKey === "abandoned_checkout" && checkout?.completedAt) ||
        orders.some((o) => o.customerId === e.customerId && o.shopifyCreatedAt >= e.triggeredAt && o.id.toString() !== e.triggerEntityId));
    if (ordered) {
      out.set(row.id, "converted");
      continue;
    }
    // A line the message shows whose product, or variant, cannot be bought any more.
    const cart = items.get(e.triggerEntityId);
    const shown = row.payload?.checkout?.lines ?? [];
    if (!cart?.success || shown.length === 0) continue;
    const soldOut = shown.some((line) => {
      const same = cart.data.filter((i) => i.title === line.title && i.productId !== null);
      return same.length > 0 && same.every((i) => i.productId !== null && !offerable(products.get(i.productId), i.variantId?.toString() ?? null, now));
    });
    if (soldOut) out.set(row.id, "sold_out");
  }
  return out;
}
