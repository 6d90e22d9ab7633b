import { applyCaps } from "../messaging/rules/caps";
import type { Channel } from "../messaging/rules/channels";
import {
  ceilToSecond,
  nextAllowedSend,
  quietHoursFor,
  type QuietHours,
} from "../messaging/rules/quiet-hours";
import { HOUR_MS } from "../messaging/rules/time-zone";
import type { FlowDefinition } from "./definition";
import type { Enrollment, StepFacts } from "./model";

// When one channel of a flow step may go out: the same quiet hours and frequency caps as campaigns
// (app/messaging/rules), from the step's due time, never earlier than now. Pure.

/** A capped flow message waits at most this long past the moment it could otherwise go, then it is skipped. */
export const FLOW_CAP_MAX_DELAY_MS = 24 * HOUR_MS;

export type ChannelTiming =
  | { kind: "now"; at: Date; plannedAt: Date; deferredForQuietHours: boolean; deferredForCap: boolean }
  | { kind: "later"; until: Date; why: "quiet_hours" | "frequency_cap" }
  | { kind: "capped" };

export function quietHoursOf(channel: Channel, facts: StepFacts, timeZone: string): QuietHours | null {
  return channel === "sms" ? quietHoursFor(facts.customer, timeZone, facts.shop.audience) : null;
}

/**
 * The moment the message may go out if it was meant for `from`: the quiet hours' next opening, then
 * past the customer's other messages when the flow counts toward caps. The flow's earlier steps of
 * this enrollment (records under its id) do not cap it: the flow spaced them itself.
 */
function plan(
  flow: FlowDefinition,
  enrollment: Enrollment,
  channel: Channel,
  from: Date,
  facts: StepFacts,
  quietHours: QuietHours | null,
): { at: Date; quiet: boolean; capped: boolean } | null {
  const allowed = nextAllowedSend({ desired: from, now: from, quietHours });
  const quiet = allowed.getTime() > ceilToSecond(from.getTime());
  if (!flow.countsTowardCaps) return { at: allowed, quiet, capped: false };
  const deadline = new Date(allowed.getTime() + FLOW_CAP_MAX_DELAY_MS);
  const cap = applyCaps(facts.capsHistory, channel, allowed, deadline, facts.shop.audience.caps, {
    quietHours,
    campaign: enrollment.id,
  });
  return cap.kind === "send" ? { at: cap.at, quiet, capped: cap.deferred } : null;
}

/**
 * `now` when the message may go out at this call; `later` when quiet hours or caps hold it (the
 * step is decided again then, against fresh facts: an order in the meantime still stops it).
 * `plannedAt` is counted from the due time alone, so the app (a little late) and a replay (exactly on
 * time) agree on it and on the waits that follow.
 */
export function channelTiming(
  flow: FlowDefinition,
  enrollment: Enrollment,
  channel: Channel,
  dueAt: Date,
  facts: StepFacts,
  timeZone: string,
  now: Date,
): ChannelTiming {
  const quietHours = quietHoursOf(channel, facts, timeZone);
  const planned = plan(flow, enrollment, channel, dueAt, facts, quietHours);
  if (!planned) return { kind: "capped" };
  const nowSecond = ceilToSecond(now.getTime());
  const why = planned.capped ? "frequency_cap" : "quiet_hours";
  if (planned.at.getTime() > nowSecond) return { kind: "later", until: planned.at, why };
  // Due already (or late): from now, which may itself be in the quiet hours or near another message.
  const actual = plan(
    flow,
    enrollment,
    channel,
    new Date(Math.max(now.getTime(), dueAt.getTime())),
    facts,
    quietHours,
  );
  if (!actual) return { kind: "capped" };
  if (actual.at.getTime() > nowSecond)
    return { kind: "later", until: actual.at, why: actual.capped ? "frequency_cap" : "quiet_hours" };
  return {
    kind: "now",
    at: actual.at,
    plannedAt: planned.at,
    deferredForQuietHours: planned.quiet,
    deferredForCap: planned.capped,
  };
}
