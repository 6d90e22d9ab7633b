import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOWS } from "../built-in";
import type { Enrollment } from "../model";
import { Timers } from "./timers";

// The replay's timer queue against a plain list kept by hand: what comes due, in which order.

const flow = BUILT_IN_FLOWS.abandoned_checkout.definition;
const enrollment = (id: string, customerId: string): Enrollment => ({
  id,
  shop: "s.myshopify.com",
  flowKey: flow.key,
  triggerEntityId: id,
  customerId,
  triggeredAt: new Date(0),
  triggerSegment: null,
  holdout: false,
});
const at = (minute: number) => new Date(minute * 60_000);
/** the flows an order wakes: this one */
const WAKES = new Set([flow.key]);

type Op =
  | { kind: "set"; id: string; customer: string; minute: number }
  | { kind: "end"; id: string }
  | { kind: "wake"; customer: string; minute: number };

const id = fc.constantFrom("e_a", "e_b", "e_c", "e_d", "e_e");
const customer = fc.constantFrom("1", "2");
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), id, customer, minute: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant("end" as const), id }),
  fc.record({ kind: fc.constant("wake" as const), customer, minute: fc.integer({ min: 0, max: 30 }) }),
);

describe("Timers", () => {
  it("takes every live timer due, earliest first, ties by enrollment id (property)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.integer({ min: 0, max: 30 }), (ops, until) => {
        const timers = new Timers();
        const model = new Map<string, { customer: string; minute: number }>();
        for (const o of ops) {
          if (o.kind === "set") {
            // an enrollment belongs to one customer: keep the first one's
            const owner = model.get(o.id)?.customer ?? o.customer;
            timers.set({
              flow,
              enrollment: enrollment(o.id, owner),
              due: { index: 1, dueAt: at(o.minute), wakeAt: at(o.minute), decided: [] },
            });
            model.set(o.id, { customer: owner, minute: o.minute });
          } else if (o.kind === "end") {
            const known = model.get(o.id);
            if (known) timers.end(enrollment(o.id, known.customer));
            model.delete(o.id);
          } else {
            timers.wake(o.customer, at(o.minute), WAKES);
            for (const t of model.values())
              if (t.customer === o.customer && t.minute > o.minute) t.minute = o.minute;
          }
        }
        const expected = [...model]
          .filter(([, t]) => t.minute <= until)
          .sort(([a, x], [b, y]) => x.minute - y.minute || (a < b ? -1 : 1))
          .map(([key, t]) => `${key}@${t.minute}`);
        const next = timers.next();
        const earliest = Math.min(...[...model.values()].map((t) => t.minute));
        expect(next?.getTime() ?? null).toBe(model.size === 0 ? null : earliest * 60_000);
        const due = timers
          .takeDue(at(until))
          .map((t) => `${t.enrollment.id}@${t.due.wakeAt.getTime() / 60_000}`);
        expect(due).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a woken timer's due time: only when it is decided moves", () => {
    const timers = new Timers();
    timers.set({
      flow,
      enrollment: enrollment("e_a", "1"),
      due: { index: 1, dueAt: at(60), wakeAt: at(60), decided: [] },
    });
    timers.wake("1", at(10), WAKES);
    timers.wake("2", at(5), WAKES);
    const [woken] = timers.takeDue(at(10));
    expect(woken?.due).toEqual({ index: 1, dueAt: at(60), wakeAt: at(10), decided: [] });
  });

  it("wakes only the flows it is given", () => {
    const timers = new Timers();
    const welcome = BUILT_IN_FLOWS.welcome.definition;
    timers.set({
      flow: welcome,
      enrollment: { ...enrollment("e_w", "1"), flowKey: welcome.key },
      due: { index: 0, dueAt: at(0), wakeAt: at(600), decided: [] },
    });
    timers.wake("1", at(10), WAKES);
    expect(timers.takeDue(at(10))).toEqual([]);
    expect(timers.next()).toEqual(at(600));
  });
});
