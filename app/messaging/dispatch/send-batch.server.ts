import type { Channel, OutboundMessage, SendResult } from "../channels/types";
import { suppressedNote } from "../delivery-events/suppression";
import type { Coordination } from "./coordination";
import type { OutboxRow } from "./message";
import type { Outcome } from "./outbox.server";
import { boundedError, holdMs, MAX_SEND_ATTEMPTS, retryDelayMs } from "./retry";

// Sends one claimed batch at the pace of the (shop, channel) limit: each message waits for its
// slot (coordination.ts) and goes no earlier. Between slots the campaign's status is looked at
// (cached for `statusCheckMs`), so a pause or cancel stops the batch within a fraction of a
// second. The first retry answer (429, 5xx, timeout) holds the whole limit for every worker and
// gives the unsent rest of the batch back to the queue: a struggling provider is not hammered.

export interface SendItem {
  row: OutboxRow;
  message: OutboundMessage;
}

export interface SendBatchInput {
  items: readonly SendItem[];
  channel: Channel;
  /** the limit's key: shop and channel */
  rateKey: string;
  ratePerSecond: number;
  coordination: Coordination;
  /** false once the campaign is paused or cancelled (callers cache it) */
  isActive: () => Promise<boolean>;
  /**
   * Messages that must not go out any more (a flow's customer ordered meanwhile), with the skip
   * reason: asked for the unsent rest at most every `recheckMs`, so a slow batch still looks again
   * right before it sends.
   */
  withdrawn?: (rows: readonly OutboxRow[]) => Promise<ReadonlyMap<string, string>>;
  recheckMs?: number;
  /** writes accepted sends this often while the batch runs; the result leaves out what it wrote */
  recordSent?: { everyMs: number; write: (sent: readonly Outcome[]) => Promise<void> };
  /** no new send starts after this many ms */
  budgetMs: number;
  now: () => Date;
  random: () => number;
  /** consecutive retry answers of this limit in this process, for the hold */
  streak: { count: number };
}

export interface SendBatchResult {
  outcomes: Outcome[];
  /** why the batch stopped early, if it did */
  stopped: "inactive" | "held" | "budget" | null;
  /** with `held`: how long the limit is held */
  holdMs?: number;
}

// Sends at most this late keep any 10 s window within 0.4% of the limit (late / 10 s).
const MAX_LATE_MS = 40;
const RECHECK_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function outcomeOf(item: SendItem, result: SendResult, input: SendBatchInput): Outcome {
  const { id, attempts } = item.row;
  if (result.status === "sent")
    return { kind: "sent", id, attempts, providerId: result.providerId.slice(0, 200) };
  if (result.status === "withdrawn") return { kind: "skipped", id, attempts, reason: result.reason };
  if (result.status === "failed")
    return result.suppress
      ? {
          kind: "failed",
          id,
          attempts,
          error: boundedError(suppressedNote(result.suppress, result.reason)),
          suppress: result.suppress,
        }
      : { kind: "failed", id, attempts, error: boundedError(result.reason) };
  if (attempts >= MAX_SEND_ATTEMPTS)
    return {
      kind: "failed",
      id,
      attempts,
      error: boundedError(`${result.reason} (gave up after ${attempts} attempts)`),
    };
  const delay = retryDelayMs(attempts, result.retryAfterMs, input.random);
  return {
    kind: "retry",
    id,
    attempts,
    sendAt: new Date(input.now().getTime() + delay),
    error: boundedError(result.reason),
  };
}

