import type { Prisma } from "@prisma/client";
import { isSegment } from "../segments/rules";
import type { AppliedChanges } from "../sync/webhooks/process-webhook.server";
import type { FlowEvent } from "./model";

// What the sync stored, as the events flows enter on: a checkout's activity, an order, a marketing
// consent given, a segment entered (the transitions the rescore of the same transaction recorded).

export async function flowEventsFrom(
  tx: Pick<Prisma.TransactionClient, "segmentTransition">,
  shop: string,
  applied: AppliedChanges,
  since: Date,
): Promise<FlowEvent[]> {
  const events: FlowEvent[] = [];
  const base = { causedByFlow: null };
  for (const k of applied.checkouts)
    events.push({
      ...base,
      type: "checkout_activity",
      customerId: k.customerId?.toString() ?? null,
      checkoutId: k.id.toString(),
      occurredAt: k.shopifyUpdatedAt,
      completedAt: k.completedAt,
    });
  for (const o of applied.orders)
    if (!o.test && o.cancelledAt === null)
      events.push({ ...base, type: "order_placed", customerId: o.customerId?.toString() ?? null, orderId: o.id.toString(), occurredAt: o.shopifyCreatedAt });
  for (const c of applied.customers) {
    if (c.emailMarketingState === "SUBSCRIBED" && c.emailConsentUpdatedAt)
      events.push({ ...base, type: "marketing_consent_granted", channel: "email", customerId: c.id.toString(), occurredAt: c.emailConsentUpdatedAt });
    if (c.smsMarketingState === "SUBSCRIBED" && c.smsConsentUpdatedAt)
      events.push({ ...base, type: "marketing_consent_granted", channel: "sms", customerId: c.id.toString(), occurredAt: c.smsConsentUpdatedAt });
  }
  if (applied.customerIds.length > 0) {
    const transitions = await tx.segmentTransition.findMany({
      where: { shop, customerId: { in: applied.customerIds }, at: { gte: since } },
      select: { id: true, customerId: true, toSegment: true, at: true },
    });
    for (const t of transitions)
      if (isSegment(t.toSegment))
        events.push({ ...base, type: "segment_entered", customerId: t.customerId.toString(), transitionId: t.id, segment: t.toSegment, occurredAt: t.at });
  }
  return events;
}

/** Segment transitions a shop-wide rescore recorded (customers become lapsed with time, not with a webhook), as events. */
export async function transitionEventsSince(
  db: Pick<Prisma.TransactionClient, "segmentTransition">,
  shop: string,
  since: Date,
  { after, limit }: { after?: string; limit: number },
): Promise<FlowEvent[]> {
  const transitions = await db.segmentTransition.findMany({
    where: { shop, at: { gte: since }, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, customerId: true, toSegment: true, at: true },
  });
  return transitions.flatMap((t): FlowEvent[] =>
    isSegment(t.toSegment)
      ? [{ type: "segment_entered", causedByFlow: null, customerId: t.customerId.toString(), transitionId: t.id, segment: t.toSegment, occurredAt: t.at }]
      : [],
  );
}
