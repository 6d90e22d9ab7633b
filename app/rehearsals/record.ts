import { z } from "zod";

// A Cyber Week rehearsal's record as `npm run rehearse` writes it and the Rehearsals page reads it
// back (untrusted: a file on disk). Figures are milliseconds; a percentile of nothing is null.

const Figure = z.number().nullable();
export const Summary = z.object({ count: z.number().int(), p50: Figure, p99: Figure, max: Figure });
export type Summary = z.infer<typeof Summary>;

const Counts = z.record(z.string(), z.number().int());

const AfterEvent = z.object({
  total: z.number().int(),
  decidedAfter: z.number().int(),
  sentAfterTheLastLook: z.number().int(),
  inFlight: z.number().int(),
});

export const RehearsalChecks = z.object({
  lost: z.object({
    total: z.number().int(),
    webhooks: z.number().int(),
    dueStepsNotDecided: z.number().int(),
    messagesNotSent: z.number().int(),
  }),
  duplicates: z.number().int(),
  sendsAfterConversion: AfterEvent,
  customersInLoops: z.number().int(),
  soldOutRecommended: AfterEvent,
  smsOutsideHours: z.number().int(),
  /** a step decided (a message sent or skipped) before it was due */
  decidedEarly: z.number().int(),
});
export type RehearsalChecks = z.infer<typeof RehearsalChecks>;

export const RehearsalRecord = z.object({
  command: z.string(),
  date: z.string().datetime(),
  machine: z.object({
    cpus: z.number().int(),
    model: z.string().optional(),
    memoryGb: z.number(),
    node: z.string(),
    loadavgAtEnd: z.array(z.number()),
  }),
  options: z.object({
    scale: z.number(),
    minutes: z.number(),
    abandoned: z.number(),
    customers: z.number().int(),
    mode: z.enum(["scale", "embedded"]),
    workers: z.number().int(),
    noFaults: z.boolean(),
  }),
  profile: z.object({
    customers: z.number().int(),
    products: z.number().int(),
    soldOut: z.number().int(),
    webhooks: z.number().int(),
    yesterdayCheckouts: z.number().int(),
    sessions: Counts,
  }),
  faults: z.array(z.object({ fault: z.string(), at: z.string(), detail: z.string() })),
  timing: z.object({
    setupSeconds: z.number(),
    peakSeconds: z.number(),
    settleSeconds: z.number(),
    achievedPerSecond: z.number(),
  }),
  report: z.object({
    webhooks: z.object({
      answered: z.number().int(),
      non200: z.number().int(),
      retried: z.number().int(),
      /** deliveries due in the busiest 60 s, per second (not in the first records) */
      busiestMinutePerSecond: z.number().optional(),
      answerMs: Summary,
    }),
    queueLagMs: Summary,
    segmentFreshnessMs: Summary.extend({ ordersThatMovedASegment: z.number().int() }),
    stepLatenessMs: Summary.extend({ steps: z.number().int(), notMeasured: z.number().int() }),
    /** less the time a provider refused (records from before it lack it) */
    stepLatenessOwnMs: Summary.optional(),
    stepLatenessOutsideOutagesMs: Summary,
    decisionLatenessMs: Summary,
    messages: z.object({
      byStatus: Counts,
      skippedByReason: Counts,
      failedBecause: Counts,
      byFlow: z.record(z.string(), Counts),
    }),
    checks: RehearsalChecks,
    target: z.object({ stepLatenessP99Ms: z.number(), met: z.boolean() }),
  }),
});
export type RehearsalRecord = z.infer<typeof RehearsalRecord>;

/** The checks that must be zero, each with its count (sends already with a provider excepted). */
export function checkCounts(c: RehearsalChecks): Array<{ check: string; count: number }> {
  return [
    { check: "lost", count: c.lost.total },
    { check: "duplicates", count: c.duplicates },
    { check: "sendsAfterConversion", count: c.sendsAfterConversion.total - c.sendsAfterConversion.inFlight },
    { check: "customersInLoops", count: c.customersInLoops },
    { check: "soldOutRecommended", count: c.soldOutRecommended.total - c.soldOutRecommended.inFlight },
    { check: "smsOutsideHours", count: c.smsOutsideHours },
    { check: "decidedEarly", count: c.decidedEarly },
  ];
}
