// The rehearsal report's figures: percentiles, the webhook queue's lag, segment freshness and how
// late flow steps were. Pure.

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values; NaN for none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export function summary(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/**
 * For each sample of the webhook counts: how long until every delivery received by then was
 * processed (first in, first out). A backlog never drained by `endedAt` counts until then.
 */
export function queueLag(
  samples: ReadonlyArray<{ at: number; received: number; done: number }>,
  endedAt: number,
): number[] {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  return sorted.map((s, i) => {
    const drained = sorted.slice(i).find((later) => later.done >= s.received);
    return (drained ? drained.at : endedAt) - s.at;
  });
}

/**
 * The highest rate over any `windowMs` of the given times (per second): what the peak really asked
 * of the app, whatever the ramp before it and the follow-ups after.
 */
export function busiestRate(times: readonly number[], windowMs = 60_000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] ?? 0) - (sorted[lo] ?? 0) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return Math.round((best / windowMs) * 1_000 * 10) / 10;
}

/** For each order received: until its customer's next segment change, when one came within 10 minutes. */
export function segmentFreshness(
  receipts: ReadonlyArray<{ customerId: string; receivedAt: number }>,
  transitions: ReadonlyArray<{ customerId: string; at: number }>,
): number[] {
  const byCustomer = new Map<string, number[]>();
  for (const t of transitions) byCustomer.set(t.customerId, [...(byCustomer.get(t.customerId) ?? []), t.at]);
  for (const times of byCustomer.values()) times.sort((a, b) => a - b);
  return receipts.flatMap((r) => {
    const next = (byCustomer.get(r.customerId) ?? []).find((at) => at >= r.receivedAt);
    return next !== undefined && next - r.receivedAt <= 10 * 60_000 ? [next - r.receivedAt] : [];
  });
}

interface StepRow {
  enrollmentId: string | null;
  sendKey: string;
  channel: string;
  status: string;
  skipReason?: string | null;
  createdAt: number;
  sentAt: number | null;
}

/**
 * How late each known step was: decided (its first row stored) and done (a message sent, or the
 * step skipped) after it was due; an SMS is due at the due time moved into the SMS hours. A message
 * still waiting to go at `endedAt` counts until then. A step with no row (held by a cap, ended by
 * an exit, or lost: the checks count those) is not measured.
 */
/** A step among the latest, to tell what held it: its decision's share and where its messages ended. */
export interface SlowStep {
  enrollmentId: string;
  sendKey: string;
  dueAt: string;
  /** due → the enrollment stored (when known) */
  enteredMs?: number;
  /** due → decided */
  decidedMs: number;
  /** due → sent or skipped (or the run's end, still waiting) */
  lateMs: number;
  /** each message's channel and status */
  outcome: string;
}
const SLOWEST = 10;

/** How much of [from, to] falls in the given windows (assumed not to overlap each other). */
export function overlapMs(
  from: number,
  to: number,
  windows: ReadonlyArray<{ from: number; to: number }>,
): number {
  return windows.reduce((sum, w) => sum + Math.max(0, Math.min(to, w.to) - Math.max(from, w.from)), 0);
}

export function lateness(
  steps: ReadonlyArray<{ enrollmentId: string; sendKey: string; dueAt: number; smsDueAt: number }>,
  rows: readonly StepRow[],
  endedAt: number,
  refused: ReadonlyArray<{ from: number; to: number }> = [],
): { decision: number[]; outcome: number[]; own: number[]; notMeasured: number; slowest: SlowStep[] } {
  const byStep = new Map<string, StepRow[]>();
  for (const r of rows) {
    if (r.enrollmentId === null) continue;
    const key = `${r.enrollmentId} ${r.sendKey}`;
    byStep.set(key, [...(byStep.get(key) ?? []), r]);
  }
  const decision: number[] = [];
  const outcome: number[] = [];
  const own: number[] = [];
  const measured: SlowStep[] = [];
  let notMeasured = 0;
  for (const s of steps) {
    const found = byStep.get(`${s.enrollmentId} ${s.sendKey}`) ?? [];
    if (found.length === 0) {
      notMeasured += 1;
      continue;
    }
    // An SMS goes out (or would, held out) only inside the SMS hours; a skip is decided at the due time.
    const due = (r: StepRow) =>
      r.channel === "sms" && (r.status === "sent" || r.status === "holdout" || r.status === "queued")
        ? s.smsDueAt
        : s.dueAt;
    decision.push(Math.min(...found.map((r) => r.createdAt - due(r))));
    const done = found.flatMap((r) =>
      r.status === "sent" && r.sentAt !== null
        ? [r.sentAt - due(r)]
        : r.status === "skipped" || r.status === "holdout"
          ? [r.createdAt - due(r)]
          : [],
    );
    const waiting = found.filter(
      (r) => r.status === "queued" || r.status === "sending" || r.status === "planned",
    );
    const late =
      done.length > 0
        ? Math.min(...done)
        : waiting.length > 0
          ? Math.min(...waiting.map((r) => endedAt - due(r)))
          : null;
    if (late === null) continue;
    outcome.push(late);
    own.push(late - overlapMs(s.dueAt, s.dueAt + late, refused));
    measured.push({
      enrollmentId: s.enrollmentId,
      sendKey: s.sendKey,
      dueAt: new Date(s.dueAt).toISOString(),
      decidedMs: Math.min(...found.map((r) => r.createdAt - due(r))),
      lateMs: late,
      outcome: found.map((r) => `${r.channel} ${r.skipReason ?? r.status}`).join(", "),
    });
  }
  const slowest = measured.sort((a, b) => b.lateMs - a.lateMs).slice(0, SLOWEST);
  return { decision, outcome, own, notMeasured, slowest };
}
