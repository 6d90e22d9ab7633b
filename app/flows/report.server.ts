import { Prisma, type PrismaClient } from "@prisma/client";
import { displayZone, formatDateTime, formatOptionalDateTime } from "../ui/format-time";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS, type BuiltInFlowKey } from "./built-in";
import { flowIdFor } from "./ids";
import { programFor } from "./program";
import { flowTemplateStep, stepName } from "./templates";

// What the flows have done in a shop, read live from the enrollments and the flows' outbox rows:
// per flow, how many customers entered, wait, finished or left (and why), how many were held out,
// and its messages by status and skip reason; and one customer's way through the flows, step by
// step, with times on the shop's clock. Every query is scoped by shop.

export interface FlowCounts {
  /** customers who entered (one per trigger entity: a checkout, an order, a segment change, a consent) */
  entered: number;
  /** waiting on a step now */
  waiting: number;
  /** walked every step */
  done: number;
  /** left early, by reason: converted (they ordered), unsubscribed, segment_left, flow_disabled */
  exited: Record<string, number>;
  /** exited because they ordered */
  converted: number;
  /** customers held out (they walk the steps but receive nothing), to measure lift */
  heldOut: number;
  /** the flow's messages by outbox status: queued, sending, sent, failed, skipped, holdout */
  messages: Record<string, number>;
  sent: number;
  /** messages not sent, by reason (no_consent, capped, sold_out, converted …) */
  skipped: Record<string, number>;
}

const emptyCounts = (): FlowCounts => ({
  entered: 0,
  waiting: 0,
  done: 0,
  exited: {},
  converted: 0,
  heldOut: 0,
  messages: {},
  sent: 0,
  skipped: {},
});

const isKey = (k: string): k is BuiltInFlowKey => BUILT_IN_FLOW_KEYS.some((x) => x === k);
const add = (record: Record<string, number>, key: string, n: number) => {
  record[key] = (record[key] ?? 0) + n;
};

type Reader = Pick<PrismaClient, "$queryRaw">;

/** Live counts of every built-in flow of the shop. */
export async function flowCounts(prisma: Reader, shop: string): Promise<Record<BuiltInFlowKey, FlowCounts>> {
  const out: Record<BuiltInFlowKey, FlowCounts> = {
    abandoned_checkout: emptyCounts(),
    welcome: emptyCounts(),
    win_back: emptyCounts(),
    vip_recognition: emptyCounts(),
    post_purchase_cross_sell: emptyCounts(),
  };
  const ids = new Map(BUILT_IN_FLOW_KEYS.map((k) => [flowIdFor(shop, k), k]));
  const [enrollments, messages] = await Promise.all([
    prisma.$queryRaw<
      Array<{ flowKey: string; status: string; exitReason: string | null; holdout: boolean; n: number }>
    >`
      SELECT "flowKey", status, "exitReason", holdout, count(*)::int AS n
      FROM "FlowEnrollment" WHERE shop = ${shop} GROUP BY 1, 2, 3, 4`,
    prisma.$queryRaw<Array<{ campaignId: string; status: string; skipReason: string | null; n: number }>>`
      SELECT "campaignId", status, "skipReason", count(*)::int AS n
      FROM "OutboxMessage" WHERE shop = ${shop} AND "campaignId" IN (${Prisma.join([...ids.keys()])})
      GROUP BY 1, 2, 3`,
  ]);
  for (const row of enrollments) {
    if (!isKey(row.flowKey)) continue;
    const c = out[row.flowKey];
    c.entered += row.n;
    if (row.holdout) c.heldOut += row.n;
    if (row.status === "waiting") c.waiting += row.n;
    else if (row.status === "done") c.done += row.n;
    else if (row.status === "exited") {
      add(c.exited, row.exitReason ?? "unknown", row.n);
      if (row.exitReason === "converted") c.converted += row.n;
    }
  }
  for (const row of messages) {
    const key = ids.get(row.campaignId);
    if (!key) continue;
    const c = out[key];
    add(c.messages, row.status, row.n);
    if (row.status === "sent") c.sent += row.n;
    if (row.status === "skipped") add(c.skipped, row.skipReason ?? "unknown", row.n);
  }
  return out;
}