export async function sendBatch(input: SendBatchInput): Promise<SendBatchResult> {
  const { items, coordination } = input;
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let next = 0;
  let stopped: SendBatchResult["stopped"] = null;
  let hold: number | undefined;
  let anySent = false;
  // The caller looked just before the batch; look again once the batch has run this long, for the
  // messages not on the wire yet: when the next one starts, and when one's connection comes free.
  let lastLook = performance.now();
  let looking: Promise<void> | null = null;
  const withdrawn = new Map<string, string>();
  /** started, but waiting for a free connection */
  const waitingTurn = new Set<SendItem>();
  const reasonNotToSend = async (item: SendItem): Promise<string | null> => {
    const ask = input.withdrawn;
    if (ask && !looking && performance.now() - lastLook >= (input.recheckMs ?? RECHECK_MS)) {
      lastLook = performance.now();
      const unsent = new Set([item, ...waitingTurn, ...items.slice(next)]);
      looking = ask([...unsent].map((i) => i.row)).then((found) => {
        for (const [id, reason] of found) withdrawn.set(id, reason);
      });
      await looking.finally(() => (looking = null));
    } else if (looking) await looking;
    return withdrawn.get(item.row.id) ?? null;
  };
  // Accepted sends are written while the batch runs, so a worker killed mid-batch leaves only the
  // last moment's sends unrecorded (a re-send with the same key), not the whole batch's.
  const recorded = new Set<string>();
  let unrecorded: Outcome[] = [];
  let recording: Promise<void> = Promise.resolve();
  const recordSent = () => {
    const record = input.recordSent;
    if (!record || unrecorded.length === 0) return;
    const these = unrecorded;
    unrecorded = [];
    recording = recording
      .then(() => record.write(these))
      .then(
        () => these.forEach((o) => recorded.add(o.id)),
        // left for the batch's own write at its end
        () => undefined,
      );
  };
  const recordTimer = input.recordSent ? setInterval(recordSent, input.recordSent.everyMs) : undefined;

  const start = (item: SendItem) => {
    waitingTurn.add(item);
    const atTurn = () => {
      waitingTurn.delete(item);
      return reasonNotToSend(item);
    };
    const task = input.channel
      .send(item.message, { atTurn })
      .finally(() => waitingTurn.delete(item))
      .catch((error: unknown): SendResult => ({ status: "retry", reason: `channel error: ${String(error)}` }))
      .then((result) => {
        const outcome = outcomeOf(item, result, input);
        outcomes.push(outcome);
        if (outcome.kind === "sent") unrecorded.push(outcome);
        // One trouble per batch however many sends were out: the streak counts troubled batches.
        if (result.status === "retry" && hold === undefined)
          hold = holdMs(input.streak.count + 1, result.retryAfterMs);
        if (result.status === "sent") anySent = true;
      });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  try {
    while (next < items.length && stopped === null) {
      if (hold !== undefined) stopped = "held";
      else if (!(await input.isActive())) stopped = "inactive";
      else if (performance.now() - started > input.budgetMs) stopped = "budget";
      if (stopped) break;
      const reservation = await coordination.reserve(input.rateKey, items.length - next, input.ratePerSecond);
      if (reservation.granted === 0) {
        // others hold the next slots: ask again a little later, not in a tight loop
        await sleep(Math.min(Math.max(reservation.startInMs, 20), 250));
        continue;
      }
      const base = performance.now() + reservation.startInMs;
      for (let k = 0; k < reservation.granted && next < items.length; k++) {
        const slotAt = base + k * reservation.intervalMs;
        const wait = slotAt - performance.now();
        if (wait > 1) await sleep(wait);
        // A slot we come to late (a busy event loop) is dropped, not caught up on: late sends
        // bunched together would exceed the rate in the window they land in.
        else if (wait < -MAX_LATE_MS) continue;
        // Slots taken but not used are simply lost: the limit only ever errs on the slow side.
        if (hold !== undefined || !(await input.isActive())) break;
        const item = items[next];
        if (!item) break;
        const reason = await reasonNotToSend(item);
        if (reason !== null) {
          next += 1;
          outcomes.push({ kind: "skipped", id: item.row.id, attempts: item.row.attempts, reason });
          continue;
        }
        // the looks above can wait on the database: a slot gone by meanwhile is dropped as well,
        // and the message waits for the next one
        if (performance.now() - slotAt > MAX_LATE_MS) continue;
        next += 1;
        start(item);
      }
    }
  } catch (error) {
    // a failed look ends the batch: what is still out finishes unrecorded here (the lease decides)
    clearInterval(recordTimer);
    throw error;
  }
  await Promise.all(inFlight);
  clearInterval(recordTimer);
  await recording;
  if (hold !== undefined) input.streak.count += 1;
  else if (anySent) input.streak.count = 0;
  if (hold !== undefined) {
    if (stopped === null && next < items.length) stopped = "held";
    await coordination.hold(input.rateKey, hold);
  }
  const later = new Date(input.now().getTime() + (hold ?? 0));
  for (const item of items.slice(next))
    outcomes.push({ kind: "release", id: item.row.id, attempts: item.row.attempts, sendAt: later });
  return {
    outcomes: outcomes.filter((o) => !recorded.has(o.id)),
    stopped: stopped ?? (hold !== undefined ? "held" : null),
    holdMs: hold,
  };
}
