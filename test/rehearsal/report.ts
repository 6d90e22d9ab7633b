import {
  customersInLoops,
  decidedEarly,
  duplicates,
  EXITS,
  lost,
  sendsAfterConversion,
  smsOutsideHours,
  soldOutRecommended,
  type AfterEvent,
} from "./checks";
import { checkCounts } from "../../app/rehearsals/record";
import type { RehearsalFacts, SlowDelivery, Violation } from "./facts";
import {
  busiestRate,
  lateness,
  queueLag,
  segmentFreshness,
  summary,
  type SlowStep,
  type Summary,
} from "./stats";

// What the rehearsal found: the figures, and the checks that must be zero. Pure: the collector
// reads the database and the sinks into RehearsalFacts.

export type { DueStep, FactsEnrollment, FactsMessage, RehearsalFacts, Violation } from "./facts";
export { localMinute, SMS_HOURS } from "./checks";

export interface RehearsalReport {
  /** busiestMinutePerSecond: deliveries due in the busiest 60 s, per second */
  webhooks: {
    answered: number;
    non200: number;
    retried: number;
    busiestMinutePerSecond: number;
    answerMs: Summary;
  };
  queueLagMs: Summary;
  segmentFreshnessMs: Summary & { ordersThatMovedASegment: number };
  /** from due to sent (or skipped): every step with a known due time */
  stepLatenessMs: Summary & { steps: number; notMeasured: number };
  /** each step's lateness less the time a provider refused within it: the app's own share, judged by the target */
  stepLatenessOwnMs: Summary;
  /** the same, for the steps not due while a provider refused */
  stepLatenessOutsideOutagesMs: Summary;
  /** the latest steps, latest first */
  slowestSteps: SlowStep[];
  slowestDeliveries: SlowDelivery[];
  decisionLatenessMs: Summary;
  messages: {
    byStatus: Record<string, number>;
    skippedByReason: Record<string, number>;
    failedBecause: Record<string, number>;
    byFlow: Record<string, Record<string, number>>;
  };
  checks: {
    lost: { total: number; webhooks: number; dueStepsNotDecided: number; messagesNotSent: number };
    duplicates: number;
    sendsAfterConversion: AfterEvent;
    customersInLoops: number;
    soldOutRecommended: AfterEvent;
    smsOutsideHours: number;
    /** a step decided (a message sent or skipped) before it was due */
    decidedEarly: number;
  };
  target: { stepLatenessP99Ms: number; met: boolean };
  violations: Violation[];
}

const count = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

export function computeReport(f: RehearsalFacts, targetP99Ms = 60_000): RehearsalReport {
  const violations: Violation[] = [];
  const cutoff = f.endedAt - f.settleMs;
  const checks = {
    lost: lost(f, cutoff, violations),
    duplicates: duplicates(f.messages, violations),
    sendsAfterConversion: sendsAfterConversion(f, violations),
    customersInLoops: customersInLoops(f, violations),
    soldOutRecommended: soldOutRecommended(f, violations),
    smsOutsideHours: smsOutsideHours(f.messages, violations),
    decidedEarly: decidedEarly(f, violations),
  };

  const due = f.dueSteps.filter((s) => s.dueAt >= f.startedAt && s.dueAt < cutoff);
  const rows = f.messages.filter((m) => m.skipReason === null || !EXITS.has(m.skipReason));
  const late = lateness(due, rows, f.endedAt, f.outages);
  const refused = (at: number) => f.outages.some((o) => at >= o.from && at <= o.to);
  const lateOutside = lateness(
    due.filter((s) => !refused(s.dueAt)),
    rows,
    f.endedAt,
  );
  const stepLatenessMs = {
    ...summary(late.outcome),
    steps: late.outcome.length,
    notMeasured: late.notMeasured,
  };
  const byFlow: Record<string, Record<string, number>> = {};
  for (const m of f.messages) {
    const flow = (byFlow[m.flowKey] ??= {});
    const key = m.skipReason ?? m.status;
    flow[key] = (flow[key] ?? 0) + 1;
  }
  const fresh = segmentFreshness(f.orderReceipts, f.transitions);
  return {
    webhooks: {
      answered: f.answers.length,
      non200: f.answers.filter((a) => a.status !== 200).length,
      retried: f.answers.filter((a) => a.attempts > 1).length,
      busiestMinutePerSecond: busiestRate(f.answers.map((a) => a.dueMs)),
      answerMs: summary(f.answers.map((a) => a.ms)),
    },
    queueLagMs: summary(queueLag(f.backlog, f.endedAt)),
    segmentFreshnessMs: { ...summary(fresh), ordersThatMovedASegment: fresh.length },
    stepLatenessMs,
    stepLatenessOwnMs: summary(late.own),
    stepLatenessOutsideOutagesMs: summary(lateOutside.outcome),
    slowestSteps: late.slowest.map((step) => {
      const enteredAt = f.enrollments.find((e) => e.id === step.enrollmentId)?.enteredAt;
      return enteredAt === undefined ? step : { ...step, enteredMs: enteredAt - Date.parse(step.dueAt) };
    }),
    slowestDeliveries: f.slowestDeliveries,
    decisionLatenessMs: summary(late.decision),
    messages: {
      byStatus: count(f.messages, (m) => m.status),
      skippedByReason: count(
        f.messages.filter((m) => m.skipReason !== null),
        (m) => m.skipReason ?? "",
      ),
      failedBecause: count(
        f.messages.filter((m) => m.status === "failed"),
        (m) => (m.lastError ?? "no reason").slice(0, 120),
      ),
      byFlow,
    },
    checks,
    target: {
      stepLatenessP99Ms: targetP99Ms,
      // A provider refusing for a minute holds the steps due in it for that minute whatever the app
      // does: the target is on the app's own share (the report shows both).
      met: late.own.length > 0 && summary(late.own).p99 <= targetP99Ms,
    },
    violations: violations.slice(0, 200),
  };
}

/**
 * Every check that must be zero and is not, with its count. A message already in a sender's hands
 * when the order or the sell-out was stored (IN_FLIGHT_MS) is reported, not failed: nothing can
 * call it back.
 */
export function failedChecks(r: RehearsalReport): string[] {
  return checkCounts(r.checks).flatMap(({ check, count }) => (count > 0 ? [`${check}: ${count}`] : []));
}
