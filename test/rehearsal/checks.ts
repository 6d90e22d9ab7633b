import { MINUTE_MS, startOfWallDay, wallAt } from "../../app/messaging/rules/time-zone";
import type { FactsMessage, RehearsalFacts, Violation } from "./facts";

// The checks that must come out zero, each from the facts alone. Pure.

export const SMS_HOURS = { startMinute: 8 * 60, endMinute: 21 * 60 } as const;
/**
 * A sender sends a claimed batch for up to 3 s (the dispatcher's tick budget) and records every
 * message's send when the batch ends: an event stored that short a time before a recorded send may
 * have found the message already in the sender's hands, past its last look.
 */
export const IN_FLIGHT_MS = 3_000;
export const EXITS = new Set([
  "converted",
  "unsubscribed",
  "segment_left",
  "flow_disabled",
  "customer_missing",
  "unknown_flow",
]);
const PENDING = new Set(["planned", "queued", "sending"]);
const GOING = new Set(["queued", "sending", "sent"]);

const iso = (ms: number) => new Date(ms).toISOString();

/** Minutes past local midnight in `timeZone`. */
export function localMinute(at: number, timeZone: string): number {
  const wall = wallAt(at, timeZone);
  return Math.floor((wall - startOfWallDay(wall)) / MINUTE_MS);
}

export function lost(f: RehearsalFacts, cutoff: number, violations: Violation[]) {
  const steps = f.enrollments.filter((e) => e.status === "waiting" && e.wakeAt !== null && e.wakeAt < cutoff);
  for (const e of steps)
    violations.push({ check: "lost", enrollmentId: e.id, detail: `waiting, due ${iso(e.wakeAt ?? 0)}` });
  const notSent = f.messages.filter((m) => PENDING.has(m.status) && (m.sendAt ?? m.createdAt) < cutoff);
  for (const m of notSent)
    violations.push({
      check: "lost",
      messageId: m.id,
      detail: `${m.status} since ${iso(m.sendAt ?? m.createdAt)}`,
    });
  const webhooks = f.webhooksNotProcessed + f.answers.filter((a) => a.status !== 200).length;
  return {
    total: webhooks + steps.length + notSent.length,
    webhooks,
    dueStepsNotDecided: steps.length,
    messagesNotSent: notSent.length,
  };
}

export function duplicates(messages: readonly FactsMessage[], violations: Violation[]): number {
  let n = 0;
  for (const m of messages)
    if (m.receipts > 1) {
      n += m.receipts - 1;
      violations.push({
        check: "duplicates",
        messageId: m.id,
        detail: `${m.receipts} receipts at the ${m.channel} sink`,
      });
    }
  return n;
}

/** When a message went out after an event it should have yielded to: decided after it, sent well after it, or in flight. */
export interface AfterEvent {
  total: number;
  decidedAfter: number;
  sentAfterTheLastLook: number;
  inFlight: number;
}

function classify(tally: AfterEvent, m: FactsMessage, eventAt: number): void {
  tally.total += 1;
  if (m.createdAt > eventAt) tally.decidedAfter += 1;
  else if ((m.sentAt ?? 0) - eventAt > IN_FLIGHT_MS) tally.sentAfterTheLastLook += 1;
  else tally.inFlight += 1;
}

