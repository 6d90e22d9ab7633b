import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOWS } from "./built-in";
import type { FlowEvent, FlowRow, OrderFact } from "./model";
import { checkout, checkoutEvent, customer, facts, ordersBy, simulate } from "./test-fixtures";

// No loops: a shopper who keeps coming back to checkout hears from the flow at most as many times
// as it has send steps (3), however the returns come in.

const flow = BUILT_IN_FLOWS.abandoned_checkout.definition;
const SENDS = 3;
const H = 3_600_000;
const start = Date.UTC(2026, 10, 27, 10);

/** The world at `now`: each checkout's latest activity so far, the orders placed so far. */
function worldOf(events: readonly FlowEvent[], orders: readonly OrderFact[]) {
  return (now: Date, checkoutId: string | null) => {
    const activity = events.filter(
      (e): e is Extract<FlowEvent, { type: "checkout_activity" }> =>
        e.type === "checkout_activity" && e.checkoutId === checkoutId && e.occurredAt <= now,
    );
    const last = activity.at(-1);
    const completedAt = activity.find((e) => e.completedAt !== null)?.completedAt ?? null;
    const { capsHistory: _fromRows, ...rest } = facts({
      customer: customer({ smsMarketingState: "NOT_SUBSCRIBED" }),
      orders: ordersBy(orders, now),
      checkout:
        checkoutId && last ? checkout({ id: checkoutId, updatedAt: last.occurredAt, completedAt }) : null,
    });
    return rest;
  };
}

const sent = (rows: readonly FlowRow[]) =>
  rows.filter((r) => r.skipReason === null || r.skipReason === "holdout");

describe("no loops", () => {
  it("a customer who checks out, abandons and returns ten times gets at most the three configured messages", () => {
    const events: FlowEvent[] = [checkoutEvent(new Date(start).toISOString())];
    for (let i = 1; i <= 10; i++) {
      const at = new Date(start + i * 7 * H).toISOString();
      // odd returns come back to the same checkout through the reminder's link, even ones start a new checkout
      events.push(
        i % 2 === 1
          ? checkoutEvent(at, { causedByFlow: "abandoned_checkout" })
          : checkoutEvent(at, { checkoutId: `60${i}` }),
      );
    }
    const { rows, entries } = simulate(flow, events, worldOf(events, []));
    expect(entries.map((e) => (e.kind === "enter" ? "enter" : e.reason))).toEqual([
      "enter",
      ...Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? "own_send" : "re_entry_window")),
    ]);
    expect(sent(rows)).toHaveLength(SENDS);
    expect(new Set(rows.map((r) => r.messageKey)).size).toBe(rows.length);
  });

  it("property: any returns within a week, by any route, give at most three messages and none after the order", () => {
    const ret = fc.record({
      afterMinutes: fc.integer({ min: 1, max: 7 * 24 * 60 - 1 }),
      checkout: fc.constantFrom("5001", "5002", "5003"),
      fromOurLink: fc.boolean(),
      completes: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(ret, { minLength: 1, maxLength: 10 }),
        fc.option(fc.integer({ min: 1, max: 10 * 24 * 60 })),
        (returns, orderAfter) => {
          const events: FlowEvent[] = [checkoutEvent(new Date(start).toISOString())];
          for (const r of returns) {
            const at = new Date(start + r.afterMinutes * 60_000);
            events.push(
              checkoutEvent(at.toISOString(), {
                checkoutId: r.checkout,
                causedByFlow: r.fromOurLink ? "abandoned_checkout" : null,
                completedAt: r.completes ? at : null,
              }),
            );
          }
          events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
          // the first checkout's completion converts it, whatever else happens
          const completion = events.find(
            (e) => e.type === "checkout_activity" && e.checkoutId === "5001" && e.completedAt,
          );
          const orderTimes = [
            orderAfter === null ? null : start + orderAfter * 60_000,
            completion?.occurredAt.getTime() ?? null,
          ];
          const converted = Math.min(...orderTimes.map((t) => t ?? Infinity));
          const orderAt = orderAfter === null ? null : new Date(start + orderAfter * 60_000);
          const orders: OrderFact[] = orderAt
            ? [{ id: "o1", placedAt: orderAt, checkoutId: null, productIds: [] }]
            : [];
          const { rows } = simulate(flow, events, worldOf(events, orders));
          expect(sent(rows).length).toBeLessThanOrEqual(SENDS);
          for (const r of sent(rows)) expect(r.sendAt?.getTime()).toBeLessThan(converted);
          expect(new Set(rows.map((r) => r.messageKey)).size).toBe(rows.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
