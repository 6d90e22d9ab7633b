import { HOUR_MS } from "../messaging/rules/time-zone";
import type { Segment } from "../segments/rules";
import type { FlowDefinition } from "./definition";
import { enrollmentIdFor, isFlowHoldout } from "./ids";
import type { DueStep, Enrollment, FlowEvent, ShopContext } from "./model";
import { programFor } from "./program";
import { advance, flowTimeZone } from "./timing";

// Whether an event starts a customer's run through a flow, and when its first step is due. Pure:
// the app calls it from webhook and segment-change jobs, the replay from its files, the same way.

export const NOT_ENTERED_REASONS = [
  "other_trigger",
  "no_customer",
  "own_send",
  "already_enrolled",
  "flow_disabled",
  "filtered_out",
  "already_converted",
  "stale_event",
  "re_entry_window",
] as const;
export type NotEnteredReason = (typeof NOT_ENTERED_REASONS)[number];

/** Events older than this start nothing: a backfill or a day-late webhook is not a moment to react to. */
export const STALE_EVENT_MS = 24 * HOUR_MS;

export interface EntryState {
  shop: Pick<ShopContext, "shop" | "timeZone">;
  customer: { segment: Segment | null; timeZone: string | null };
}

export interface PastEnrollment {
  flowKey: string;
  triggerEntityId: string;
  triggeredAt: Date;
}

/** The customer's enrollments so far, in any flow and in any state (finished ones too). */
export interface EntryHistory {
  enrollments: readonly PastEnrollment[];
}

export type EntryDecision =
  | { kind: "enter"; enrollment: Enrollment; first: DueStep }
  | { kind: "not_entered"; reason: NotEnteredReason };

/** The thing a customer is in a flow once for: the checkout, the order, the segment change, or (consent) the customer. */
export function triggerEntityOf(event: FlowEvent): string | null {
  switch (event.type) {
    case "checkout_activity":
      return event.checkoutId;
    case "marketing_consent_granted":
      return event.customerId;
    case "segment_entered":
      return event.transitionId;
    case "order_placed":
      return event.orderId;
    default: {
      const never: never = event;
      throw new Error(`unknown event ${String(never)}`);
    }
  }
}

function passesFilter(flow: FlowDefinition, event: FlowEvent, segment: Segment | null): boolean {
  const { trigger } = flow;
  switch (trigger.event) {
    case "checkout_activity":
    case "order_placed":
      return (
        trigger.filter.segments === undefined ||
        (segment !== null && trigger.filter.segments.includes(segment))
      );
    case "marketing_consent_granted":
      return event.type === "marketing_consent_granted" && trigger.filter.channels.includes(event.channel);
    case "segment_entered":
      return event.type === "segment_entered" && event.segment === trigger.filter.segment;
    default: {
      const never: never = trigger;
      throw new Error(`unknown trigger ${String(never)}`);
    }
  }
}

/**
 * Enter the flow, or why not. A customer is in a flow once per trigger entity, and with
 * `reEntry.minDaysBetween` at most once in that many days (any entity); a flow's own messages never
 * start it again. A later event of an entity already in the flow (another checkout update) enters
 * nothing: the first step's decision reads the checkout's latest activity itself.
 */
export function enter(
  flow: FlowDefinition,
  event: FlowEvent,
  state: EntryState,
  history: EntryHistory,
  now: Date,
): EntryDecision {
  const no = (reason: NotEnteredReason): EntryDecision => ({ kind: "not_entered", reason });
  const entity = triggerEntityOf(event);
  if (event.type !== flow.trigger.event) return no("other_trigger");
  if (event.customerId === null || entity === null) return no("no_customer");
  if (event.causedByFlow === flow.key) return no("own_send");
  const mine = history.enrollments.filter((e) => e.flowKey === flow.key);
  if (mine.some((e) => e.triggerEntityId === entity)) return no("already_enrolled");
  if (!flow.enabled) return no("flow_disabled");
  if (!passesFilter(flow, event, state.customer.segment)) return no("filtered_out");
  if (event.type === "checkout_activity" && event.completedAt !== null) return no("already_converted");
  const at = event.occurredAt.getTime();
  if (now.getTime() - at > STALE_EVENT_MS) return no("stale_event");
  const days = flow.reEntry.minDaysBetween;
  if (days !== null && mine.some((e) => Math.abs(e.triggeredAt.getTime() - at) < days * 24 * HOUR_MS))
    return no("re_entry_window");

  const zone = flowTimeZone(state.customer.timeZone, state.shop.timeZone);
  const first = advance(programFor(flow.steps), 0, at, zone);
  if (!first) throw new Error(`flow ${flow.key} has no send step`); // the schema refuses such a flow
  return {
    kind: "enter",
    enrollment: {
      id: enrollmentIdFor(state.shop.shop, flow.key, entity),
      shop: state.shop.shop,
      flowKey: flow.key,
      triggerEntityId: entity,
      customerId: event.customerId,
      triggeredAt: event.occurredAt,
      triggerSegment: event.type === "segment_entered" ? event.segment : null,
      holdout: isFlowHoldout(flow.key, event.customerId, flow.holdoutShare),
    },
    first,
  };
}

/**
 * The flows an order can end, whose waiting steps an order wakes so they end at once: on the order
 * itself (converted) or on the segment it moves the customer out of. Another flow's step keeps its
 * wait (one held for quiet hours or caps is not decided again at every order).
 */
export function endedByOrders(flows: readonly Pick<FlowDefinition, "key" | "exitWhen">[]): Set<string> {
  return new Set(
    flows
      .filter((f) => f.exitWhen.includes("order_placed") || f.exitWhen.includes("segment_left"))
      .map((f) => f.key),
  );
}
