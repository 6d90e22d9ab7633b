// Reduces the runs to the figures docs/benchmarks.md records, so a rerun's table can be pasted as is.

import { cpus, totalmem } from "node:os";
import {
  METRIC_KEYS,
  METRICS,
  worstCaseDrop,
  type Metric,
  type Run,
  type Scoring,
  type Variant,
} from "./lighthouse-run";
import { extensionRequests } from "./prepare-shop";

const TARGET_DROP = 2;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
export const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

function summary(runs: readonly Run[]) {
  const metric = (m: Metric) => median(runs.map((r) => r.metrics[m]));
  return {
    score: median(runs.map((r) => r.score)),
    scores: runs.map((r) => round(r.score)),
    fcpMs: round(metric("fcpMs")),
    lcpMs: round(metric("lcpMs")),
    tbtMs: round(metric("tbtMs")),
    cls: round(metric("cls"), 4),
    speedIndexMs: round(metric("speedIndexMs")),
    kb: round(metric("bytes") / 1024, 1),
    serverMs: round(metric("serverMs"), 1),
    requests: median(runs.map((r) => r.requests.length)),
    benchmarkIndex: round(median(runs.map((r) => r.benchmarkIndex))),
  };
}

/** JSON of everything, then the Markdown table, the verdict and where the points go. */
export function render(
  context: Record<string, unknown>,
  runs: Record<Variant, Run[]>,
  scoring: readonly Scoring[],
  runCount: number,
): string {
  const withExt = summary(runs.with);
  const without = summary(runs.without);
  const drop = round(without.score - withExt.score, 1);
  const points = scoring.map((s) => ({
    id: s.id,
    without: round(median(runs.without.map((r) => r.points[s.id] ?? NaN)), 2),
    with: round(median(runs.with.map((r) => r.points[s.id] ?? NaN)), 2),
  }));
  const deltas = scoring.map((s) => {
    const key = METRIC_KEYS.find((m) => METRICS[m] === s.id);
    const delta = key
      ? median(runs.with.map((r) => r.metrics[key])) - median(runs.without.map((r) => r.metrics[key]))
      : NaN;
    return {
      id: s.id,
      delta: round(delta, s.id === "cumulative-layout-shift" ? 4 : 0),
      worstCasePoints: round(worstCaseDrop(s, delta), 2),
    };
  });
  const worstCase = round(
    deltas.reduce((sum, d) => sum + d.worstCasePoints, 0),
    1,
  );
  const last = runs.with[runs.with.length - 1];
  const resources = last
    ? extensionRequests(last).map((r) => ({
        path: r.url.replace(/^.*\/assets\//, "assets/"),
        type: r.resourceType,
        bytes: r.transferSize,
        priority: r.priority,
      }))
    : [];
  const errored = [...new Set([...runs.with, ...runs.without].flatMap((r) => r.errored))];
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memGb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
    },
    ...context,
    runs: runCount,
    with: withExt,
    without,
    drop,
    points,
    deltas,
    worstCase,
    resources,
    errored,
  };
  const row = (name: string, s: typeof withExt) =>
    `| ${name} | **${round(s.score, 1)}** (${s.scores.join(", ")}) | ${s.fcpMs} | ${s.lcpMs} | ${s.tbtMs} | ${s.cls} | ${s.speedIndexMs} | ${s.kb} | ${s.requests} |`;
  const verdict = (limit: number) => (drop <= limit ? "met" : "NOT met");
  return [
    JSON.stringify(report, null, 2),
    "",
    "| page | performance, median (runs) | FCP ms | LCP ms | TBT ms | CLS | Speed Index ms | KB transferred | requests |",
    "|---|---|---|---|---|---|---|---|---|",
    row("without the extension (`?extension=off`)", without),
    row("with the extension", withExt),
    "",
    `Drop: ${drop} points (target ≤ ${TARGET_DROP}: ${verdict(TARGET_DROP)}; Shopify's limit 10: ${verdict(10)}).`,
    `Points per metric, without → with: ${points.map((p) => `${p.id} ${p.without} → ${p.with}`).join("; ")}.`,
    `Added by the extension (medians): ${deltas.map((d) => `${d.id} +${d.delta}`).join("; ")}; on a theme at the steepest part of each curve that would cost at most ${worstCase} points (${
      deltas
        .filter((d) => d.worstCasePoints > 0)
        .map((d) => `${d.id} ${d.worstCasePoints}`)
        .join(", ") || "none"
    }).`,
    `Extension requests: ${resources.map((r) => `${r.path} ${r.type} ${r.bytes} B ${r.priority}`).join("; ")}.`,
    errored.length > 0
      ? `Audits Lighthouse could not run (diagnostics, not scored): ${errored.join(", ")}.`
      : "",
    "",
  ].join("\n");
}
