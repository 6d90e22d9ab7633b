import {
  channelSkipReason,
  type Channel,
  type ConsentFields,
  type Suppression,
} from "../messaging/rules/channels";
import type { Condition, FlowDefinition } from "./definition";
import type { Enrollment, ExitReason, StepFacts } from "./model";
import { programFor } from "./program";

// The questions a flow asks right before a step: has the customer ordered, opted out, left the
// segment; and a branch's condition. Always against the facts just re-read, never the ones at entry.
// Pure.

/**
 * An order since the trigger: one that completed the trigger checkout (whenever it was placed), the
 * checkout marked completed, or any other order placed at or after the trigger (the trigger order
 * itself does not count for order_placed flows).
 */
export function orderedSinceTrigger(flow: FlowDefinition, enrollment: Enrollment, facts: StepFacts): boolean {
  const checkoutId = flow.trigger.event === "checkout_activity" ? enrollment.triggerEntityId : null;
  const triggerOrder = flow.trigger.event === "order_placed" ? enrollment.triggerEntityId : null;
  if (checkoutId !== null && facts.checkout?.id === checkoutId && facts.checkout.completedAt !== null)
    return true;
  const since = enrollment.triggeredAt.getTime();
  return facts.orders.some(
    (o) =>
      (checkoutId !== null && o.checkoutId === checkoutId) ||
      (o.id !== triggerOrder && o.placedAt.getTime() >= since),
  );
}

const OPT_OUTS = new Set(["unsubscribed", "complained"]);

function suppressedByChoice(channel: Channel, suppressions: readonly Suppression[]): boolean {
  return suppressions.some((s) => (s.channel === channel || s.channel === "all") && OPT_OUTS.has(s.reason));
}

/** The customer said no to `channel` (an unsubscribe or a complaint), as opposed to never saying yes. */
export function optedOut(
  channel: Channel,
  customer: ConsentFields,
  suppressions: readonly Suppression[],
): boolean {
  switch (channel) {
    case "email":
      return customer.emailMarketingState === "UNSUBSCRIBED" || suppressedByChoice("email", suppressions);
    case "sms":
      return customer.smsMarketingState === "UNSUBSCRIBED" || suppressedByChoice("sms", suppressions);
    case "webhook":
      return (
        suppressedByChoice("webhook", suppressions) ||
        (optedOut("email", customer, suppressions) && optedOut("sms", customer, suppressions))
      );
    default: {
      const never: never = channel;
      throw new Error(`unknown channel ${String(never)}`);
    }
  }
}

/** Every channel the flow sends on. */
export function flowChannels(flow: FlowDefinition): Channel[] {
  const channels = new Set<Channel>();
  for (const { step } of programFor(flow.steps))
    if (step.kind === "send") for (const c of step.channels) channels.add(c);
  return [...channels];
}

/**
 * Why the enrollment ends before this step, or null. `unsubscribed`: opted out of every channel the
 * flow uses (one channel left is a skip on the others, not an exit).
 */
export function exitReason(
  flow: FlowDefinition,
  enrollment: Enrollment,
  facts: StepFacts,
): ExitReason | null {
  if (!flow.enabled) return "flow_disabled";
  for (const condition of flow.exitWhen) {
    switch (condition) {
      case "order_placed":
        if (orderedSinceTrigger(flow, enrollment, facts)) return "converted";
        break;
      case "unsubscribed":
        if (flowChannels(flow).every((c) => optedOut(c, facts.customer, facts.suppressions)))
          return "unsubscribed";
        break;
      case "segment_left":
        if (enrollment.triggerSegment !== null && facts.customer.segment !== enrollment.triggerSegment)
          return "segment_left";
        break;
      default: {
        const never: never = condition;
        throw new Error(`unknown exit condition ${String(never)}`);
      }
    }
  }
  return null;
}

export function conditionHolds(
  condition: Condition,
  flow: FlowDefinition,
  enrollment: Enrollment,
  facts: StepFacts,
): boolean {
  switch (condition.is) {
    case "ordered_since_trigger":
      return orderedSinceTrigger(flow, enrollment, facts);
    case "segment_is":
      return facts.customer.segment === condition.segment;
    case "has_sms_consent":
      return channelSkipReason("sms", facts.customer, facts.suppressions) === null;
    case "has_email_consent":
      return channelSkipReason("email", facts.customer, facts.suppressions) === null;
    default: {
      const never: never = condition;
      throw new Error(`unknown condition ${String(never)}`);
    }
  }
}
