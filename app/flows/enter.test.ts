import { describe, expect, it } from "vitest";
import { BUILT_IN_FLOWS } from "./built-in";
import { endedByOrders, enter, triggerEntityOf, type EntryState, type PastEnrollment } from "./enter";
import { enrollmentIdFor, isFlowHoldout } from "./ids";
import type { FlowEvent } from "./model";
import { applyFlowSettings } from "./settings";
import { DEFAULT_FLOW_SETTINGS } from "./settings";
import { checkoutEvent, d, SHOP } from "./test-fixtures";

const abandoned = BUILT_IN_FLOWS.abandoned_checkout.definition;
const state: EntryState = { shop: SHOP, customer: { segment: "regular", timeZone: "America/New_York" } };
const none = { enrollments: [] };
const at10 = checkoutEvent("2026-11-27T10:00:00Z");
const reason = (r: ReturnType<typeof enter>) => (r.kind === "not_entered" ? r.reason : "entered");

describe("enter", () => {
  it("enters a checkout with its first message 60 minutes after the activity", () => {
    const r = enter(abandoned, at10, state, none, d("2026-11-27T10:00:05Z"));
    expect(r).toEqual({
      kind: "enter",
      enrollment: {
        id: enrollmentIdFor(SHOP.shop, "abandoned_checkout", "5001"),
        shop: SHOP.shop,
        flowKey: "abandoned_checkout",
        triggerEntityId: "5001",
        customerId: "1001",
        triggeredAt: d("2026-11-27T10:00:00Z"),
        triggerSegment: null,
        holdout: isFlowHoldout("abandoned_checkout", "1001", 0.1),
      },
      first: { index: 1, dueAt: d("2026-11-27T11:00:00Z"), wakeAt: d("2026-11-27T11:00:00Z"), decided: [] },
    });
  });

  it("says why not", () => {
    const now = d("2026-11-27T10:00:05Z");
    const orderEvent: FlowEvent = {
      type: "order_placed",
      orderId: "9",
      customerId: "1001",
      occurredAt: now,
      causedByFlow: null,
    };
    expect(reason(enter(abandoned, orderEvent, state, none, now))).toBe("other_trigger");
    expect(reason(enter(abandoned, { ...at10, customerId: null }, state, none, now))).toBe("no_customer");
    expect(reason(enter(abandoned, { ...at10, causedByFlow: "abandoned_checkout" }, state, none, now))).toBe(
      "own_send",
    );
    // another flow's message may start this one
    expect(reason(enter(abandoned, { ...at10, causedByFlow: "welcome" }, state, none, now))).toBe("entered");
    const past: PastEnrollment = {
      flowKey: "abandoned_checkout",
      triggerEntityId: "5001",
      triggeredAt: d("2026-11-27T09:00:00Z"),
    };
    expect(reason(enter(abandoned, at10, state, { enrollments: [past] }, now))).toBe("already_enrolled");
    const off = applyFlowSettings("abandoned_checkout", {
      ...DEFAULT_FLOW_SETTINGS.abandoned_checkout,
      enabled: false,
    });
    expect(reason(enter(off, at10, state, none, now))).toBe("flow_disabled");
    expect(
      reason(enter(abandoned, checkoutEvent("2026-11-27T10:00:00Z", { completedAt: now }), state, none, now)),
    ).toBe("already_converted");
    expect(reason(enter(abandoned, at10, state, none, d("2026-11-28T10:00:01Z")))).toBe("stale_event");
    expect(reason(enter(abandoned, at10, state, none, d("2026-11-28T10:00:00Z")))).toBe("entered");
  });

  it("filters by the trigger: the segment entered, the consent channel", () => {
    const winBack = BUILT_IN_FLOWS.win_back.definition;
    const now = d("2026-11-27T10:00:00Z");
    const lapsed: FlowEvent = {
      type: "segment_entered",
      transitionId: "t1",
      segment: "lapsed",
      customerId: "1001",
      occurredAt: now,
      causedByFlow: null,
    };
    expect(reason(enter(winBack, lapsed, state, none, now))).toBe("entered");
    expect(reason(enter(winBack, { ...lapsed, segment: "vip" }, state, none, now))).toBe("filtered_out");
    const welcomeSmsOnly = {
      ...BUILT_IN_FLOWS.welcome.definition,
      trigger: { event: "marketing_consent_granted" as const, filter: { channels: ["sms" as const] } },
    };
    const email: FlowEvent = {
      type: "marketing_consent_granted",
      channel: "email",
      customerId: "1001",
      occurredAt: now,
      causedByFlow: null,
    };
    expect(reason(enter(welcomeSmsOnly, email, state, none, now))).toBe("filtered_out");
    expect(reason(enter(welcomeSmsOnly, { ...email, channel: "sms" }, state, none, now))).toBe("entered");
    const ps = {
      ...abandoned,
      trigger: { event: "checkout_activity" as const, filter: { segments: ["price_sensitive" as const] } },
    };
    expect(reason(enter(ps, at10, state, none, now))).toBe("filtered_out");
    expect(
      reason(
        enter(ps, at10, { ...state, customer: { ...state.customer, segment: "price_sensitive" } }, none, now),
      ),
    ).toBe("entered");
  });

  it("re-entry: once per entity, and at most once per customer in minDaysBetween days either side", () => {
    const past: PastEnrollment = {
      flowKey: "abandoned_checkout",
      triggerEntityId: "4000",
      triggeredAt: d("2026-11-20T10:00:01Z"),
    };
    const other = (at: string) => checkoutEvent(at, { checkoutId: "5002" });
    // 7 days = 2026-11-27T10:00:01Z; a second short of it is inside the window
    expect(
      reason(
        enter(
          abandoned,
          other("2026-11-27T10:00:00Z"),
          state,
          { enrollments: [past] },
          d("2026-11-27T10:00:00Z"),
        ),
      ),
    ).toBe("re_entry_window");
    expect(
      reason(
        enter(
          abandoned,
          other("2026-11-27T10:00:01Z"),
          state,
          { enrollments: [past] },
          d("2026-11-27T10:00:01Z"),
        ),
      ),
    ).toBe("entered");
    // a late event from before an enrollment counts too
    expect(
      reason(
        enter(
          abandoned,
          other("2026-11-19T10:00:00Z"),
          state,
          { enrollments: [past] },
          d("2026-11-19T10:00:00Z"),
        ),
      ),
    ).toBe("re_entry_window");
    // other flows' enrollments do not count
    const welcomePast = { ...past, flowKey: "welcome" };
    expect(
      reason(
        enter(
          abandoned,
          other("2026-11-27T10:00:00Z"),
          state,
          { enrollments: [welcomePast] },
          d("2026-11-27T10:00:00Z"),
        ),
      ),
    ).toBe("entered");
    // the welcome flow has no day limit but is once per customer (its trigger entity)
    const welcome = BUILT_IN_FLOWS.welcome.definition;
    const consent: FlowEvent = {
      type: "marketing_consent_granted",
      channel: "sms",
      customerId: "1001",
      occurredAt: d("2027-06-01T00:00:00Z"),
      causedByFlow: null,
    };
    expect(triggerEntityOf(consent)).toBe("1001");
    const once: PastEnrollment = {
      flowKey: "welcome",
      triggerEntityId: "1001",
      triggeredAt: d("2026-01-01T00:00:00Z"),
    };
    expect(reason(enter(welcome, consent, state, { enrollments: [once] }, consent.occurredAt))).toBe(
      "already_enrolled",
    );
  });

  it("records the segment entered for segment_left, and the holdout decided once", () => {
    const vip = BUILT_IN_FLOWS.vip_recognition.definition;
    const now = d("2026-11-27T20:00:00Z");
    const event: FlowEvent = {
      type: "segment_entered",
      transitionId: "t9",
      segment: "vip",
      customerId: "1001",
      occurredAt: now,
      causedByFlow: null,
    };
    const r = enter(vip, event, state, none, now);
    expect(r.kind === "enter" && r.enrollment.triggerSegment).toBe("vip");
    // 20:00 UTC = 15:00 in New York: the next 10:00 there is 15:00 UTC tomorrow
    expect(r.kind === "enter" && r.first.dueAt).toEqual(d("2026-11-28T15:00:00Z"));
  });
});

