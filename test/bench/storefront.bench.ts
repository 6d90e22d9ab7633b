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
import { join } from "node:path";
import { browserExecutable } from "../support/browser";
import { lighthouseRun, scoringOf, type Run, type Scoring, type Variant } from "./storefront/lighthouse-run";
import { checkPages, checkRun, prepareShop, SHOP, startShop } from "./storefront/prepare-shop";
import { render, round } from "./storefront/report";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function main(): Promise<void> {
  const products = Number(process.env.BENCH_PRODUCTS ?? 8);
  const emulator = await startShop(products);
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
      render({ executablePath, userAgent, lighthouseVersion, deadlines, seen }, runs, scoring, RUNS),
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
