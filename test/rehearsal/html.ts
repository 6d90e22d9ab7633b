import { IN_FLIGHT_MS, type AfterEvent } from "./checks";
import { failedChecks, type RehearsalReport } from "./report";
import type { Summary } from "./stats";

// The report as one self-contained HTML page (no scripts, no external files). Pure.

export interface ReportPage {
  title: string;
  command: string;
  date: string;
  facts: Record<string, unknown>;
  report: RehearsalReport;
}

const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const ms = (x: number) =>
  Number.isNaN(x) ? "—" : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
const row = (cells: string[], head = false) =>
  `<tr>${cells.map((c) => (head ? `<th>${c}</th>` : `<td>${c}</td>`)).join("")}</tr>`;
const summaryRow = (name: string, s: Summary) =>
  row([escape(name), String(s.count), ms(s.p50), ms(s.p99), ms(s.max)]);

function table(head: string[], rows: string[]): string {
  return `<table>${row(head, true)}${rows.join("")}</table>`;
}

/** A titled table, or nothing when it has no rows. */
const section = (title: string, head: string[], rows: string[]) =>
  rows.length > 0 ? `<h2>${title}</h2>${table(head, rows)}` : "";

const after = (a: AfterEvent, what: string) =>
  `decided after ${what} ${a.decidedAfter}, sent over ${IN_FLIGHT_MS / 1000} s after ${what} ${a.sentAfterTheLastLook}; already in a sender's hands (not counted) ${a.inFlight}`;

export function renderReportHtml(page: ReportPage): string {
  const r = page.report;
  const failed = failedChecks(r);
  const verdict = failed.length === 0 && r.target.met ? "pass" : "fail";
  const c = r.checks;
  const checks: Array<[string, number, string]> = [
    [
      "lost",
      c.lost.total,
      `webhooks ${c.lost.webhooks}, due steps not decided ${c.lost.dueStepsNotDecided}, messages not sent ${c.lost.messagesNotSent}`,
    ],
    ["duplicates (sink receipts per key)", c.duplicates, ""],
    [
      "sends after conversion",
      c.sendsAfterConversion.total - c.sendsAfterConversion.inFlight,
      after(c.sendsAfterConversion, "the order"),
    ],
    ["customers in loops", c.customersInLoops, ""],
    [
      "sold-out items recommended",
      c.soldOutRecommended.total - c.soldOutRecommended.inFlight,
      after(c.soldOutRecommended, "the sell-out"),
    ],
    ["SMS outside 08:00–21:00 local", c.smsOutsideHours, ""],
    ["steps decided before they were due", c.decidedEarly, ""],
  ];
  const counts = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => row([escape(k), String(n)]));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(page.title)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}th{background:#f4f4f4}.pass{color:#0a6b2d}.fail{color:#b00020}code{background:#f4f4f4;padding:0 .3em}</style>
</head><body>
<h1>${escape(page.title)}: <span class="${verdict}">${verdict}</span></h1>
<p><code>${escape(page.command)}</code> — ${escape(page.date)}</p>
<h2>Target</h2>
<p>Step lateness p99 ${ms(r.stepLatenessMs.p99)} against ${ms(r.target.stepLatenessP99Ms)}: <span class="${r.target.met ? "pass" : "fail"}">${r.target.met ? "met" : "not met"}</span></p>
<h2>Checks (each must be 0)</h2>
${table(
  ["check", "count", "detail"],
  checks.map(([name, n, detail]) =>
    row([escape(name), `<span class="${n === 0 ? "pass" : "fail"}">${n}</span>`, escape(detail)]),
  ),
)}
<h2>Times</h2>
${table(
  ["figure", "count", "p50", "p99", "max"],
  [
    summaryRow("webhook answers (from when due)", r.webhooks.answerMs),
    summaryRow("webhook queue lag", r.queueLagMs),
    summaryRow("segment freshness (order received → segment moved)", r.segmentFreshnessMs),
    summaryRow("flow step lateness (sent or skipped, after due)", r.stepLatenessMs),
    summaryRow("… less the time a provider refused (the target's measure)", r.stepLatenessOwnMs),
    summaryRow("… of the steps not due while a provider refused", r.stepLatenessOutsideOutagesMs),
    summaryRow("flow step decided, after due", r.decisionLatenessMs),
  ],
)}
<p>Busiest minute: ${r.webhooks.busiestMinutePerSecond} webhooks/s. Webhooks answered ${r.webhooks.answered}, not 200 in the end ${r.webhooks.non200}, posted again ${r.webhooks.retried}. Steps with a known due time and no message row (held by caps or SMS hours, or ended by an exit): ${r.stepLatenessMs.notMeasured}.</p>
${section(
  "Latest steps",
  ["step", "due", "entered after", "decided after", "done after", "messages"],
  r.slowestSteps.map((s) =>
    row([
      escape(s.sendKey),
      escape(s.dueAt),
      s.enteredMs === undefined ? "—" : ms(s.enteredMs),
      ms(s.decidedMs),
      ms(s.lateMs),
      escape(s.outcome),
    ]),
  ),
)}
${section(
  "Latest webhooks",
  ["topic", "received", "applied after", "status", "attempts"],
  r.slowestDeliveries.map((d) =>
    row([
      escape(d.topic),
      escape(d.receivedAt),
      d.appliedMs === null ? "never" : ms(d.appliedMs),
      escape(d.status),
      String(d.attempts),
    ]),
  ),
)}
<h2>Messages</h2>
${table(["status", "messages"], counts(r.messages.byStatus))}
${table(["skipped because", "messages"], counts(r.messages.skippedByReason))}
${Object.keys(r.messages.failedBecause).length > 0 ? table(["failed because", "messages"], counts(r.messages.failedBecause)) : ""}
${table(
  ["flow", "outcomes"],
  Object.entries(r.messages.byFlow).map(([flow, o]) => row([escape(flow), escape(JSON.stringify(o))])),
)}
<h2>Run</h2>
${table(
  ["fact", "value"],
  Object.entries(page.facts).map(([k, v]) => row([escape(k), `<code>${escape(JSON.stringify(v))}</code>`])),
)}
${
  r.violations.length > 0
    ? `<h2>Violations (first ${r.violations.length})</h2>${table(
        ["check", "message / enrollment", "detail"],
        r.violations.map((v) =>
          row([escape(v.check), escape(v.messageId ?? v.enrollmentId ?? ""), escape(v.detail)]),
        ),
      )}`
    : ""
}
</body></html>
`;
}
