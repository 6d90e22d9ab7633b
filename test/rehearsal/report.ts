import { wallAt, startOfWallDay, MINUTE_MS } from "../../app/messaging/rules/time-zone";
import { lateness, queueLag, segmentFreshness, summary, type Summary } from "./stats";

// What the rehearsal found, from what it sent, what the app stored and what the sinks received.
// Pure: the collector reads the database and the sinks into RehearsalFacts; this computes the
// figures and the checks that must be zero.

export interface FactsMessage {
  id: string;
  flowKey: string;
  /** the template key: which step of the flow */
  sendKey: string;
  enrollmentId: string | null;
  customerId: string;
  channel: string;
  status: string;
  skipReason: string | null;
  createdAt: number;
  sentAt: number | null;
  sendAt: number | null;
  /** the zone its local times are read in (the customer's, else the shop's) */
  timeZone: string;
  /** titles of the cart lines and products it shows */
  titles: string[];
  /** acceptances of its key at the provider's sink */
  receipts: number;
  /** why it failed, when it did */
  lastError: string | null;
}

export interface FactsEnrollment {
  id: string;
  flowKey: string;
  customerId: string;
  triggeredAt: number;
  status: string;
  wakeAt: number | null;
}

/** A step the rehearsal knows the due time of (it chose the events' times). */
export interface DueStep {
  enrollmentId: string;
  sendKey: string;
  dueAt: number;
  /** the due time moved into the customer's SMS hours */
  smsDueAt: number;
  /** the earliest the app may take it to be due (a later webhook moving it may not be stored yet) */
  earliestAt: number;
}

export interface RehearsalFacts {
  startedAt: number;
  /** when the app's rows were read: steps and messages due `settleMs` before it must be settled */
  endedAt: number;
  settleMs: number;
  answers: ReadonlyArray<{ ms: number; status: number; attempts: number }>;
  backlog: ReadonlyArray<{ at: number; received: number; done: number }>;
  webhooksNotProcessed: number;
  orderReceipts: ReadonlyArray<{ customerId: string; receivedAt: number }>;
  transitions: ReadonlyArray<{ customerId: string; at: number }>;
  dueSteps: readonly DueStep[];
  messages: readonly FactsMessage[];
  enrollments: readonly FactsEnrollment[];
  /** orders stored by the app: when placed and when stored */
  orders: ReadonlyArray<{ customerId: string; placedAt: number; storedAt: number }>;
  /** products sold out during the run: from when the app had stored it */
  soldOut: ReadonlyArray<{ title: string; knownAt: number }>;
  /** per flow: the most messages one enrollment can send */
  maxMessages: Readonly<Record<string, number>>;
  /** flows that end on an order */
  exitOnOrder: readonly string[];
}

export const SMS_HOURS = { startMinute: 8 * 60, endMinute: 21 * 60 } as const;
const EXITS = new Set([
  "converted",
  "unsubscribed",
  "segment_left",
  "flow_disabled",
  "customer_missing",
  "unknown_flow",
]);
const PENDING = new Set(["planned", "queued", "sending"]);
const GOING = new Set(["queued", "sending", "sent"]);

export interface Violation {
  check: string;
  messageId?: string;
  enrollmentId?: string;
  detail: string;
}

export interface RehearsalReport {
  webhooks: { answered: number; non200: number; retried: number; answerMs: Summary };
  queueLagMs: Summary;
  segmentFreshnessMs: Summary & { ordersThatMovedASegment: number };
  stepLatenessMs: Summary & { steps: number; notMeasured: number };
  decisionLatenessMs: Summary;
  messages: {
    byStatus: Record<string, number>;
    skippedByReason: Record<string, number>;
    failedBecause: Record<string, number>;
    byFlow: Record<string, Record<string, number>>;
  };
  checks: {
    lost: { total: number; webhooks: number; dueStepsNotDecided: number; messagesNotSent: number };
    duplicates: number;
    sendsAfterConversion: { total: number; decidedAfterTheOrder: number; decidedBeforeSentAfter: number };
    customersInLoops: number;
    soldOutRecommended: { total: number; decidedAfterSoldOut: number; soldOutBetweenDecisionAndSend: number };
    smsOutsideHours: number;
    /** a step decided (a message sent or skipped) before it was due */
    decidedEarly: number;
  };
  target: { stepLatenessP99Ms: number; met: boolean };
  violations: Violation[];
}

