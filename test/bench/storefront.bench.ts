// Storefront benchmark (not part of `npm test`): `npm run bench:storefront`.
//
// Lighthouse's performance category on the emulator's storefront home page, with the theme app
// extension (`/s/<shop>/`) and without it (`/s/<shop>/?extension=off`, the same page with no block
// of the extension). The emulator runs in this process with one shop; the app-data metafield
// holiday.deadlines is written through Admin GraphQL (`metafieldsSet` on currentAppInstallation)
// with deadlines a few days ahead so the banner shows, and a customer tagged vip
// ($app.rfm_segment) is logged in by the storefront's cookie on every request of both variants, so
// the page also carries the VIP block beside the signup form.
//
// Before measuring, Chromium checks that the page with the extension shows the banner, the form and
// the VIP block and that the page without it has none of them; every Lighthouse run of the
// extension must load the extension's assets and no run without it may. Otherwise the bench fails.
//
// Each variant: one warm-up run, then BENCH_RUNS runs alternating (ABBA), each in a fresh Chromium,
// Lighthouse's default config (mobile, simulated throttling). Medians, because the machine's two
// cores are shared. Prints JSON, then a Markdown table and the verdict (target: a drop of at most
// 2 points; Shopify's limit is 10), the points per metric, and what the metrics the extension adds
// would cost at the steepest part of Lighthouse's curves: the emulator's light theme scores 100
// either way, a heavier theme would not. The emulator serves HTTP/1.1, so each deferred script opens
// a connection of its own, which Lighthouse's simulation prices at two round trips (docs/benchmarks.md).
//
// Env: BENCH_RUNS (5), BENCH_PRODUCTS (8), BENCH_REPORT_DIR (writes every run's Lighthouse JSON
// there), CHROMIUM_PATH (else test/support/browser.ts's choice).

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { launch } from "chrome-launcher";
import lighthouse, { Audit } from "lighthouse";
import { z } from "zod";
import { addDays } from "../../app/messaging/rules/local-dates";
import { formatLocalIso, instantAt, parseLocalDate } from "../../app/messaging/rules/time-zone";
import { localDateAt, StorefrontDeadlines } from "../../app/storefront/deadlines";
import { API_KEY, API_SECRET, installedAdmin } from "../emulator/helpers";
import { startEmulator, type Emulator } from "../emulator/index";
import { browserExecutable, launchBrowser } from "../support/browser";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHOP = "bench-storefront.myshopify.com";
const TARGET_DROP = 2;
const METRIC_KEYS = ["fcpMs", "lcpMs", "tbtMs", "cls", "speedIndexMs", "bytes", "serverMs"] as const;
type Metric = (typeof METRIC_KEYS)[number];
const METRICS: Record<Metric, string> = {
  fcpMs: "first-contentful-paint",
  lcpMs: "largest-contentful-paint",
  tbtMs: "total-blocking-time",
  cls: "cumulative-layout-shift",
  speedIndexMs: "speed-index",
  bytes: "total-byte-weight",
  serverMs: "server-response-time",
};
type Variant = "with" | "without";

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

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
type Lhr = z.infer<typeof Lhr>;
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

interface Run {
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
async function lighthouseRun(url: string, cookie: string): Promise<{ run: Run; lhr: Lhr; report: unknown }> {
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

/** The app-data metafield as the app writes it, with cut-offs 3 and 6 days from now in the shop's zone. */
function deadlinesValue(now: Date, timeZone: string): StorefrontDeadlines {
  const today = localDateAt(now.getTime(), timeZone);
  const deadline = (shipping: "standard" | "express", days: number) => {
    const date = addDays(today, days);
    const end = instantAt(parseLocalDate(addDays(date, 1)), timeZone).instant - 1000;
    return { shipping, date, until: end / 1000, orderBy: formatLocalIso(end, timeZone) };
  };
  return StorefrontDeadlines.parse({
    version: 1,
    occasion: "Christmas",
    timeZone,
    showFrom: Math.floor(now.getTime() / 1000) - 86_400,
    deadlines: [deadline("standard", 3), deadline("express", 6)],
  });
}

const SetResult = z.object({
  data: z.object({ metafieldsSet: z.object({ userErrors: z.array(z.object({ message: z.string() })) }) }),
});
const InstallationId = z.object({ data: z.object({ currentAppInstallation: z.object({ id: z.string() }) }) });

/** Writes the deadlines and a vip customer's segment through Admin GraphQL; returns the storefront cookie. */
async function prepareShop(emulator: Emulator): Promise<{ cookie: string; deadlines: StorefrontDeadlines }> {
  const admin = await installedAdmin(emulator, SHOP);
  const gql = async (query: string, variables?: Record<string, unknown>): Promise<unknown> =>
    (await admin.graphql(query, { variables })).json();
  const installation = InstallationId.parse(await gql(`{ currentAppInstallation { id } }`)).data
    .currentAppInstallation.id;
  const store = emulator.store(SHOP);
  const deadlines = deadlinesValue(new Date(), store.ianaTimezone);
  const customer = store.customer(0);
  const set = SetResult.parse(
    await gql(
      `mutation Set($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { message } } }`,
      {
        metafields: [
          {
            ownerId: installation,
            namespace: "holiday",
            key: "deadlines",
            type: "json",
            value: JSON.stringify(deadlines),
          },
          {
            ownerId: customer.id,
            namespace: "$app",
            key: "rfm_segment",
            type: "single_line_text_field",
            value: "vip",
          },
        ],
      },
    ),
  );
  if (set.data.metafieldsSet.userErrors.length > 0)
    throw new Error(`metafieldsSet: ${JSON.stringify(set.data.metafieldsSet.userErrors)}`);
  return { cookie: `emulator_customer=${customer.legacyResourceId}`, deadlines };
}

/** What a shopper sees: with the extension, the banner, the form and the VIP block; without it, none. */
async function checkPages(
  urls: Record<Variant, string>,
  cookie: string,
  saveTo: string | undefined,
): Promise<Record<string, unknown>> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({
      extraHTTPHeaders: { Cookie: cookie },
      viewport: { width: 412, height: 823 },
    });
    const page = await context.newPage();
    await page.goto(urls.with, { waitUntil: "load" });
    const banner = page.locator(".hs-banner:not([hidden]) .hs-banner__msg:not([hidden])");
    const form = page.locator('form.hs-signup__form[method="post"]');
    const seen = {
      banner: (await banner.count()) === 1 && (await banner.isVisible()) ? await banner.innerText() : null,
      formAction:
        (await form.count()) === 1 && (await form.isVisible()) ? await form.getAttribute("action") : null,
      emailInput: await page.locator('form.hs-signup__form input[name="email"]').isVisible(),
      vip: (await page.locator(".hs-vip").count()) === 1 && (await page.locator(".hs-vip").isVisible()),
    };
    if (saveTo) await page.screenshot({ path: join(saveTo, "with-extension.png"), fullPage: true });
    if (!seen.banner || !seen.formAction?.endsWith("/apps/holiday/signup") || !seen.emailInput || !seen.vip)
      throw new Error(`the page with the extension lacks a block: ${JSON.stringify(seen)}`);
    await page.goto(urls.without, { waitUntil: "load" });
    const blocks = await page.locator(".hs-banner, .hs-signup, .hs-vip, .shopify-app-block").count();
    if (blocks !== 0) throw new Error(`the page without the extension has ${blocks} of its blocks`);
    return seen;
  } finally {
    await browser.close();
  }
}

