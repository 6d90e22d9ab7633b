import { eligibleChannels, type Channel } from "../messaging/rules/channels";
import { conditionHolds, exitReason } from "./conditions";
import { messageContent } from "./content";
import type { FlowDefinition, SendStep } from "./definition";
import { stepMessageKey } from "./ids";
import type {
  DueStep,
  Enrollment,
  ExitReason,
  FlowRow,
  FlowSkipReason,
  MessageContent,
  StepFacts,
} from "./model";
import { programFor, type Instruction } from "./program";
import { channelTiming } from "./schedule";
import { advance, flowTimeZone } from "./timing";

// One step of one enrollment, decided against facts re-read right before it. The app's durable
// timer and the replay's virtual clock both call this when a step's wakeAt comes, then store the
// rows, hand the rows without a skip reason to messaging (idempotent by messageKey), and wait for
// `next`. Pure and deterministic: the same inputs give the same decision.

export type HoldReason = "not_due" | "checkout_activity" | "quiet_hours" | "frequency_cap";

export type StepDecision =
  /** at least one row goes out now; the step is done */
  | { kind: "send"; rows: FlowRow[]; content: MessageContent; next: DueStep | null }
  /** nothing goes out (holdout, consent, caps, stock…); the step is done and the flow goes on */
  | { kind: "skip"; reason: FlowSkipReason; rows: FlowRow[]; next: DueStep | null }
  /** the step is not done: decide it again at next.wakeAt; rows (channels decided now) may already send */
  | { kind: "hold"; reason: HoldReason; rows: FlowRow[]; content: MessageContent | null; next: DueStep }
  /** the enrollment ends here */
  | { kind: "exit"; reason: ExitReason; rows: FlowRow[] }
  | { kind: "branch"; taken: "then" | "else"; next: DueStep | null };

/** The channels a step reports when it ends without trying them: every one left ("all") or the first left ("first"). */
function untried(step: SendStep, decided: readonly Channel[]): Channel[] {
  const left = step.channels.filter((c) => !decided.includes(c));
  return step.channelMode === "all" ? left : left.slice(0, 1);
}

interface Timing {
  sendAt: Date | null;
  deferredForQuietHours: boolean;
  deferredForCap: boolean;
}
const NO_TIMING: Timing = { sendAt: null, deferredForQuietHours: false, deferredForCap: false };

/** One call's context: the flow, the enrollment and the step it decides, the facts and the clock. */
interface Call {
  flow: FlowDefinition;
  enrollment: Enrollment;
  instruction: Instruction;
  facts: StepFacts;
  now: Date;
  zone: string;
}

function rowOf(
  call: Call,
  due: DueStep,
  channel: Channel,
  skipReason: FlowSkipReason | null,
  timing: Timing,
): FlowRow {
  const { flow, enrollment, instruction } = call;
  return {
    flowKey: flow.key,
    stepIndex: instruction.index,
    stepId: instruction.step.id,
    enrollmentId: enrollment.id,
    triggerEntityId: enrollment.triggerEntityId,
    customerId: enrollment.customerId,
    channel,
    holdout: enrollment.holdout,
    messageKey: stepMessageKey(
      enrollment.shop,
      flow.key,
      enrollment.triggerEntityId,
      instruction.index,
      channel,
    ),
    dueAt: due.dueAt,
    ...timing,
    skipReason,
  };
}

export function decideStep(
  flow: FlowDefinition,
  enrollment: Enrollment,
  due: DueStep,
  facts: StepFacts,
  now: Date,
): StepDecision {
  const program = programFor(flow.steps);
  const instruction = program[due.index];
  if (!instruction) throw new RangeError(`flow ${flow.key} has no step ${due.index}`);
  const call: Call = {
    flow,
    enrollment,
    instruction,
    facts,
    now,
    zone: flowTimeZone(facts.customer.timeZone, facts.shop.timeZone),
  };
  const { step } = instruction;

  // An exit is checked first and at any call, so the app may also call this on an order webhook.
  const exit = exitReason(flow, enrollment, facts);
  if (exit) {
    const channels = step.kind === "send" ? untried(step, due.decided) : [];
    return { kind: "exit", reason: exit, rows: channels.map((c) => rowOf(call, due, c, exit, NO_TIMING)) };
  }
  // A step is never decided before it is due, however early it was woken (an order wakes a
  // customer's steps so that exits happen at once): the next call comes at the later of the two.
  const notBefore = due.wakeAt > due.dueAt ? due.wakeAt : due.dueAt;
  if (now < notBefore) return { kind: "hold", reason: "not_due", rows: [], content: null, next: { ...due, wakeAt: notBefore } };

  switch (step.kind) {
    case "branch": {
      const taken = conditionHolds(step.if, flow, enrollment, facts) ? "then" : "else";
      const target = instruction.arms?.[taken] ?? null;
      return { kind: "branch", taken, next: advance(program, target, due.dueAt.getTime(), call.zone) };
    }
    case "send":
      return decideSend(call, step, due);
    case "wait":
    case "wait_until":
      throw new RangeError(
        `step ${due.index} of flow ${flow.key} is a wait: timers point at sends and branches`,
      );
    default: {
      const never: never = step;
      throw new Error(`unknown step ${String(never)}`);
    }
  }
}