describe("holdout", () => {
  it("holds out about 10% of 10,000 customers (binomial: 1,000 ± 90 at three standard deviations)", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => String(7_400_000_000_000 + i));
    const held = ids.filter((id) => isFlowHoldout("abandoned_checkout", id, 0.1)).length;
    expect(Math.abs(held - 1_000)).toBeLessThanOrEqual(90);
    // Pinned: changing the hash or the key reshuffles every flow's control group, which must be deliberate.
    expect(held).toMatchInlineSnapshot(`985`);
    // Independent of the campaign of the same name and of other flows
    const both = ids.filter(
      (id) => isFlowHoldout("abandoned_checkout", id, 0.1) && isFlowHoldout("welcome", id, 0.1),
    ).length;
    expect(Math.abs(both - 100)).toBeLessThanOrEqual(30);
    expect(isFlowHoldout("x", "1", 0)).toBe(false);
    expect(isFlowHoldout("abandoned_checkout", "gid://shopify/Customer/7400000000000", 0.1)).toBe(
      isFlowHoldout("abandoned_checkout", "7400000000000", 0.1),
    );
  });
});

describe("endedByOrders", () => {
  it("is the flows that end on an order or on leaving a segment", () => {
    const flows = Object.values(BUILT_IN_FLOWS).map((f) => f.definition);
    // by hand from the built-in definitions' exitWhen
    expect([...endedByOrders(flows)].sort()).toEqual(["abandoned_checkout", "vip_recognition", "win_back"]);
  });
});