interface Scoring {
  id: string;
  /** points of the category this audit carries */
  share: number;
  p10: number;
  median: number;
}

function scoringOf(lhr: Lhr): Scoring[] {
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
function worstCaseDrop(s: Scoring, delta: number): number {
  if (!(delta > 0)) return 0;
  let worst = 0;
  for (let base = 0; base <= s.median * 4; base += s.median / 500) {
    const lost = Audit.computeLogNormalScore(s, base) - Audit.computeLogNormalScore(s, base + delta);
    worst = Math.max(worst, lost * s.share);
  }
  return worst;
}

const ASSETS = "/extensions/holiday-storefront/assets/";
// deadline-banner.js is only referenced by a banner that renders
const EXPECTED_ASSETS = ["holiday-storefront.css", "signup-form.js", "deadline-banner.js"];
const extensionRequests = (run: Run) => run.requests.filter((r) => r.url.includes(ASSETS));

function checkRun(variant: Variant, run: Run): void {
  const assets = extensionRequests(run).map((r) => r.url);
  const missing = EXPECTED_ASSETS.filter((file) => !assets.some((url) => url.endsWith(`${ASSETS}${file}`)));
  if (variant === "with" && missing.length > 0)
    throw new Error(`a run with the extension did not load ${missing.join(", ")}`);
  if (variant === "without" && assets.length > 0)
    throw new Error(`a run without the extension loaded ${assets.join(", ")}`);
}

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
function render(
  context: Record<string, unknown>,
  runs: Record<Variant, Run[]>,
  scoring: readonly Scoring[],
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
    runs: RUNS,
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

async function main(): Promise<void> {
  const products = Number(process.env.BENCH_PRODUCTS ?? 8);
  const emulator = await startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 15, customers: 40, orders: 80, products }],
  });
  try {
    const { cookie, deadlines } = await prepareShop(emulator);
    const base = emulator.storefrontUrl(SHOP);
    const urls: Record<Variant, string> = { with: base, without: `${base}?extension=off` };
    const saveTo = process.env.BENCH_REPORT_DIR;
    if (saveTo) mkdirSync(saveTo, { recursive: true });
    const seen = await checkPages(urls, cookie, saveTo);
    log(`pages checked: ${JSON.stringify(seen)}`);
    const { executablePath } = await browserExecutable();

    const runs: Record<Variant, Run[]> = { with: [], without: [] };
    let lighthouseVersion = "";
    let userAgent = "";
    let scoring: Scoring[] = [];
    let n = 0;
    const measure = async (variant: Variant, warmUp: boolean) => {
      const { run, lhr, report } = await lighthouseRun(urls[variant], cookie);
      if (saveTo)
        writeFileSync(
          join(saveTo, `${String(n++).padStart(2, "0")}-${variant}${warmUp ? "-warmup" : ""}.json`),
          JSON.stringify(report),
        );
      checkRun(variant, run);
      lighthouseVersion = lhr.lighthouseVersion;
      userAgent = lhr.userAgent;
      if (scoring.length === 0) scoring = scoringOf(lhr);
      log(
        `${warmUp ? "warm-up " : ""}${variant} extension: score ${round(run.score)}, FCP ${round(run.metrics.fcpMs)} ms, LCP ${round(run.metrics.lcpMs)} ms, TBT ${round(run.metrics.tbtMs)} ms, CLS ${round(run.metrics.cls, 4)}`,
      );
      if (!warmUp) runs[variant].push(run);
    };
    await measure("with", true);
    await measure("without", true);
    for (let i = 0; i < RUNS; i++) {
      const order: Variant[] = i % 2 === 0 ? ["with", "without"] : ["without", "with"];
      for (const variant of order) await measure(variant, false);
    }

    process.stdout.write(
      render({ executablePath, userAgent, lighthouseVersion, deadlines, seen }, runs, scoring),
    );
  } finally {
    await emulator.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
