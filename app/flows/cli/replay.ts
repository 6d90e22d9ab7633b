import { decideStep, type StepDecision } from "../decide";
import type { FlowDefinition } from "../definition";
import { endedByOrders, enter, type NotEnteredReason, type PastEnrollment } from "../enter";
import type { FlowEvent, FlowRow } from "../model";
import type { Happening } from "./happenings";
import { Timers, type Timer } from "./timers";
import type { ReplayWorld } from "./world";

// The virtual clock: the window's happenings in order, each handled as the app handles the webhook
// (store, rescore its customer, wake the customer's waiting steps on an order, enter the flows), and
// between them the timers at their wakeAt, decided in batches of one instant (the app's
// scheduler claims every step due and decides them against facts read then). Same `enter` and
// `decideStep` as the app; only the facts (the files) and the clock (virtual) differ. Pure.

/** How many branches one decision follows at once, as the app's scheduler. */
const MAX_HOPS = 20;

export interface ReplayCounts {
  happenings: Record<Happening["kind"], number>;
  /** enrollments per flow key */
  entered: Record<string, number>;
  notEntered: Partial<Record<NotEnteredReason, number>>;
  /** events of customers not in the customers file, or without a customer (guests) */
  unknownCustomer: number;
  guest: number;
  decisions: number;
}

export interface ReplayResult {
  rows: FlowRow[];
  counts: ReplayCounts;
  /** enrollments still waiting at --until */
  waiting: Timer[];
}

export class Replay {
  private readonly rows: FlowRow[] = [];
  private readonly timers = new Timers();
  private readonly history = new Map<string, PastEnrollment[]>();
  private readonly counts: ReplayCounts = {
    happenings: { nightly_rescore: 0, checkout: 0, order: 0, consent: 0 },
    entered: {},
    notEntered: {},
    unknownCustomer: 0,
    guest: 0,
    decisions: 0,
  };

  constructor(
    private readonly world: ReplayWorld,
    private readonly flows: readonly FlowDefinition[],
  ) {}

  /** Lives `happenings` (sorted, all before `until`) and the timers due before `until`. */
  run(happenings: readonly Happening[], until: Date): ReplayResult {
    let h = 0;
    for (;;) {
      const event = happenings[h];
      const wake = this.timers.next();
      const eventAt = event && event.at < until ? event.at.getTime() : Infinity;
      const wakeAt = wake && wake < until ? wake.getTime() : Infinity;
      if (eventAt === Infinity && wakeAt === Infinity) break;
      // an event and a timer at one instant: the event first (an order placed then ends the step)
      if (event && eventAt <= wakeAt) {
        this.happen(event);
        h++;
      } else this.decideBatch(new Date(wakeAt));
    }
    return { rows: this.rows, counts: this.counts, waiting: this.timers.waiting() };
  }

  private happen(h: Happening): void {
    this.counts.happenings[h.kind]++;
    const { world } = this;
    const base = { occurredAt: h.at, causedByFlow: null };
    switch (h.kind) {
      case "nightly_rescore":
        for (const change of world.rescoreAll(h.at))
          this.enterAll(
            [
              {
                ...base,
                type: "segment_entered",
                customerId: change.customerId,
                transitionId: change.id,
                segment: change.to,
              },
            ],
            h.at,
          );
        return;
      case "checkout": {
        world.addCheckout(h.checkout);
        const customerId = h.checkout.customerId?.toString() ?? null;
        if (!this.known(customerId)) return;
        this.enterAll(
          [
            {
              ...base,
              type: "checkout_activity",
              customerId,
              checkoutId: h.checkout.id.toString(),
              completedAt: h.checkout.completedAt,
            },
          ],
          h.at,
        );
        return;
      }
      case "order": {
        const customerId = h.order.customerId?.toString() ?? null;
        if (!this.known(customerId)) return;
        const placed = world.addOrder(h.order);
        const change = world.rescore(customerId, h.at);
        const events: FlowEvent[] = placed
          ? [{ ...base, type: "order_placed", customerId, orderId: h.order.id.toString() }]
          : [];
        if (change)
          events.push({
            ...base,
            type: "segment_entered",
            customerId,
            transitionId: change.id,
            segment: change.to,
          });
        // an order may end a waiting enrollment: its step is decided now, not when due
        if (placed) this.timers.wake(customerId, h.at, endedByOrders(this.flows));
        this.enterAll(events, h.at);
        return;
      }
      case "consent": {
        const change = world.rescore(h.customerId, h.at);
        const events: FlowEvent[] = [
          { ...base, type: "marketing_consent_granted", customerId: h.customerId, channel: h.channel },
        ];
        if (change)
          events.push({
            ...base,
            type: "segment_entered",
            customerId: h.customerId,
            transitionId: change.id,
            segment: change.to,
          });
        this.enterAll(events, h.at);
        return;
      }
      default: {
        const never: never = h;
        throw new Error(`unknown happening ${String(never)}`);
      }
    }
  }

  /** A customer of the customers file (else counted: a guest or an unknown customer). */
  private known(customerId: string | null): customerId is string {
    if (customerId === null) this.counts.guest++;
    else if (!this.world.hasCustomer(customerId)) this.counts.unknownCustomer++;
    else return true;
    return false;
  }

  private enterAll(events: readonly FlowEvent[], now: Date): void {
    const { world } = this;
    for (const event of events) {
      const customerId = event.customerId;
      if (customerId === null) continue;
      const state = {
        shop: world.shopContext,
        customer: { segment: world.segmentOf(customerId), timeZone: world.timeZoneOf(customerId) },
      };
      for (const flow of this.flows) {
        const enrollments = this.history.get(customerId) ?? [];
        const decision = enter(flow, event, state, { enrollments }, now);
        if (decision.kind !== "enter") {
          if (decision.reason !== "other_trigger")
            this.counts.notEntered[decision.reason] = (this.counts.notEntered[decision.reason] ?? 0) + 1;
          continue;
        }
        const { enrollment, first } = decision;
        this.history.set(customerId, [
          ...enrollments,
          {
            flowKey: flow.key,
            triggerEntityId: enrollment.triggerEntityId,
            triggeredAt: enrollment.triggeredAt,
          },
        ]);
        this.counts.entered[flow.key] = (this.counts.entered[flow.key] ?? 0) + 1;
        this.timers.set({ flow, enrollment, due: first });
      }
    }
  }

  /** Every step due at `now`, in the scheduler's order; each one's sends count toward the next one's caps. */
  private decideBatch(now: Date): void {
    for (const timer of this.timers.takeDue(now)) {
      const { flow, enrollment } = timer;
      const facts = this.world.factsFor(flow, enrollment, now);
      let decision: StepDecision = decideStep(flow, enrollment, timer.due, facts, now);
      for (
        let hops = 0;
        decision.kind === "branch" && decision.next && decision.next.wakeAt <= now && hops < MAX_HOPS;
        hops++
      )
        decision = decideStep(flow, enrollment, decision.next, facts, now);
      this.counts.decisions++;
      if (decision.kind !== "branch") {
        this.rows.push(...decision.rows);
        // a flow switched off the shared caps neither counts toward them nor is held by them
        if (flow.countsTowardCaps) this.world.recordSends(decision.rows);
      }
      const next = decision.kind === "exit" ? null : decision.next;
      if (next) this.timers.set({ flow, enrollment, due: next });
      else this.timers.end(enrollment);
    }
  }
}
