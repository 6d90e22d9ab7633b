import { formatCount } from "../ui/format";
import { checkCounts, type RehearsalRecord, type Summary } from "./record";

// What the Rehearsals page shows of a record: durations a person reads at a glance, and the verdict
// the command itself printed (target met, checks that must be zero). Pure.

/** 230 ms, 1.8 s, 1 min, 5 min 47 s; "—" for a figure of nothing. */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (Math.abs(ms) < 1_000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1_000);
  const minutes = `${Math.floor(seconds / 60)} min`;
  return seconds % 60 === 0 ? minutes : `${minutes} ${seconds % 60} s`;
}

export interface FigureRow {
  figure: string;
  count: string;
  p50: string;
  p99: string;
  max: string;
}

const row = (figure: string, s: Summary): FigureRow => ({
  figure,
  count: formatCount(s.count),
  p50: formatMs(s.p50),
  p99: formatMs(s.p99),
  max: formatMs(s.max),
});

export function figureRows(r: RehearsalRecord["report"]): FigureRow[] {
  return [
    row("Flow step lateness (due → sent or skipped)", r.stepLatenessMs),
    ...(r.stepLatenessOwnMs ? [row("… less the time a provider refused", r.stepLatenessOwnMs)] : []),
    row("… steps not due during a provider outage", r.stepLatenessOutsideOutagesMs),
    row("Step decision lateness (due → decided)", r.decisionLatenessMs),
    row("Webhook answer time", r.webhooks.answerMs),
    row("Webhook queue lag", r.queueLagMs),
    row("Segment freshness (order → segment moved)", r.segmentFreshnessMs),
  ];
}

export interface Verdict {
  met: boolean;
  /** checks that must be zero and are not */
  failed: Array<{ check: string; count: number }>;
  headline: string;
}

export function verdict(record: RehearsalRecord): Verdict {
  const { report, options } = record;
  const failed = checkCounts(report.checks).filter((c) => c.count > 0);
  const own = report.stepLatenessOwnMs;
  const target = own
    ? `p99 step lateness ${formatMs(own.p99)} less the time a provider refused, ${formatMs(report.stepLatenessMs.p99)} in all (target ≤ ${formatMs(report.target.stepLatenessP99Ms)})`
    : `p99 step lateness ${formatMs(report.stepLatenessMs.p99)} (target ≤ ${formatMs(report.target.stepLatenessP99Ms)})`;
  const busiest = report.webhooks.busiestMinutePerSecond;
  const load = `${formatCount(options.scale)} webhooks/s for ${options.minutes} min${busiest === undefined ? "" : ` (busiest minute ${formatCount(busiest)}/s)`}`;
  return {
    met: report.target.met && failed.length === 0,
    failed,
    headline: `${load}: ${target}; ${failed.length === 0 ? "every check 0" : `${failed.length} check(s) not 0`}`,
  };
}

/** The human name of a check that must be zero. */
export const CHECK_LABELS: Record<string, string> = {
  lost: "Lost (webhooks, due steps, messages)",
  duplicates: "Duplicate sends",
  sendsAfterConversion: "Sends after the customer ordered",
  customersInLoops: "Customers in loops",
  soldOutRecommended: "Sold-out items recommended",
  smsOutsideHours: "SMS outside 08:00–21:00 local",
  decidedEarly: "Steps decided before they were due",
};
