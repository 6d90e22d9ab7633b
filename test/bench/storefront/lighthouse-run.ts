// Lighthouse's report is untyped: read it through one schema so every run and its scoring agree.

import { launch } from "chrome-launcher";
import lighthouse, { Audit } from "lighthouse";
import { z } from "zod";
import { browserExecutable } from "../../support/browser";

export type Variant = "with" | "without";
export const METRIC_KEYS = ["fcpMs", "lcpMs", "tbtMs", "cls", "speedIndexMs", "bytes", "serverMs"] as const;
export type Metric = (typeof METRIC_KEYS)[number];
export const METRICS: Record<Metric, string> = {
  fcpMs: "first-contentful-paint",
  lcpMs: "largest-contentful-paint",
  tbtMs: "total-blocking-time",
  cls: "cumulative-layout-shift",
  speedIndexMs: "speed-index",
  bytes: "total-byte-weight",
  serverMs: "server-response-time",
};

const Lhr = z.object({
  lighthouseVersion: z.string(),
  userAgent: z.string(),
  environment: z.object({ benchmarkIndex: z.number() }),
  runWarnings: z.array(z.string()),
  runtimeError: z.object({ code: z.string(), message: z.string() }).optional(),
  categories: z.object({
    performance: z.object({
      score: z.number().nullable(),
      auditRefs: z.array(z.object({ id: z.string(), weight: z.number() })),
    }),
  }),
  audits: z.record(
    z.object({
      score: z.number().nullable(),
      scoreDisplayMode: z.string(),
      numericValue: z.number().optional(),
      scoringOptions: z.object({ p10: z.number(), median: z.number() }).optional(),
      details: z.unknown().optional(),
    }),
  ),
});
export type Lhr = z.infer<typeof Lhr>;
const Items = z.object({
  items: z.array(
    z.object({
      url: z.string(),
      resourceType: z.string().optional(),
      transferSize: z.number().optional(),
      priority: z.string().optional(),
    }),
  ),
});

export interface Run {
  score: number;
  metrics: Record<Metric, number>;
  /** each weighted audit's share of the score, in points */
  points: Record<string, number>;
  requests: z.infer<typeof Items>["items"];
  /** audits that could not run (Lighthouse 12.2's trace engine and Chromium 153 disagree on some events) */
  errored: string[];
  benchmarkIndex: number;
}

function readRun(lhr: Lhr): Run {
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const perf = lhr.categories.performance;
  if (perf.score === null)
    throw new Error(`Lighthouse gave no performance score (${lhr.runWarnings.join("; ")})`);
  const audit = (id: string) => {
    const found = lhr.audits[id];
    if (!found) throw new Error(`Lighthouse report without audit ${id}`);
    return found;
  };
  const value = (m: Metric) => audit(METRICS[m]).numericValue ?? NaN;
  const metrics: Record<Metric, number> = {
    fcpMs: value("fcpMs"),
    lcpMs: value("lcpMs"),
    tbtMs: value("tbtMs"),
    cls: value("cls"),
    speedIndexMs: value("speedIndexMs"),
    bytes: value("bytes"),
    serverMs: value("serverMs"),
  };
  const weighted = perf.auditRefs.filter((r) => r.weight > 0);
  const total = weighted.reduce((sum, ref) => sum + ref.weight, 0);
  const points: Record<string, number> = {};
  for (const ref of weighted) {
    const { score } = audit(ref.id);
    if (score === null) throw new Error(`Lighthouse could not score ${ref.id}`);
    points[ref.id] = (score * ref.weight * 100) / total;
  }
  return {
    score: perf.score * 100,
    metrics,
    points,
    requests: Items.parse(audit("network-requests").details).items,
    errored: Object.entries(lhr.audits).flatMap(([id, a]) => (a.scoreDisplayMode === "error" ? [id] : [])),
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

/** One Lighthouse run (default config: mobile, simulated throttling) in a fresh Chromium. */
export async function lighthouseRun(
  url: string,
  cookie: string,
): Promise<{ run: Run; lhr: Lhr; report: unknown }> {
  const { executablePath, args } = await browserExecutable();
  const chrome = await launch({ chromePath: executablePath, chromeFlags: args, logLevel: "silent" });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      logLevel: "error",
      onlyCategories: ["performance"],
      extraHeaders: { Cookie: cookie },
    });
    if (!result) throw new Error("Lighthouse returned nothing");
    const lhr = Lhr.parse(result.lhr);
    return { run: readRun(lhr), lhr, report: result.lhr };
  } finally {
    chrome.kill();
  }
}

export interface Scoring {
  id: string;
  /** points of the category this audit carries */
  share: number;
  p10: number;
  median: number;
}

export function scoringOf(lhr: Lhr): Scoring[] {
  const refs = lhr.categories.performance.auditRefs.filter((r) => r.weight > 0);
  const total = refs.reduce((sum, r) => sum + r.weight, 0);
  return refs.map((r) => {
    const options = lhr.audits[r.id]?.scoringOptions;
    if (!options) throw new Error(`no scoring options for ${r.id}`);
    return { id: r.id, share: (r.weight * 100) / total, ...options };
  });
}

/**
 * The most points a metric's increase by `delta` can cost on any page, at the steepest part of
 * Lighthouse's curve for it: the drop on a theme heavy enough not to score 100 anyway, if the
 * extension adds the same time there.
 */
export function worstCaseDrop(s: Scoring, delta: number): number {
  if (!(delta > 0)) return 0;
  let worst = 0;
  for (let base = 0; base <= s.median * 4; base += s.median / 500) {
    const lost = Audit.computeLogNormalScore(s, base) - Audit.computeLogNormalScore(s, base + delta);
    worst = Math.max(worst, lost * s.share);
  }
  return worst;
}