const count = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Minutes past local midnight in `timeZone`. */
export function localMinute(at: number, timeZone: string): number {
  const wall = wallAt(at, timeZone);
  return Math.floor((wall - startOfWallDay(wall)) / MINUTE_MS);
}

export function computeReport(f: RehearsalFacts, targetP99Ms = 60_000): RehearsalReport {
  const violations: Violation[] = [];
  const cutoff = f.endedAt - f.settleMs;
  const flowMessages = f.messages;
  const enrollment = new Map(f.enrollments.map((e) => [e.id, e]));

  const dueStepsNotDecided = f.enrollments.filter(
    (e) => e.status === "waiting" && e.wakeAt !== null && e.wakeAt < cutoff,
  );
  for (const e of dueStepsNotDecided)
    violations.push({
      check: "lost",
      enrollmentId: e.id,
      detail: `waiting, due ${new Date(e.wakeAt ?? 0).toISOString()}`,
    });
  const notSent = flowMessages.filter((m) => PENDING.has(m.status) && (m.sendAt ?? m.createdAt) < cutoff);
  for (const m of notSent)
    violations.push({
      check: "lost",
      messageId: m.id,
      detail: `${m.status} since ${new Date(m.sendAt ?? m.createdAt).toISOString()}`,
    });
  const webhooksLost = f.webhooksNotProcessed + f.answers.filter((a) => a.status !== 200).length;

  let duplicates = 0;
  for (const m of flowMessages)
    if (m.receipts > 1) {
      duplicates += m.receipts - 1;
      violations.push({
        check: "duplicates",
        messageId: m.id,
        detail: `${m.receipts} receipts at the ${m.channel} sink`,
      });
    }

  // A message that went out after the app had stored the customer's order placed since the trigger.
  const ordersOf = new Map<string, Array<{ placedAt: number; storedAt: number }>>();
  for (const o of f.orders) ordersOf.set(o.customerId, [...(ordersOf.get(o.customerId) ?? []), o]);
  const conversion = { total: 0, decidedAfterTheOrder: 0, decidedBeforeSentAfter: 0 };
  for (const m of flowMessages) {
    const e = m.enrollmentId ? enrollment.get(m.enrollmentId) : undefined;
    if (m.sentAt === null || !e || !f.exitOnOrder.includes(m.flowKey)) continue;
    const order = (ordersOf.get(m.customerId) ?? []).find(
      (o) => o.placedAt >= e.triggeredAt && o.storedAt < (m.sentAt ?? 0),
    );
    if (!order) continue;
    conversion.total += 1;
    if (m.createdAt > order.storedAt) conversion.decidedAfterTheOrder += 1;
    else conversion.decidedBeforeSentAfter += 1;
    violations.push({
      check: "sendsAfterConversion",
      messageId: m.id,
      detail: `order stored ${new Date(order.storedAt).toISOString()}, decided ${new Date(m.createdAt).toISOString()}, sent ${new Date(m.sentAt).toISOString()}`,
    });
  }

  const perCustomerFlow = count(
    flowMessages.filter((m) => GOING.has(m.status)),
    (m) => `${m.customerId} ${m.flowKey}`,
  );
  let loops = 0;
  for (const [key, n] of Object.entries(perCustomerFlow)) {
    const flowKey = key.split(" ")[1] ?? "";
    if (n > (f.maxMessages[flowKey] ?? Infinity)) {
      loops += 1;
      violations.push({
        check: "customersInLoops",
        detail: `customer ${key.split(" ")[0]} got ${n} messages of ${flowKey}`,
      });
    }
  }

  const soldOutAt = new Map(f.soldOut.map((s) => [s.title, s.knownAt]));
  const soldOut = { total: 0, decidedAfterSoldOut: 0, soldOutBetweenDecisionAndSend: 0 };
  for (const m of flowMessages) {
    if (m.sentAt === null) continue;
    const title = m.titles.find((t) => (soldOutAt.get(t) ?? Infinity) < (m.sentAt ?? 0));
    if (title === undefined) continue;
    soldOut.total += 1;
    if (m.createdAt > (soldOutAt.get(title) ?? 0)) soldOut.decidedAfterSoldOut += 1;
    else soldOut.soldOutBetweenDecisionAndSend += 1;
    violations.push({
      check: "soldOutRecommended",
      messageId: m.id,
      detail: `"${title}" sold out since ${iso(soldOutAt.get(title) ?? 0)}; ${m.flowKey} ${m.sendKey} decided ${iso(m.createdAt)}, sent ${iso(m.sentAt)}`,
    });
  }

  let smsOutside = 0;
  for (const m of flowMessages) {
    if (m.channel !== "sms" || m.sentAt === null) continue;
    const minute = localMinute(m.sentAt, m.timeZone);
    if (minute >= SMS_HOURS.startMinute && minute < SMS_HOURS.endMinute) continue;
    smsOutside += 1;
    violations.push({
      check: "smsOutsideHours",
      messageId: m.id,
      detail: `sent ${new Date(m.sentAt).toISOString()} (${m.timeZone})`,
    });
  }

  // No step goes before its time: a row (other than an exit's) stored before the step was due.
  const stepOf = new Map(f.dueSteps.map((s) => [`${s.enrollmentId} ${s.sendKey}`, s]));
  let early = 0;
  for (const m of flowMessages) {
    const s = stepOf.get(`${m.enrollmentId} ${m.sendKey}`);
    if (!s || (m.skipReason !== null && EXITS.has(m.skipReason)) || m.createdAt >= s.earliestAt - 1_000)
      continue;
    early += 1;
    violations.push({
      check: "decidedEarly",
      messageId: m.id,
      detail: `${m.status} ${new Date(m.createdAt).toISOString()}, due ${new Date(s.dueAt).toISOString()}`,
    });
  }

  const late = lateness(
    f.dueSteps.filter((s) => s.dueAt >= f.startedAt && s.dueAt < cutoff),
    flowMessages.filter((m) => m.skipReason === null || !EXITS.has(m.skipReason)),
    f.endedAt,
  );
  const answered = f.answers.map((a) => a.ms);
  const stepLatenessMs = {
    ...summary(late.outcome),
    steps: late.outcome.length,
    notMeasured: late.notMeasured,
  };
  const lost = {
    webhooks: webhooksLost,
    dueStepsNotDecided: dueStepsNotDecided.length,
    messagesNotSent: notSent.length,
  };
  const byFlow: Record<string, Record<string, number>> = {};
  for (const m of flowMessages) {
    const flow = (byFlow[m.flowKey] ??= {});
    const key = m.skipReason ?? m.status;
    flow[key] = (flow[key] ?? 0) + 1;
  }
  return {
    webhooks: {
      answered: f.answers.length,
      non200: f.answers.filter((a) => a.status !== 200).length,
      retried: f.answers.filter((a) => a.attempts > 1).length,
      answerMs: summary(answered),
    },
    queueLagMs: summary(queueLag(f.backlog, f.endedAt)),
    segmentFreshnessMs: (() => {
      const fresh = segmentFreshness(f.orderReceipts, f.transitions);
      return { ...summary(fresh), ordersThatMovedASegment: fresh.length };
    })(),
    stepLatenessMs,
    decisionLatenessMs: summary(late.decision),
    messages: {
      byStatus: count(flowMessages, (m) => m.status),
      skippedByReason: count(
        flowMessages.filter((m) => m.skipReason !== null),
        (m) => m.skipReason ?? "",
      ),
      failedBecause: count(
        flowMessages.filter((m) => m.status === "failed"),
        (m) => (m.lastError ?? "no reason").slice(0, 120),
      ),
      byFlow,
    },
    checks: {
      lost: { total: lost.webhooks + lost.dueStepsNotDecided + lost.messagesNotSent, ...lost },
      duplicates,
      sendsAfterConversion: conversion,
      customersInLoops: loops,
      soldOutRecommended: soldOut,
      smsOutsideHours: smsOutside,
      decidedEarly: early,
    },
    target: {
      stepLatenessP99Ms: targetP99Ms,
      met: late.outcome.length > 0 && stepLatenessMs.p99 <= targetP99Ms,
    },
    violations: violations.slice(0, 200),
  };
}

/** Every check that must be zero, with its count. */
export function failedChecks(r: RehearsalReport): string[] {
  const c = r.checks;
  const counts: Record<string, number> = {
    lost: c.lost.total,
    duplicates: c.duplicates,
    sendsAfterConversion: c.sendsAfterConversion.total,
    customersInLoops: c.customersInLoops,
    soldOutRecommended: c.soldOutRecommended.total,
    smsOutsideHours: c.smsOutsideHours,
    decidedEarly: c.decidedEarly,
  };
  return Object.entries(counts).flatMap(([name, n]) => (n > 0 ? [`${name}: ${n}`] : []));
}
