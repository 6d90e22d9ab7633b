import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, FrameLocator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { syncStatus, waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { SEGMENTS, SEGMENT_TREATMENT } from "~/segments/rules";
import { summarizeStore } from "../emulator/index";
import { z } from "zod";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";

const SHOP = "e2e-store.myshopify.com";
let demo: Demo;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "e2e-"));
  demo = await startDemo({
    apiKey: "e2e-api-key",
    apiSecret: "e2e-api-secret",
    shop: SHOP,
    customers: 500,
    seed: 7,
    dataDir,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The latest backfill's end, as the app's JSON status says (ISO). */
async function backfillFinishedAt(): Promise<string> {
  const response = await fetchWithSessionToken(`${demo.appUrl}/app/sync-status.json`, demo.emulator, SHOP);
  const body = z.object({ backfill: z.object({ finishedAt: z.string() }) }).parse(await response.json());
  return body.backfill.finishedAt;
}

/**
 * An instant the way Shopify admin writes it on the shop's clock ("Dec 6, 2026, 9:30 AM EST"),
 * from Intl's own medium date and short time styles, independent of the app's formatter.
 */
function shopClock(iso: string, zone: string): string {
  const at = new Date(iso);
  const text = at
    .toLocaleString("en-US", { timeZone: zone, dateStyle: "medium", timeStyle: "short" })
    .replace(/\s/g, " ");
  const offset = at.toLocaleString("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  if (zone !== "America/New_York") throw new Error(`no abbreviation known for ${zone}`);
  return `${text} ${offset.endsWith("GMT-04:00") ? "EDT" : "EST"}`;
}

/** The value under a dashboard metric's label. */
async function metric(app: FrameLocator, label: string): Promise<string | null> {
  const card = app.locator("div", { has: app.getByRole("heading", { name: label, exact: true }) }).last();
  return card.locator("p").first().textContent();
}

describe("a merchant opens the app in Shopify admin", () => {
  it("sees the store's figures on the dashboard and can move between pages", async () => {
    const truth = demo.emulator.store(SHOP);
    const page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      userAgent: DESKTOP_USER_AGENT,
    });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));

    // Opening the app from the admin installs it: token exchange, then the backfill starts. Shopify
    // holds the export for now, so the dashboard shows the sync running, with a named progress bar.
    demo.emulator.holdBulkOperations(SHOP, true);
    await page.goto(demo.adminUrl);
    const app = page.frameLocator("iframe#app");
    await expect.poll(() => app.getByText("Customers synced").count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => app.getByRole("progressbar", { name: "Shopify is preparing your data" }).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    demo.emulator.holdBulkOperations(SHOP, false);
    const synced = await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 });
    expect(synced.backfill?.status).toBe("completed");
    const scored = await waitForSegments(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 });

    // Without a reload, the page follows the sync to its end and the scoring after it.
    const summary = summarizeStore(truth);
    const count = (n: number) => new Intl.NumberFormat("en-US").format(n);
    await expect
      .poll(() => app.getByText(truth.shop.name, { exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    await expect
      .poll(() => metric(app, "Customers synced"), { timeout: 30_000 })
      .toBe(count(summary.customers));
    await expect.poll(() => metric(app, "Orders synced")).toBe(count(summary.orders));
    await expect
      .poll(() =>
        app.getByText(`${count(summary.countedOrders)} count toward segments`, { exact: false }).count(),
      )
      .toBe(1);
    // The segment table: every segment with its size, as stored by the rescore after the backfill.
    const segmentRow = (label: string) =>
      app.locator("tr", { has: app.getByText(label, { exact: true }) }).first();
    for (const segment of SEGMENTS) {
      const label = SEGMENT_TREATMENT[segment].label;
      await expect
        .poll(() => segmentRow(label).locator("td").first().textContent(), { timeout: 30_000 })
        .toBe(count(scored.segments.counts[segment] ?? 0));
    }
    // When the sync ended, on the shop's clock, and the page says which clock that is.
    const finishedAt = await backfillFinishedAt();
    await expect
      .poll(() => app.getByText(`Synced ${shopClock(finishedAt, truth.shop.ianaTimezone)}`).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect(
      await app.getByText(`Times are in your store's time zone, ${truth.shop.ianaTimezone}.`).count(),
    ).toBe(1);
    // Done: the page stops asking the app for fresh data.
    const dataRequests: string[] = [];
    page.on("request", (request) => {
      if (request.url().startsWith(demo.appUrl) && request.url().includes(".data"))
        dataRequests.push(request.url());
    });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(dataRequests).toEqual([]);

    // The App Bridge nav menu becomes the admin's navigation, the title bar its page title.
    await expect
      .poll(() => page.locator("nav button").allTextContents())
      .toEqual(["Dashboard", "Segments", "Campaigns", "Flows", "Results", "Storefront", "Rehearsals", "Settings"]);
    await expect.poll(() => page.locator("#title").textContent()).toBe("Dashboard");
    await page.screenshot({
      path: process.env.UPDATE_SCREENSHOTS ? "docs/dashboard.png" : join(dataDir, "dashboard.png"),
    });

    await page.locator("nav button", { hasText: "Segments" }).click();
    await expect
      .poll(() => app.getByText("Recency × frequency").count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => app.getByText("Export CSV").count()).toBeGreaterThan(0);
    await page.screenshot({
      path: process.env.UPDATE_SCREENSHOTS ? "docs/segments.png" : join(dataDir, "segments.png"),
      fullPage: true,
    });
    await page.locator("nav button", { hasText: "Settings" }).click();
    await expect.poll(() => app.getByText("Admin API version: 2026-10").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => app.getByText("Up to date").count()).toBe(1);
    await expect
      .poll(() =>
        app.getByText(`Customers: ${count(summary.customers)} of ${count(summary.customers)}`).count(),
      )
      .toBe(1);
    await page.screenshot({
      path: process.env.UPDATE_SCREENSHOTS ? "docs/settings-sync.png" : join(dataDir, "settings.png"),
    });

    // Re-sync from Settings: a new backfill runs to the end, with the same result.
    const first = (await syncStatus(demo.appUrl, demo.emulator, SHOP)).backfill;
    await app.getByRole("button", { name: "Re-sync" }).click();
    await expect
      .poll(async () => (await syncStatus(demo.appUrl, demo.emulator, SHOP)).backfill?.id, {
        timeout: 30_000,
      })
      .not.toBe(first?.id);
    const again = await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 });
    expect(again.backfill?.status).toBe("completed");
    expect(again.counts.customers).toBe(summary.customers);
    await expect.poll(() => app.getByText("Up to date").count(), { timeout: 30_000 }).toBe(1);

    // Settings → Campaigns: a texting hour outside 08:00–21:00 is refused by name; valid rules are
    // kept, and the season calendar shows the shop's own shipping cut-off.
    const rules = app.locator("form", { has: app.getByText("Campaign rules") });
    await rules.getByLabel("SMS from").fill("07:00");
    await rules.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => app.getByText("SMS may not go out before 08:00 local time (got 07:00)").count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await rules.getByLabel("SMS from").fill("09:00");
    await rules.getByLabel("Standard shipping cut-off").fill("12-12");
    await rules.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => rules.getByText("Saved.").count(), { timeout: 30_000 }).toBe(1);
    await page.locator("nav button", { hasText: "Campaigns" }).click();
    const cutoff = app.locator("tr", { has: app.getByText("Standard shipping cut-off", { exact: true }) });
    await expect
      .poll(() => cutoff.first().innerText(), { timeout: 30_000 })
      .toMatch(/\b[A-Z][a-z]{2}, Dec 12, \d{4}\b/);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
