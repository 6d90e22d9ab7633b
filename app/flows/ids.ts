import { createHash } from "node:crypto";
import type { Channel } from "../messaging/rules/channels";
import { isHoldout } from "../messaging/rules/holdout";

// Deterministic ids of flows, shaped like the outbox's (app/messaging/outbox-id.server.ts): the same
// inputs give the same id on every run, in the app and in the replay, so a redelivered webhook, a
// restarted worker or a second replay makes no copies. Both fit `[A-Za-z0-9._:@-]{1,200}`.

const hex40 = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 40);

/** One customer's run through one flow for one trigger entity (checkout, order, segment change, consent). */
export function enrollmentIdFor(shop: string, flowKey: string, triggerEntityId: string): string {
  return `e_${hex40(`flow-enrollment\n${shop}\n${flowKey}\n${triggerEntityId}`)}`;
}

/** One message of a flow: (shop, flow, trigger entity, step, channel); also its idempotency key. */
export function stepMessageKey(
  shop: string,
  flowKey: string,
  triggerEntityId: string,
  stepIndex: number,
  channel: Channel,
): string {
  return `m_${hex40(`flow-message\n${shop}\n${flowKey}\n${triggerEntityId}\n${stepIndex}\n${channel}`)}`;
}

/**
 * Whether the flow holds this customer out (they walk its steps but receive nothing). The flow's
 * own key, apart from campaign keys, so a flow's control group is independent of every campaign's.
 * Customers arrive one at a time, so the share is the hash's: for n customers the count is binomial
 * around share × n (at 10% of 10,000: 1,000 ± 90 at three standard deviations), not an exact cut.
 */
export function isFlowHoldout(flowKey: string, customerId: string, share: number): boolean {
  return isHoldout(`flow:${flowKey}`, customerId, share);
}

/** A built-in flow of a shop: the Flow row's id, which its outbox rows carry as their source ("f_": see messaging/dispatch/sources.ts). */
export function flowIdFor(shop: string, flowKey: string): string {
  return `f_${hex40(`flow\n${shop}\n${flowKey}`)}`;
}