function stepAt(flowKey: string, index: number | null): string | null {
  if (!isKey(flowKey) || index === null) return null;
  const step = programFor(BUILT_IN_FLOWS[flowKey].definition.steps)[index]?.step;
  return step ? stepName(step.id) : `Step ${index + 1}`;
}

export interface TimelineMessage {
  id: string;
  step: string;
  templateKey: string;
  channel: string;
  status: string;
  skipReason: string | null;
  /** when it went out (or would have, for a holdout), else when it is due */
  sendAt: string | null;
  sentAt: string | null;
  lastError: string | null;
}

export interface TimelineEnrollment {
  id: string;
  flowKey: string;
  flowName: string;
  triggerEntityId: string;
  triggeredAt: string;
  status: string;
  exitReason: string | null;
  holdout: boolean;
  /** the step it waits on, while waiting */
  waitingOn: { step: string | null; dueAt: string | null; wakeAt: string | null } | null;
  messages: TimelineMessage[];
}

export interface CustomerTimeline {
  customerId: string;
  customer: { id: string; firstName: string | null; lastName: string | null; email: string | null } | null;
  zone: string;
  enrollments: TimelineEnrollment[];
}

type TimelineReader = Pick<PrismaClient, "flowEnrollment" | "outboxMessage" | "customer" | "shop">;

/** The shop's time zone for display (UTC until the first sync). */
export async function shopZone(prisma: Pick<PrismaClient, "shop">, shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return displayZone(row?.ianaTimezone);
}

/** One customer's enrollments in the shop's flows (newest first, at most `limit`), each with its messages in order. */
export async function customerTimeline(
  prisma: TimelineReader,
  shop: string,
  customerId: bigint,
  options: { flowKey?: BuiltInFlowKey; limit?: number } = {},
): Promise<CustomerTimeline> {
  const [zone, customer, enrollments] = await Promise.all([
    shopZone(prisma, shop),
    prisma.customer.findUnique({
      where: { shop_id: { shop, id: customerId } },
      select: { firstName: true, lastName: true, email: true },
    }),
    prisma.flowEnrollment.findMany({
      where: { shop, customerId, ...(options.flowKey ? { flowKey: options.flowKey } : {}) },
      orderBy: [{ triggeredAt: "desc" }, { id: "asc" }],
      take: options.limit ?? 50,
    }),
  ]);
  const messages = await prisma.outboxMessage.findMany({
    where: { shop, enrollmentId: { in: enrollments.map((e) => e.id) } },
    orderBy: [{ sendAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  const time = (d: Date | null) => formatOptionalDateTime(d, zone);
  return {
    customerId: String(customerId),
    customer: customer ? { id: String(customerId), ...customer } : null,
    zone,
    enrollments: enrollments.map((e) => ({
      id: e.id,
      flowKey: e.flowKey,
      flowName: isKey(e.flowKey) ? BUILT_IN_FLOWS[e.flowKey].definition.name : e.flowKey,
      triggerEntityId: e.triggerEntityId,
      triggeredAt: formatDateTime(e.triggeredAt, zone),
      status: e.status,
      exitReason: e.exitReason,
      holdout: e.holdout,
      waitingOn:
        e.status === "waiting"
          ? { step: stepAt(e.flowKey, e.stepIndex), dueAt: time(e.dueAt), wakeAt: time(e.wakeAt) }
          : null,
      messages: messages
        .filter((m) => m.enrollmentId === e.id)
        .map((m) => {
          const step = flowTemplateStep(m.sendKey);
          return {
            id: m.id,
            step: step ? stepName(step.stepId) : m.sendKey,
            templateKey: m.sendKey,
            channel: m.channel,
            status: m.status,
            skipReason: m.skipReason,
            sendAt: time(m.sendAt),
            sentAt: time(m.sentAt),
            lastError: m.lastError,
          };
        }),
    })),
  };
}
