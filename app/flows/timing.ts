import { chooseTimeZone } from "../messaging/rules/send-time";
import {
  DAY_MS,
  instantAt,
  MINUTE_MS,
  parseLocalTime,
  startOfWallDay,
  wallAt,
} from "../messaging/rules/time-zone";
import type { DueStep } from "./model";
import type { Instruction } from "./program";

// When a flow's next step is due: its waits walked from an anchor (the trigger, or the moment the
// previous step was due to go out). Waits take no decision, so the timer always points at a send
// or a branch. Pure.

/** The customer's zone, else the shop's, else UTC (send-time.ts's rule). */
export function flowTimeZone(customerTimeZone: string | null, shopTimeZone: string): string {
  return chooseTimeZone(customerTimeZone, shopTimeZone).timeZone;
}

/**
 * The first instant at or after `after` whose local clock in `timeZone` reads `localTime` ("10:00").
 * A time skipped by a spring-forward gap moves to the end of the gap; a repeated one takes its first
 * occurrence (time-zone.ts's instantAt).
 */
export function nextLocalTime(after: number, localTime: string, timeZone: string): number {
  const minutes = parseLocalTime(localTime) * MINUTE_MS;
  let day = startOfWallDay(wallAt(after, timeZone));
  // Today or tomorrow in every real zone; a skipped calendar day (Samoa, 2011) needs one more.
  for (let i = 0; i < 4; i++, day += DAY_MS) {
    const { instant } = instantAt(day + minutes, timeZone);
    if (instant >= after) return instant;
  }
  throw new RangeError(`no ${localTime} in ${timeZone} after ${new Date(after).toISOString()}`);
}

/** The first send or branch from `from` on and when it is due, its waits counted from `anchor`; null: the flow ends. */
export function advance(
  program: readonly Instruction[],
  from: number | null,
  anchor: number,
  timeZone: string,
): DueStep | null {
  let t = anchor;
  // Every `next` points forward (program.ts), so this walk ends.
  for (let i = from; i !== null;) {
    const instruction = program[i];
    if (!instruction) throw new RangeError(`no step ${i} in this flow`);
    const { step } = instruction;
    switch (step.kind) {
      case "wait":
        t += step.minutes * MINUTE_MS;
        i = instruction.next;
        break;
      case "wait_until":
        t = nextLocalTime(t, step.localTime, timeZone);
        i = instruction.next;
        break;
      case "send":
      case "branch":
        return { index: i, dueAt: new Date(t), wakeAt: new Date(t), decided: [] };
      default: {
        const never: never = step;
        throw new Error(`unknown step ${String(never)}`);
      }
    }
  }
  return null;
}
