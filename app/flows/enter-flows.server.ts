import type { Prisma, PrismaClient } from "@prisma/client";
import { isSegment } from "../segments/rules";
import { endedByOrders, enter, type PastEnrollment } from "./enter";
import type { FlowDefinition } from "./definition";
import { transitionEventsSince } from "./flow-events.server";
import type { FlowEvent } from "./model";
import { loadShopFlows } from "./shop-flows.server";

// Events become enrollments, in the transaction that stored the data they come from (a webhook
// batch): an event is never lost between the two, and a redelivered webhook finds its enrollment
// (the id is deterministic) and adds nothing.

type Tx = Pick<
  Prisma.TransactionClient,
  "flow" | "flowEnrollment" | "customer" | "customerScore" | "shop" | "$executeRawUnsafe"
>;

export interface EnterResult {
  entered: number;
  /** customers whose waiting enrollments should be decided now (an order may end them) */
  woken: number;
  /** flow messages not yet handed to a provider, withdrawn because the customer ordered */
  withdrawn: number;
}

export async function enterFlows(
  tx: Tx,
  shop: string,
  events: readonly FlowEvent[],
  now: Date,
): Promise<EnterResult> {
  if (events.length === 0) return { entered: 0, woken: 0, withdrawn: 0 };
  const shopFlows = await loadShopFlows(tx, shop);
  const flows = shopFlows.filter((f) => f.enabled);
  // An order may end a waiting enrollment: decide those now rather than at their next step.
  const ordering = [
    ...new Set(
      events
        .filter((e) => e.type === "order_placed")
        .flatMap((e) => (e.customerId ? [BigInt(e.customerId)] : [])),
    ),
  ];
  const wakeable = [...endedByOrders(shopFlows)];
  const woken =
    ordering.length > 0 && wakeable.length > 0
      ? (
          await tx.flowEnrollment.updateMany({
            where: {
              shop,
              customerId: { in: ordering },
              flowKey: { in: wakeable },
              status: "waiting",
              wakeAt: { gt: now },
            },
            data: { wakeAt: now },
          })
        ).count
      : 0;
  const withdrawn = await withdrawOnOrder(tx, shop, events, shopFlows);
  if (flows.length === 0) return { entered: 0, woken, withdrawn };

  const ids = [...new Set(events.flatMap((e) => (e.customerId ? [BigInt(e.customerId)] : [])))];
  const [shopRow, customers, scores, past] = await Promise.all([
    tx.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } }),
    tx.customer.findMany({ where: { shop, id: { in: ids } }, select: { id: true, timeZone: true } }),
    tx.customerScore.findMany({
      where: { shop, customerId: { in: ids } },
      select: { customerId: true, segment: true },
    }),
    tx.flowEnrollment.findMany({
      where: { shop, customerId: { in: ids } },
      select: { customerId: true, flowKey: true, triggerEntityId: true, triggeredAt: true },
    }),
  ]);
  const zone = new Map(customers.map((c) => [c.id.toString(), c.timeZone]));
  const segment = new Map(scores.map((s) => [s.customerId.toString(), s.segment]));
  const history = new Map<string, PastEnrollment[]>();
  for (const p of past)
    history.set(p.customerId.toString(), [...(history.get(p.customerId.toString()) ?? []), p]);

  const created: Prisma.FlowEnrollmentCreateManyInput[] = [];
  for (const event of events) {
    if (!event.customerId || !zone.has(event.customerId)) continue;
    const seg = segment.get(event.customerId) ?? null;
    const state = {
      shop: { shop, timeZone: shopRow?.ianaTimezone ?? "UTC" },
      customer: {
        segment: seg !== null && isSegment(seg) ? seg : null,
        timeZone: zone.get(event.customerId) ?? null,
      },
    };
    for (const flow of flows) {
      const enrollments = history.get(event.customerId) ?? [];
      const decision = enter(flow, event, state, { enrollments }, now);
      if (decision.kind !== "enter") continue;
      const { enrollment, first } = decision;
      history.set(event.customerId, [
        ...enrollments,
        {
          flowKey: flow.key,
          triggerEntityId: enrollment.triggerEntityId,
          triggeredAt: enrollment.triggeredAt,
        },
      ]);
      created.push({
        id: enrollment.id,
        shop,
        flowKey: flow.key,
        triggerEntityId: enrollment.triggerEntityId,
        customerId: BigInt(enrollment.customerId),
        triggeredAt: enrollment.triggeredAt,
        triggerSegment: enrollment.triggerSegment,
        holdout: enrollment.holdout,
        status: "waiting",
        stepIndex: first.index,
        dueAt: first.dueAt,
        wakeAt: first.wakeAt,
        decided: [...first.decided],
      });
    }
  }
  const { count } = created.length
    ? await tx.flowEnrollment.createMany({ data: created, skipDuplicates: true })
    : { count: 0 };
  return { entered: count, woken, withdrawn };
}

/**
 * An order ends the flows that exit on one: their messages still queued (decided, not yet claimed
 * by a sender) are withdrawn in the transaction that stores the order, so none goes out after it.
 * A message a sender has already claimed is on its way and cannot be called back.
 */
async function withdrawOnOrder(
  tx: Tx,
  shop: string,
  events: readonly FlowEvent[],
  flows: readonly FlowDefinition[],
): Promise<number> {
  const orders = events.flatMap((e) =>
    e.type === "order_placed" && e.customerId
      ? [{ c: e.customerId, at: e.occurredAt.toISOString(), o: e.orderId }]
      : [],
  );
  const keys = flows.filter((f) => f.exitWhen.includes("order_placed")).map((f) => f.key);
  if (orders.length === 0 || keys.length === 0) return 0;
  return tx.$executeRawUnsafe(
    `UPDATE "OutboxMessage" m SET status = 'skipped', "skipReason" = 'converted',
       "updatedAt" = now() AT TIME ZONE 'UTC'
     FROM "FlowEnrollment" e, jsonb_to_recordset($2::jsonb) AS o(c text, at text, o text)
     WHERE m.shop = $1 AND m.status = 'queued' AND m."enrollmentId" = e.id
       AND e.shop = $1 AND e."customerId" = o.c::bigint AND e."flowKey" = ANY($3::text[])
       AND e."triggeredAt" <= (o.at::timestamptz AT TIME ZONE 'UTC') AND e."triggerEntityId" <> o.o`,
    shop,
    JSON.stringify(orders),
    keys,
  );
}

/** After a shop-wide rescore: its segment transitions enter the flows, a page per transaction. */
export async function enterFlowsAfterRescore(
  prisma: PrismaClient,
  shop: string,
  since: Date,
  now: Date,
  { page = 1_000 }: { page?: number } = {},
): Promise<number> {
  let entered = 0;
  let after: string | undefined;
  for (;;) {
    const events = await transitionEventsSince(prisma, shop, since, { after, limit: page });
    if (events.length === 0) return entered;
    entered += (await prisma.$transaction((tx) => enterFlows(tx, shop, events, now))).entered;
    const last = events[events.length - 1];
    after = last?.type === "segment_entered" ? last.transitionId : undefined;
    if (events.length < page || !after) return entered;
  }
}