/** A message of a flow that ends on an order, sent after the app had stored the customer's order since the trigger. */
export function sendsAfterConversion(f: RehearsalFacts, violations: Violation[]): AfterEvent {
  const enrollment = new Map(f.enrollments.map((e) => [e.id, e]));
  const ordersOf = new Map<string, Array<{ placedAt: number; storedAt: number }>>();
  for (const o of f.orders) ordersOf.set(o.customerId, [...(ordersOf.get(o.customerId) ?? []), o]);
  const tally: AfterEvent = { total: 0, decidedAfter: 0, sentAfterTheLastLook: 0, inFlight: 0 };
  for (const m of f.messages) {
    const e = m.enrollmentId ? enrollment.get(m.enrollmentId) : undefined;
    if (m.sentAt === null || !e || !f.exitOnOrder.includes(m.flowKey)) continue;
    const sentAt = m.sentAt;
    const order = (ordersOf.get(m.customerId) ?? []).find(
      (o) => o.placedAt >= e.triggeredAt && o.storedAt < sentAt,
    );
    if (!order) continue;
    classify(tally, m, order.storedAt);
    violations.push({
      check: "sendsAfterConversion",
      messageId: m.id,
      detail: `order stored ${iso(order.storedAt)}, decided ${iso(m.createdAt)}, sent ${iso(sentAt)}`,
    });
  }
  return tally;
}

/** A sent message whose cart lists a product the app knew was sold out by then. */
export function soldOutRecommended(f: RehearsalFacts, violations: Violation[]): AfterEvent {
  const soldOutAt = new Map(f.soldOut.map((s) => [s.title, s.knownAt]));
  const tally: AfterEvent = { total: 0, decidedAfter: 0, sentAfterTheLastLook: 0, inFlight: 0 };
  for (const m of f.messages) {
    const sentAt = m.sentAt;
    if (sentAt === null) continue;
    const title = m.titles.find((t) => (soldOutAt.get(t) ?? Infinity) < sentAt);
    if (title === undefined) continue;
    const knownAt = soldOutAt.get(title) ?? 0;
    classify(tally, m, knownAt);
    violations.push({
      check: "soldOutRecommended",
      messageId: m.id,
      detail: `"${title}" sold out since ${iso(knownAt)}; ${m.flowKey} ${m.sendKey} decided ${iso(m.createdAt)}, sent ${iso(sentAt)}`,
    });
  }
  return tally;
}

/** Customers who got more messages of one flow than a pass through it sends. */
export function customersInLoops(f: RehearsalFacts, violations: Violation[]): number {
  const per = new Map<string, number>();
  for (const m of f.messages)
    if (GOING.has(m.status))
      per.set(`${m.customerId} ${m.flowKey}`, (per.get(`${m.customerId} ${m.flowKey}`) ?? 0) + 1);
  let loops = 0;
  for (const [key, n] of per) {
    const [customer = "", flowKey = ""] = key.split(" ");
    if (n <= (f.maxMessages[flowKey] ?? Infinity)) continue;
    loops += 1;
    violations.push({
      check: "customersInLoops",
      detail: `customer ${customer} got ${n} messages of ${flowKey}`,
    });
  }
  return loops;
}

export function smsOutsideHours(messages: readonly FactsMessage[], violations: Violation[]): number {
  let n = 0;
  for (const m of messages) {
    if (m.channel !== "sms" || m.sentAt === null) continue;
    const minute = localMinute(m.sentAt, m.timeZone);
    if (minute >= SMS_HOURS.startMinute && minute < SMS_HOURS.endMinute) continue;
    n += 1;
    violations.push({
      check: "smsOutsideHours",
      messageId: m.id,
      detail: `sent ${iso(m.sentAt)} (${m.timeZone})`,
    });
  }
  return n;
}

/** A row (other than an exit's) stored before its step could be due. */
export function decidedEarly(f: RehearsalFacts, violations: Violation[]): number {
  const stepOf = new Map(f.dueSteps.map((s) => [`${s.enrollmentId} ${s.sendKey}`, s]));
  let n = 0;
  for (const m of f.messages) {
    const s = stepOf.get(`${m.enrollmentId} ${m.sendKey}`);
    if (!s || (m.skipReason !== null && EXITS.has(m.skipReason)) || m.createdAt >= s.earliestAt - 1_000)
      continue;
    n += 1;
    violations.push({
      check: "decidedEarly",
      messageId: m.id,
      detail: `${m.status} ${iso(m.createdAt)}, due ${iso(s.dueAt)}`,
    });
  }
  return n;
}
