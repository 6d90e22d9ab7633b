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
  const { step } = instruction;
  const zone = flowTimeZone(facts.customer.timeZone, facts.shop.timeZone);
  const row = (
    channel: Channel,
    skipReason: FlowSkipReason | null,
    timing: { sendAt: Date | null; deferredForQuietHours: boolean; deferredForCap: boolean },
  ): FlowRow => ({
    flowKey: flow.key,
    stepIndex: due.index,
    stepId: step.id,
    enrollmentId: enrollment.id,
    triggerEntityId: enrollment.triggerEntityId,
    customerId: enrollment.customerId,
    channel,
    holdout: enrollment.holdout,
    messageKey: stepMessageKey(enrollment.shop, flow.key, enrollment.triggerEntityId, due.index, channel),
    dueAt: due.dueAt,
    ...timing,
    skipReason,
  });
  const skipped = (channel: Channel, reason: FlowSkipReason) =>
    row(channel, reason, { sendAt: null, deferredForQuietHours: false, deferredForCap: false });

  // An exit is checked first and at any call, so the app may also call this on an order webhook.
  const exit = exitReason(flow, enrollment, facts);
  if (exit)
    return {
      kind: "exit",
      reason: exit,
      rows: step.kind === "send" ? untried(step, due.decided).map((c) => skipped(c, exit)) : [],
    };
  if (now < due.wakeAt) return { kind: "hold", reason: "not_due", rows: [], content: null, next: due };

  switch (step.kind) {
    case "branch": {
      const taken = conditionHolds(step.if, flow, enrollment, facts) ? "then" : "else";
      return {
        kind: "branch",
        taken,
        next: advance(program, instruction.arms?.[taken] ?? null, due.dueAt.getTime(), zone),
      };
    }
    case "send":
      return decideSend(flow, enrollment, instruction, step, due, facts, now, zone, row, skipped);
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

function decideSend(
  flow: FlowDefinition,
  enrollment: Enrollment,
  instruction: Instruction,
  step: SendStep,
  given: DueStep,
  facts: StepFacts,
  now: Date,
  zone: string,
  row: (
    c: Channel,
    r: FlowSkipReason | null,
    t: { sendAt: Date | null; deferredForQuietHours: boolean; deferredForCap: boolean },
  ) => FlowRow,
  skipped: (c: Channel, r: FlowSkipReason) => FlowRow,
): StepDecision {
  const program = programFor(flow.steps);
  let due = given;
  // The first message counts from the checkout's last activity: a shopper still editing the cart
  // has not abandoned it. Later activity moves the first step, never the reminders.
  if (flow.trigger.event === "checkout_activity" && due.decided.length === 0 && facts.checkout) {
    const moved = advance(program, 0, facts.checkout.updatedAt.getTime(), zone);
    if (moved && moved.index === due.index && moved.dueAt > due.dueAt) {
      if (moved.dueAt > now)
        return { kind: "hold", reason: "checkout_activity", rows: [], content: null, next: moved };
      due = { ...due, dueAt: moved.dueAt };
    }
  }
  const continueFrom = (anchor: number) => advance(program, instruction.next, anchor, zone);

  const shown = messageContent(flow, step, facts);
  if (shown.kind === "nothing_to_show")
    return {
      kind: "skip",
      reason: shown.reason,
      rows: untried(step, due.decided).map((c) => skipped(c, shown.reason)),
      next: continueFrom(due.dueAt.getTime()),
    };

  const left = step.channels.filter((c) => !due.decided.includes(c));
  if (left.length === 0)
    throw new RangeError(`step ${due.index} of flow ${flow.key} has every channel decided already`);
  const rows: FlowRow[] = [];
  let anchor = due.dueAt.getTime();
  let wakeAt: Date | null = null;
  let holdReason: HoldReason = "quiet_hours";
  for (const { channel, skipReason } of eligibleChannels(facts.customer, facts.suppressions, {
    channels: left,
    channelMode: step.channelMode,
  })) {
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
        if (wakeAt === null || timing.until < wakeAt) [wakeAt, holdReason] = [timing.until, timing.why];
        break;
      case "now": {
        const { at, deferredForQuietHours, deferredForCap } = timing;
        rows.push(
          row(channel, enrollment.holdout ? "holdout" : null, {
            sendAt: at,
            deferredForQuietHours,
            deferredForCap,
          }),
        );
        anchor = Math.max(anchor, timing.plannedAt.getTime());
        break;
      }
      default: {
        const never: never = timing;
        throw new Error(`unknown timing ${String(never)}`);
      }
    }
  }
  const content = shown.content;
  if (wakeAt !== null) {
    const decided = [...due.decided, ...rows.map((r) => r.channel)];
    return { kind: "hold", reason: holdReason, rows, content, next: { ...due, wakeAt, decided } };
  }
  const next = continueFrom(anchor);
  if (rows.some((r) => r.skipReason === null)) return { kind: "send", rows, content, next };
  const reason = rows[0]?.skipReason;
  if (!reason) throw new Error("a decided step has a row"); // eligibleChannels returns one per channel tried
  return { kind: "skip", reason, rows, next };
}
