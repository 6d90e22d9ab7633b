import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateOrders, EMPTY_AGGREGATES, type CustomerAggregates } from "~/sync/aggregate";
import type { OrderRow } from "~/sync/rows";
import { orderRowFromPayload } from "~/sync/webhooks/payloads";

// The rules processWebhook relies on, checked in memory over many runs (the integration variant in
// test/integration/webhooks.test.ts runs the real processor on PGlite and PostgreSQL):
//  1. a stored order is replaced only by a version with the same or later updated_at;
//  2. after each order event, the aggregates of the order's previous and new owner are recomputed
//     from the stored orders.
// Whatever the delivery order and duplicates, the aggregates equal those of each order's latest
// version, worked out by `expectedAggregates` below straight from the generated numbers (written
// apart from app/sync/aggregate.ts, so a wrong rule there — counting a test or cancelled order —
// cannot hide on both sides), and equal aggregateOrders of the final state (what a backfill computes).

const CUSTOMERS = [1, 2, 3];

const orderVersion = fc.record({
  customerId: fc.option(fc.constantFrom(...CUSTOMERS), { freq: 4 }),
  cancelled: fc.boolean(),
  test: fc.boolean(),
  cents: fc.integer({ min: 0, max: 1_000_000 }),
  discounted: fc.boolean(),
  createdDay: fc.integer({ min: 1, max: 28 }),
});

const scenario = fc
  .array(fc.array(orderVersion, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 })
  .chain((histories) => {
    const events = histories.flatMap((history, orderIndex) =>
      history.map((v, k) => ({
        id: 1000 + orderIndex,
        created_at: `2026-11-${String(history[0]?.createdDay ?? 1).padStart(2, "0")}T00:00:00Z`,
        updated_at: new Date(Date.parse("2026-12-01T00:00:00Z") + k * 1000).toISOString(),
        cancelled_at: v.cancelled ? "2026-12-01T00:00:00Z" : null,
        test: v.test,
        currency: "EUR",
        current_total_price: (v.cents / 100).toFixed(2),
        total_discounts: v.discounted ? "1.50" : "0.00",
        customer: v.customerId === null ? null : { id: v.customerId },
        final: k === history.length - 1,
      })),
    );
    return fc.record({
      delivered: fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2, maxLength: events.length * 2 }).chain((all) =>
        // drop some duplicates, keep every event at least once
        fc.func(fc.boolean()).map((keep) => {
          const seen = new Set<unknown>();
          return all.filter((e) => {
            if (seen.has(e)) return keep(e.id, e.updated_at);
            seen.add(e);
            return true;
          });
        }),
      ),
      finals: fc.constant(events.filter((e) => e.final)),
      truth: fc.constant(
        histories.flatMap((history) => {
          const final = history[history.length - 1];
          return final ? [{ ...final, createdDay: history[0]?.createdDay ?? 1 }] : [];
        }),
      ),
    });
  });

type Version = { customerId: number | null; cancelled: boolean; test: boolean; cents: number; discounted: boolean; createdDay: number };

/** The oracle: per customer, the final versions that are neither test nor cancelled, counted by hand. */
function expectedAggregates(finals: readonly Version[], customer: number): CustomerAggregates {
  const mine = finals.filter((v) => v.customerId === customer && !v.test && !v.cancelled);
  if (mine.length === 0) return EMPTY_AGGREGATES;
  const days = mine.map((v) => v.createdDay);
  const at = (day: number) => new Date(Date.UTC(2026, 10, day));
  return {
    orderCount: mine.length,
    spendMinor: BigInt(mine.reduce((sum, v) => sum + v.cents, 0)),
    discountedOrderCount: mine.filter((v) => v.discounted).length,
    firstOrderAt: at(Math.min(...days)),
    lastOrderAt: at(Math.max(...days)),
  };
}

function processInMemory(events: unknown[]): Map<bigint, CustomerAggregates> {
  const stored = new Map<bigint, OrderRow>();
  const aggregates = new Map<bigint, CustomerAggregates>();
  for (const payload of events) {
    const row = orderRowFromPayload("orders/updated", payload);
    const previous = stored.get(row.id);
    const owners = new Set<bigint>();
    if (previous?.customerId != null) owners.add(previous.customerId);
    if (row.customerId !== null) owners.add(row.customerId);
    if (!previous || previous.shopifyUpdatedAt <= row.shopifyUpdatedAt) stored.set(row.id, row);
    const recomputed = aggregateOrders(stored.values());
    for (const owner of owners) aggregates.set(owner, recomputed.get(owner) ?? EMPTY_AGGREGATES);
  }
  return aggregates;
}

describe("aggregates under any webhook sequence", () => {
  it("equal a backfill of each order's final state, with duplicates and any order", () => {
    fc.assert(
      fc.property(scenario, ({ delivered, finals, truth }) => {
        const got = processInMemory(delivered);
        const backfill = aggregateOrders(finals.map((e) => orderRowFromPayload("orders/updated", e)));
        for (const customer of CUSTOMERS) {
          const id = BigInt(customer);
          expect(got.get(id) ?? EMPTY_AGGREGATES).toEqual(expectedAggregates(truth, customer));
          expect(backfill.get(id) ?? EMPTY_AGGREGATES).toEqual(expectedAggregates(truth, customer));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("an incremental counter (no recompute) would not: a stale cancellation after a newer update", () => {
    // The counter-example the recompute design avoids: adding on create and subtracting on
    // cancel double-counts when the cancellation is redelivered. Recomputing is immune.
    const create = { id: 1, created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z", test: false, currency: "USD", current_total_price: "10.00", customer: { id: 1 } };
    const cancel = { ...create, updated_at: "2026-11-02T00:00:00Z", cancelled_at: "2026-11-02T00:00:00Z" };
    expect(processInMemory([cancel, create, cancel, create]).get(1n)).toEqual(EMPTY_AGGREGATES);
  });
});