function decideSend(call: Call, step: SendStep, given: DueStep): StepDecision {
  const { flow, enrollment, instruction, facts, now, zone } = call;
  const program = programFor(flow.steps);
  let due = given;
  // The first message counts from the checkout's last activity: a shopper still editing the cart
  // has not abandoned it. Later activity moves the first step, never the reminders.
  const checkout = facts.checkout?.id === enrollment.triggerEntityId ? facts.checkout : null;
  if (flow.trigger.event === "checkout_activity" && due.decided.length === 0 && checkout) {
    const moved = advance(program, 0, checkout.updatedAt.getTime(), zone);
    if (moved && moved.index === due.index && moved.dueAt > due.dueAt) {
      if (moved.dueAt > now)
        return { kind: "hold", reason: "checkout_activity", rows: [], content: null, next: moved };
      due = { ...due, dueAt: moved.dueAt };
    }
  }
  const skipped = (channel: Channel, reason: FlowSkipReason) => rowOf(call, due, channel, reason, NO_TIMING);
  const continueFrom = (anchor: number) => advance(program, instruction.next, anchor, zone);

  const shown = messageContent(flow, step, facts);
  if (shown.kind === "nothing_to_show") {
    const rows = untried(step, due.decided).map((c) => skipped(c, shown.reason));
    return { kind: "skip", reason: shown.reason, rows, next: continueFrom(due.dueAt.getTime()) };
  }

  const left = step.channels.filter((c) => !due.decided.includes(c));
  if (left.length === 0)
    throw new RangeError(`step ${due.index} of flow ${flow.key} has every channel decided already`);
  const rows: FlowRow[] = [];
  // The next wait counts from when this step was due to go out (quiet hours and caps included).
  let anchor = due.dueAt.getTime();
  let hold: { until: Date; why: HoldReason } | null = null;
  const order = { channels: left, channelMode: step.channelMode };
  for (const { channel, skipReason } of eligibleChannels(facts.customer, facts.suppressions, order)) {
    if (skipReason !== null) {
      rows.push(skipped(channel, skipReason));
      continue;
    }
    const timing = channelTiming(flow, enrollment, channel, due.dueAt, facts, zone, now);
    switch (timing.kind) {
      case "capped":
        rows.push(skipped(channel, "capped"));
        break;
      case "later":
        if (hold === null || timing.until < hold.until) hold = { until: timing.until, why: timing.why };
        break;
      case "now": {
        const { at: sendAt, deferredForQuietHours, deferredForCap } = timing;
        const reason = enrollment.holdout ? "holdout" : null;
        rows.push(rowOf(call, due, channel, reason, { sendAt, deferredForQuietHours, deferredForCap }));
        anchor = Math.max(anchor, timing.plannedAt.getTime());
        break;
      }
      default: {
        const never: never = timing;
        throw new Error(`unknown timing ${String(never)}`);
      }
    }
  }
  const { content } = shown;
  if (hold !== null) {
    const decided = [...due.decided, ...rows.map((r) => r.channel)];
    return { kind: "hold", reason: hold.why, rows, content, next: { ...due, wakeAt: hold.until, decided } };
  }
  const next = continueFrom(anchor);
  if (rows.some((r) => r.skipReason === null)) return { kind: "send", rows, content, next };
  const reason = rows[0]?.skipReason;
  if (!reason) throw new Error("a decided step has a row"); // eligibleChannels gives one per channel tried
  return { kind: "skip", reason, rows, next };
}
