import type { RehearsalRecord } from "~/rehearsals/record";

const summary = (p50: number | null, p99: number | null, max: number | null, count = 100) => ({
  count,
  p50,
  p99,
  max,
});
const after = { total: 0, decidedAfter: 0, sentAfterTheLastLook: 0, inFlight: 0 };

/** A hand-written rehearsal record: 500 webhooks/s for 3 min, target met, every check zero. */
export function rehearsalRecord(date = "2026-12-06T08:00:00.000Z"): RehearsalRecord {
  return {
    command: "npm run rehearse -- --scale 500 --minutes 3",
    date,
    machine: { cpus: 2, model: "test cpu", memoryGb: 8, node: "v24.0.0", loadavgAtEnd: [1.5, 1.2, 1] },
    options: {
      scale: 500,
      minutes: 3,
      abandoned: 0.2,
      customers: 10_000,
      mode: "scale",
      workers: 2,
      noFaults: false,
    },
    profile: {
      customers: 10_000,
      products: 40,
      soldOut: 3,
      webhooks: 90_000,
      yesterdayCheckouts: 4_500,
      sessions: { abandoned: 900 },
    },
    faults: [
      {
        fault: "worker killed (SIGKILL), another started",
        at: "2026-12-06T08:01:00.000Z",
        detail: "worker 1 killed, 2 started",
      },
    ],
    timing: { setupSeconds: 60, peakSeconds: 180, settleSeconds: 70, achievedPerSecond: 498 },
    report: {
      webhooks: {
        answered: 90_000,
        non200: 0,
        retried: 0,
        busiestMinutePerSecond: 497.3,
        answerMs: summary(12, 240, 900),
      },
      queueLagMs: summary(300, 4_000, 9_000),
      segmentFreshnessMs: { ...summary(800, 5_000, 7_000), ordersThatMovedASegment: 40 },
      stepLatenessMs: { ...summary(1_800, 41_000, 59_000, 1_000), steps: 1_000, notMeasured: 0 },
      stepLatenessOwnMs: summary(1_500, 8_000, 12_000, 1_000),
      stepLatenessOutsideOutagesMs: summary(1_500, 9_000, 12_000, 700),
      decisionLatenessMs: summary(400, 1_800, 2_500, 1_000),
      messages: {
        byStatus: { sent: 800, skipped: 200 },
        skippedByReason: { holdout: 100, converted: 100 },
        failedBecause: {},
        byFlow: { abandoned_checkout: { sent: 800, holdout: 100, converted: 100 } },
      },
      checks: {
        lost: { total: 0, webhooks: 0, dueStepsNotDecided: 0, messagesNotSent: 0 },
        duplicates: 0,
        sendsAfterConversion: { ...after },
        customersInLoops: 0,
        soldOutRecommended: { ...after },
        smsOutsideHours: 0,
        decidedEarly: 0,
      },
      target: { stepLatenessP99Ms: 60_000, met: true },
    },
  };
}
