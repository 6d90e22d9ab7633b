import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAllowedAt, quietHoursFor } from "../messaging/rules/quiet-hours";
import { ZONES } from "../messaging/rules/test-fixtures";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS, type BuiltInFlowKey } from "./built-in";
import { decideStep } from "./decide";
import type { FlowDefinition } from "./definition";
import { enter } from "./enter";
import type { FlowEvent, FlowRow, OrderFact } from "./model";
import { applyFlowSettings, DEFAULT_FLOW_SETTINGS } from "./settings";
import {
  capRecords,
  checkout,
  customer,
  facts,
  ordersBy,
  runEnrollment,
  SHOP,
  type FactsAt,
} from "./test-fixtures";
import { flowTimeZone } from "./timing";

// Any built-in flow, any settings within bounds, any zone, consent and moment: the rules hold.

const MIN = 60_000;
const YEAR = { min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) };

const arbFlow = fc.constantFrom(...BUILT_IN_FLOW_KEYS).chain((key: BuiltInFlowKey) =>
  fc
    .record({
      delays: fc.tuple(...BUILT_IN_FLOWS[key].delays.map((d) => fc.integer({ min: d.min, max: d.max }))),
      holdoutShare: fc.constantFrom(0, 0.1, 0.5),
      countsTowardCaps: fc.boolean(),
    })
    .map(({ delays, holdoutShare, countsTowardCaps }) =>
      applyFlowSettings(key, {
        ...DEFAULT_FLOW_SETTINGS[key],
        delays: Object.fromEntries(
          BUILT_IN_FLOWS[key].delays.map((d, i) => [d.stepId, delays[i] ?? d.default]),
        ),
        holdoutShare,
        countsTowardCaps,
      }),
    ),
);

const STATES = ["SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED"] as const;
const arbCustomer = fc.record({
  timeZone: fc.option(fc.constantFrom(...ZONES)),
  emailMarketingState: fc.constantFrom(...STATES),
  smsMarketingState: fc.constantFrom(...STATES),
  province: fc.constantFrom("NY", "FL", "WA"),
  id: fc.integer({ min: 1, max: 1_000_000 }).map(String),
});

function eventFor(flow: FlowDefinition, at: Date, customerId: string): FlowEvent {
  const common = { customerId, occurredAt: at, causedByFlow: null };
  switch (flow.trigger.event) {
    case "checkout_activity":
      return { ...common, type: "checkout_activity", checkoutId: "5001", completedAt: null };
    case "marketing_consent_granted":
      return { ...common, type: "marketing_consent_granted", channel: "sms" };
    case "segment_entered":
      return { ...common, type: "segment_entered", transitionId: "t1", segment: flow.trigger.filter.segment };
    case "order_placed":
      return { ...common, type: "order_placed", orderId: "o0" };
    default: {
      const never: never = flow.trigger;
      throw new Error(`unknown trigger ${String(never)}`);
    }
  }
}

const scenario = fc.record({
  flow: arbFlow,
  c: arbCustomer,
  triggerAt: fc.integer(YEAR).map((t) => Math.floor(t / 1000) * 1000),
  orderAfterMinutes: fc.option(fc.integer({ min: 0, max: 20 * 24 * 60 })),
  otherEmailAfterMinutes: fc.option(fc.integer({ min: -24 * 60, max: 10 * 24 * 60 })),
  /** how late the worker wakes for each call, in seconds (a replay is never late, the app a little, a restart a lot) */
  lateSeconds: fc.oneof(fc.constant([]), fc.array(fc.integer({ min: 0, max: 4 * 3600 }), { maxLength: 8 })),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run({ flow, c, triggerAt, orderAfterMinutes, otherEmailAfterMinutes, lateSeconds }: Scenario) {
  const who = customer({
    ...c,
    provinceCode: c.province,
    segment: flow.trigger.event === "segment_entered" ? flow.trigger.filter.segment : "regular",
  });
  const at = new Date(triggerAt);
  const decision = enter(
    flow,
    eventFor(flow, at, who.id),
    { shop: SHOP, customer: who },
    { enrollments: [] },
    at,
  );
  if (decision.kind !== "enter") throw new Error(decision.reason);
  const orderAt = orderAfterMinutes === null ? null : new Date(triggerAt + orderAfterMinutes * MIN);
  const orders: OrderFact[] = [
    ...(flow.trigger.event === "order_placed"
      ? [{ id: "o0", placedAt: at, checkoutId: null, productIds: ["p1"] }]
      : []),
    ...(orderAt ? [{ id: "o1", placedAt: orderAt, checkoutId: null, productIds: [] }] : []),
  ];
  const campaign =
    otherEmailAfterMinutes === null
      ? []
      : [
          {
            campaign: "bfcm",
            channel: "email" as const,
            at: new Date(triggerAt + otherEmailAfterMinutes * MIN),
          },
        ];
  const factsAt: FactsAt = (now, sent) =>
    facts({
      customer: who,
      orders: ordersBy(orders, now),
      checkout: flow.trigger.event === "checkout_activity" ? checkout({ updatedAt: at }) : null,
      capsHistory: [...campaign, ...capRecords(sent)],
    });
  const result = runEnrollment(
    flow,
    decision.enrollment,
    decision.first,
    factsAt,
    (i) => (lateSeconds[i] ?? 0) * 1000,
  );
  return { ...result, who, enrollment: decision.enrollment, first: decision.first, orderAt, factsAt };
}

const out = (rows: readonly FlowRow[]) =>
  rows.filter((r) => r.skipReason === null || r.skipReason === "holdout");

describe("flow properties", () => {
  it("due and send times are never before the trigger, and a message never goes out before its step is due", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { rows, decisions, first } = run(s);
        expect(first.dueAt.getTime()).toBeGreaterThanOrEqual(s.triggerAt);
        for (const d of decisions)
          if (d.kind !== "exit" && d.next) expect(d.next.dueAt.getTime()).toBeGreaterThanOrEqual(s.triggerAt);
        for (const r of rows) {
          expect(r.dueAt.getTime()).toBeGreaterThanOrEqual(s.triggerAt);
          if (r.sendAt) expect(r.sendAt.getTime()).toBeGreaterThanOrEqual(r.dueAt.getTime());
        }
      }),
      { numRuns: 300 },
    );
  });

  it("SMS goes out only inside the customer's local hours (the state's where stricter), deferred, never dropped", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { rows, who } = run(s);
        const window = quietHoursFor(who, flowTimeZone(who.timeZone, SHOP.timeZone), SHOP.audience);
        for (const r of out(rows))
          if (r.channel === "sms") expect(isAllowedAt(r.sendAt?.getTime() ?? NaN, window)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("no message after a conversion: an order ends the flows that exit on it before their next send", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { rows, orderAt } = run(s);
        if (!orderAt || !s.flow.exitWhen.includes("order_placed")) return;
        for (const r of out(rows)) expect(r.sendAt?.getTime()).toBeLessThan(orderAt.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it("decideStep is deterministic, and deciding a step again gives the same message keys (no duplicates)", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { rows, decisions, enrollment, first, factsAt } = run(s);
        // the first step decided twice at its wake time, against the same facts
        const f = factsAt(first.wakeAt, []);
        expect(decideStep(s.flow, enrollment, first, f, first.wakeAt)).toEqual(
          decideStep(s.flow, enrollment, first, f, first.wakeAt),
        );
        // the whole run again gives the same rows
        expect(run(s).rows).toEqual(rows);
        expect(new Set(rows.map((r) => r.messageKey)).size).toBe(rows.length);
        expect(decisions.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
