import { DEFAULT_AUDIENCE_SETTINGS } from "../messaging/rules/settings";
import { decideStep, type StepDecision } from "./decide";
import type { FlowDefinition } from "./definition";
import { enter, type EntryDecision, type PastEnrollment } from "./enter";
import type {
  CheckoutFact,
  DueStep,
  Enrollment,
  FlowCustomer,
  FlowEvent,
  FlowRow,
  OrderFact,
  ShopContext,
  StepFacts,
} from "./model";

// Shared by the flow tests (not itself a test file): facts, events, and a small virtual-clock
// driver that calls enter and decideStep the way the scheduler and the replay will.

export const SHOP: ShopContext = {
  shop: "snowdevil.myshopify.com",
  timeZone: "America/New_York",
  audience: DEFAULT_AUDIENCE_SETTINGS,
};

export const d = (iso: string): Date => new Date(iso);

export function customer(over: Partial<FlowCustomer> = {}): FlowCustomer {
  return {
    id: "1001",
    email: "ada@example.com",
    phone: "+15555550100",
    emailMarketingState: "SUBSCRIBED",
    smsMarketingState: "SUBSCRIBED",
    segment: "regular",
    timeZone: "America/New_York",
    countryCode: "US",
    provinceCode: "NY",
    ...over,
  };
}

export function checkout(over: Partial<CheckoutFact> = {}): CheckoutFact {
  return {
    id: "5001",
    updatedAt: d("2026-11-27T10:00:00Z"),
    completedAt: null,
    recoveryUrl: "https://snowdevil.myshopify.com/recover/5001",
    lines: [
      { productId: "p1", variantId: "v1", quantity: 1, title: "Snowboard", price: "499.00" },
      { productId: "p2", variantId: "v2", quantity: 2, title: "Wax", price: "9.50" },
    ],
    ...over,
  };
}

export function facts(over: Partial<StepFacts> = {}): StepFacts {
  return {
    customer: customer(),
    suppressions: [],
    orders: [],
    checkout: null,
    inStock: { p1: true, p2: true, p3: true, p4: true, p5: true },
    crossSellProductIds: ["p1", "p3", "p4", "p5"],
    capsHistory: [],
    shop: SHOP,
    ...over,
  };
}

export function checkoutEvent(
  at: string,
  over: Partial<Extract<FlowEvent, { type: "checkout_activity" }>> = {},
): FlowEvent {
  return {
    type: "checkout_activity",
    checkoutId: "5001",
    customerId: "1001",
    occurredAt: d(at),
    completedAt: null,
    causedByFlow: null,
    ...over,
  };
}

export function entered(decision: EntryDecision): { enrollment: Enrollment; first: DueStep } {
  if (decision.kind !== "enter") throw new Error(`expected to enter, got ${decision.reason}`);
  return decision;
}

/** The facts as they are at `now`, given what the enrollment has sent so far. */
export type FactsAt = (now: Date, sent: readonly FlowRow[]) => StepFacts;

/** Runs one enrollment to its end: decide at each wakeAt (plus the worker's lateness), keep the rows, follow `next`. */
export function runEnrollment(
  flow: FlowDefinition,
  enrollment: Enrollment,
  first: DueStep,
  factsAt: FactsAt,
  latenessMs: (call: number) => number = () => 0,
): { rows: FlowRow[]; decisions: StepDecision[] } {
  const rows: FlowRow[] = [];
  const decisions: StepDecision[] = [];
  let timer: DueStep | null = first;
  for (let i = 0; timer && i < 200; i++) {
    const now = new Date(timer.wakeAt.getTime() + latenessMs(i));
    const decision = decideStep(flow, enrollment, timer, factsAt(now, rows), now);
    decisions.push(decision);
    if (decision.kind !== "branch") rows.push(...decision.rows);
    timer = decision.kind === "exit" ? null : decision.next;
  }
  if (timer) throw new Error("the enrollment did not end");
  return { rows, decisions };
}

/** Sent rows as the caps history sees them: under the enrollment's id. */
export const capRecords = (rows: readonly FlowRow[]) =>
  rows
    .filter((r) => r.skipReason === null && r.sendAt)
    .map((r) => ({ campaign: r.enrollmentId, channel: r.channel, at: r.sendAt ?? new Date(0) }));

/**
 * Events and timers of many enrollments of one customer, in time order on a virtual clock: what the
 * replay CLI does for a whole shop. `world(now)` gives the facts at `now` (orders placed so far, the
 * checkout's latest activity…) apart from the caps history, which comes from the rows sent so far.
 */
export function simulate(
  flow: FlowDefinition,
  events: readonly FlowEvent[],
  world: (now: Date, checkoutId: string | null) => Omit<StepFacts, "capsHistory">,
): { rows: FlowRow[]; entries: EntryDecision[] } {
  const rows: FlowRow[] = [];
  const entries: EntryDecision[] = [];
  const past: PastEnrollment[] = [];
  const timers: { enrollment: Enrollment; due: DueStep }[] = [];
  const queue = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (let guard = 0; guard < 10_000; guard++) {
    timers.sort((a, b) => a.due.wakeAt.getTime() - b.due.wakeAt.getTime());
    const timer = timers[0];
    const event = queue[0];
    if (!timer && !event) return { rows, entries };
    if (event && (!timer || event.occurredAt <= timer.due.wakeAt)) {
      queue.shift();
      const c = world(event.occurredAt, null).customer;
      const decision = enter(
        flow,
        event,
        { shop: SHOP, customer: c },
        { enrollments: past },
        event.occurredAt,
      );
      entries.push(decision);
      if (decision.kind === "enter") {
        past.push({
          flowKey: flow.key,
          triggerEntityId: decision.enrollment.triggerEntityId,
          triggeredAt: decision.enrollment.triggeredAt,
        });
        timers.push({ enrollment: decision.enrollment, due: decision.first });
      }
      continue;
    }
    if (!timer) continue;
    timers.shift();
    const now = timer.due.wakeAt;
    const checkoutId = flow.trigger.event === "checkout_activity" ? timer.enrollment.triggerEntityId : null;
    const decision = decideStep(
      flow,
      timer.enrollment,
      timer.due,
      { ...world(now, checkoutId), capsHistory: capRecords(rows) },
      now,
    );
    if (decision.kind !== "branch") rows.push(...decision.rows);
    const next = decision.kind === "exit" ? null : decision.next;
    if (next) timers.push({ enrollment: timer.enrollment, due: next });
  }
  throw new Error("the simulation did not end");
}

/** The customer's orders placed by `now`. */
export const ordersBy = (orders: readonly OrderFact[], now: Date) => orders.filter((o) => o.placedAt <= now);
