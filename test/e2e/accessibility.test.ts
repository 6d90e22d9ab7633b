import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { fetchWithSessionToken, openAdminPage } from "../../scripts/demo/admin-request";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { waitFor } from "../integration/helpers/wait-for";
import { saveRehearsal } from "~/rehearsals/rehearsals.server";
import { axeViolations } from "../support/axe";
import { rehearsalRecord } from "../support/rehearsal-record";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";

// Every page a merchant or a shopper can reach, in Chromium: axe-core finds no serious or critical
// problem, each has a title that says what it is, progress bars have names, no link leads to raw
// JSON; and by keyboard alone, confirmations are announced and focus lands somewhere sensible.

const SHOP = "a11y-e2e.myshopify.com";
// Next year's Christmas: every send is in the future whatever day the test runs.
const YEAR = new Date().getUTCFullYear() + 1;
let demo: Demo;
let browser: Browser;
let dataDir: string;
const campaignIds = new Map<string, string>();

const call = async (path: string, form?: Record<string, string>): Promise<unknown> => {
  const init = form ? { method: "POST", body: new URLSearchParams(form) } : {};
  const response = await fetchWithSessionToken(`${demo.appUrl}${path}`, demo.emulator, SHOP, init);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
};

const Sinks = z.object({ smtp: z.object({ messages: z.array(z.object({ html: z.string().optional() })) }) });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "e2e-a11y-"));
  demo = await startDemo({
    apiKey: "e2e-a11y-key",
    apiSecret: "e2e-a11y-secret",
    shop: SHOP,
    customers: 300,
    seed: 5,
    dataDir,
    install: true,
  });
  await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
  await waitForSegments(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
  await call("/app/campaigns.json", {
    intent: "plan-playbook",
    playbook: "christmas",
    year: String(YEAR),
    country: "US",
  });
  await call("/app/settings/channels.json", { intent: "use-local-sinks" });
  const list = z
    .object({ campaigns: z.array(z.object({ id: z.string(), key: z.string() })) })
    .parse(await call("/app/campaigns.json"));
  for (const c of list.campaigns) campaignIds.set(c.key.split(":")[1] ?? c.key, c.id);
  // The VIP campaign goes out now, so its message log has rows and the sinks an unsubscribe link.
  await call("/app/campaigns.json", { intent: "send-now", campaignId: campaignIds.get("vip") ?? "" });
  const sentEmails = async () =>
    Sinks.parse(await (await fetch(`${demo.emulator.url}/sinks.json?limit=5`)).json()).smtp.messages.length;
  await waitFor("two VIP emails at the SMTP sink", async () => (await sentEmails()) > 1, 60_000, sentEmails);
  // A customer asks for their data: Settings lists the request, with its time on the shop's clock.
  const customer = demo.emulator.store(SHOP).customerLegacyId(0);
  const asked = await demo.emulator.sendWebhook({
    shop: SHOP,
    topic: "customers/data_request",
    payload: {
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: customer },
      orders_requested: [],
      data_request: { id: 1 },
    },
  });
  if (asked.status !== 200) throw new Error(`customers/data_request: HTTP ${asked.status}`);
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The unsubscribe link of the n-th email the VIP campaign sent (one person per check). */
async function unsubscribeLink(n: number): Promise<string> {
  const sinks = Sinks.parse(await (await fetch(`${demo.emulator.url}/sinks.json?limit=5`)).json());
  const html = sinks.smtp.messages[n]?.html ?? "";
  const link = /href="(http[^"]*\/unsubscribe\/[^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  if (!link) throw new Error("no unsubscribe link in the sent email");
  return link;
}

const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    userAgent: DESKTOP_USER_AGENT,
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return page;
}

/** Opens an app page inside the emulated admin and returns the app's frame once it has settled. */
async function openInAdmin(page: Page, path: string, title: string): Promise<Frame> {
  await page.goto(`${demo.adminUrl}${path}`);
  const frame = () => page.frame({ name: "app-iframe" });
  await expect.poll(() => frame()?.title(), { timeout: 30_000 }).toBe(title);
  await page.waitForLoadState("networkidle");
  const app = frame();
  if (!app) throw new Error(`no app frame for ${path}`);
  return app;
}

const campaignPath = (segment: string) => `/app/campaigns/${campaignIds.get(segment) ?? "missing"}`;

describe("accessibility", () => {
  it("every page: 0 serious or critical axe violations, a meaningful title, named progress bars, no link to raw JSON", async () => {
    const page = await newPage();
    const admin: Array<{ path: string; title: string; before?: () => Promise<void> }> = [
      { path: "/app", title: "Dashboard · Holiday Segments" },
      { path: "/app/segments", title: "Segments · Holiday Segments" },
      { path: "/app/segments?segment=vip", title: "Segments · Holiday Segments" },
      { path: "/app/campaigns", title: "Campaigns · Holiday Segments" },
      {
        path: campaignPath("vip"),
        title: `Christmas ${YEAR}: VIP early access · Campaigns · Holiday Segments`,
      },
      {
        path: campaignPath("price_sensitive"),
        title: `Christmas ${YEAR}: sale launch and last hours · Campaigns · Holiday Segments`,
      },
      { path: "/app/flows", title: "Flows · Holiday Segments" },
      { path: "/app/flows?template=abandoned_checkout.reminder", title: "Flows · Holiday Segments" },
      { path: "/app/results", title: "Results · Holiday Segments" },
      {
        path: `/app/results/${campaignIds.get("vip") ?? "missing"}`,
        title: `Results: Christmas ${YEAR}: VIP early access · Holiday Segments`,
      },
      { path: "/app/rehearsals", title: "Rehearsals · Holiday Segments" },
      {
        path: "/app/rehearsals",
        title: "Rehearsals · Holiday Segments",
        before: async () => {
          const missed = rehearsalRecord("2026-12-05T10:00:00.000Z");
          missed.report.target.met = false;
          missed.report.stepLatenessMs = { ...missed.report.stepLatenessMs, p99: 347_000, max: 400_000 };
          // an older record, from before the measure less the time a provider refused
          delete missed.report.stepLatenessOwnMs;
          await saveRehearsal(dataDir, missed);
          await saveRehearsal(dataDir, rehearsalRecord("2026-12-06T10:00:00.000Z"));
        },
      },
      {
        path: "/app/rehearsals?run=rehearsal-2026-12-05T10-00-00.json",
        title: "Rehearsals · Holiday Segments",
      },
      { path: "/app/settings", title: "Settings · Holiday Segments" },
      { path: "/app/settings/channels", title: "Channels · Settings · Holiday Segments" },
      { path: "/app/sync-status", title: "Sync status · Holiday Segments" },
    ];
    const violations: string[] = [];
    const unnamedProgress: string[] = [];
    const links = new Set<string>();
    for (const { path, title, before } of admin) {
      await before?.();
      const app = await openInAdmin(page, path, title);
      expect(await app.evaluate(() => document.contentType), path).toBe("text/html");
      violations.push(...(await axeViolations(app, path)));
      const bars = await app.locator("progress, [role=progressbar]").count();
      const named = await app.getByRole("progressbar", { name: /\S/ }).count();
      if (named !== bars)
        unnamedProgress.push(`${path}: ${bars - named} of ${bars} progress bars have no name`);
      if (path.startsWith("/app/rehearsals")) {
        // the page says what the stored record says: none yet, the newest, or the one asked for
        const text = await app.locator("body").innerText();
        if (!before && !path.includes("?")) expect(text).toContain("No rehearsal yet");
        if (before)
          expect(text).toContain(
            "500 webhooks/s for 3 min (busiest minute 497/s): p99 step lateness 8.0 s less the time a provider refused, 41.0 s in all (target ≤ 1 min); every check 0",
          );
        if (path.includes("?run=")) {
          expect(text).toContain("Rehearsal of Sat, 05 Dec 2026 10:00:00 GMT");
          expect(text).toContain("p99 step lateness 5 min 47 s (target ≤ 1 min)");
          expect(await app.getByText("Target not met").count()).toBeGreaterThan(0);
        }
      }
      if (path === "/app/sync-status") {
        // the page says what the JSON twin says
        const status = z
          .object({ counts: z.object({ customers: z.number(), orders: z.number() }) })
          .parse(await call("/app/sync-status.json"));
        const row = (label: string) =>
          app.getByRole("row", { name: new RegExp(`^${label} [\\d,]+$`) }).innerText();
        expect(await row("Customers")).toBe(`Customers\t${status.counts.customers}`);
        expect(await row("Orders")).toBe(`Orders\t${status.counts.orders}`);
      }
      const hrefs = await app
        .locator("a[href]")
        .evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      for (const href of hrefs) {
        const url = new URL(href, demo.appUrl);
        if (url.origin === new URL(demo.appUrl).origin) links.add(url.pathname);
      }
    }

    // The pages outside the admin: the app's address itself and the unsubscribe page's three states.
    const outside = await newPage();
    await outside.goto(demo.appUrl);
    expect(await outside.title()).toBe("Holiday Segments");
    violations.push(...(await axeViolations(outside, "/")));
    const link = await unsubscribeLink(0);
    await outside.goto(link);
    expect(await outside.title()).toBe("Unsubscribe");
    violations.push(...(await axeViolations(outside, "/unsubscribe (ask)")));
    await outside.getByRole("button", { name: "Unsubscribe" }).click();
    await outside.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
    violations.push(...(await axeViolations(outside, "/unsubscribe (done)")));
    await outside.goto(`${link}x`);
    violations.push(...(await axeViolations(outside, "/unsubscribe (invalid link)")));

    expect(violations).toEqual([]);
    expect(unnamedProgress).toEqual([]);

    // Every link of the app's own pages opens a page, never a JSON body.
    const seen = new Set(admin.map((p) => p.path.split("?")[0]));
    for (const path of links) {
      if (seen.has(path)) continue;
      const response = await openAdminPage(demo.appUrl, demo.emulator, SHOP, path);
      expect(`${path} ${response.status} ${response.headers.get("content-type")}`).toMatch(/ 200 text\/html/);
    }
    expect(links.size).toBeGreaterThan(5);
    expect(pageErrors).toEqual([]);
    await outside.close();
    await page.close();
  });

  it("a data request's file downloads; by keyboard alone: saves are announced, focus follows Schedule, Pause, Resume, Send now and Unsubscribe", async () => {
    const page = await newPage();

    // The data request's time on the shop's clock; its file downloads (a file, not a page of JSON).
    const settingsPage = await openInAdmin(page, "/app/settings", "Settings · Holiday Segments");
    const clock = "[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2} [AP]M";
    const asker = demo.emulator.store(SHOP).customer(0);
    const name = `${asker.firstName ?? ""} ${asker.lastName ?? ""}`.trim();
    const customerId = String(demo.emulator.store(SHOP).customerLegacyId(0));
    const request = settingsPage.getByText(new RegExp(`^${name}, requested ${clock} (EST|EDT)$`));
    await expect.poll(() => request.count(), { timeout: 30_000 }).toBe(1);
    const download = page.waitForEvent("download", { timeout: 15_000 });
    await settingsPage.getByRole("button", { name: `Download ${name}'s data` }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`customer-${customerId}-data.json`);
    expect(JSON.parse(readFileSync(await file.path(), "utf8"))).toMatchObject({
      customer: { id: customerId },
    });

    // A save's confirmation lands in a live region that was on the page before it (so it is read out).
    const settings = settingsPage;
    const rules = settings.locator("form", { has: settings.getByRole("heading", { name: "Segment rules" }) });
    const region = rules.getByRole("status");
    expect(await region.count()).toBe(1);
    expect(await region.textContent()).toBe("");
    const regionNode = await region.elementHandle();
    await rules.getByRole("button", { name: "Save" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => region.textContent(), { timeout: 30_000 }).toMatch(/^Saved\./);
    expect(await regionNode?.evaluate((node) => node.isConnected)).toBe(true);

    // The campaign's buttons change with its status; focus moves to the answer, not to the page.
    const focused = (frame: Frame) =>
      frame.evaluate(() => {
        const el = document.activeElement;
        return el === null || el === document.body
          ? "body"
          : `${el.getAttribute("role") ?? el.tagName}: ${el.textContent ?? ""}`;
      });
    const press = async (frame: Frame, button: string, answer: RegExp) => {
      await frame.getByRole("button", { name: button, exact: true }).focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => focused(frame), { timeout: 30_000 }).toMatch(answer);
    };
    const title = `Christmas ${YEAR}: sale launch and last hours · Campaigns · Holiday Segments`;
    const campaign = await openInAdmin(page, campaignPath("price_sensitive"), title);
    // two sends, each date and time field named for its send
    expect(await campaign.getByLabel("Launch: time", { exact: true }).count()).toBe(1);
    expect(await campaign.getByLabel("Last hours: time", { exact: true }).count()).toBe(1);
    expect(await campaign.getByLabel("time", { exact: true }).count()).toBe(0);
    await press(campaign, "Schedule", /^status: The campaign is now scheduled\./);
    await press(campaign, "Pause", /^status: The campaign is now paused\./);
    await press(campaign, "Resume", /^status: The campaign is now scheduled\./);

    const lapsed = await openInAdmin(
      page,
      campaignPath("lapsed"),
      `Christmas ${YEAR}: delivery by Christmas · Campaigns · Holiday Segments`,
    );
    // Send now asks first: Enter opens the question, Enter on its confirming button sends.
    await lapsed.getByRole("button", { name: "Send now", exact: true }).focus();
    await page.keyboard.press("Enter");
    const confirm = lapsed.getByRole("dialog").getByRole("button", { name: /^Send [\d,]+ messages? now$/ });
    await confirm.waitFor();
    await confirm.focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => focused(lapsed), { timeout: 30_000 })
      .toMatch(/^status: Sending now: [\d,]+ messages queued/);
    // the page polls every 2 s while the campaign sends; the answer (and focus on it) stays
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await focused(lapsed)).toMatch(/^status: Sending now: [\d,]+ messages queued/);

    // The VIP campaign's log: each send time on the shop's clock, and on the customer's where it differs.
    const vip = await openInAdmin(
      page,
      campaignPath("vip"),
      `Christmas ${YEAR}: VIP early access · Campaigns · Holiday Segments`,
    );
    await expect
      .poll(() => vip.getByText(new RegExp(`^${clock} (EST|EDT)$`)).count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect(await vip.getByText(new RegExp(`^${clock} \\S+ customer's time$`)).count()).toBeGreaterThan(0);

    // Preview and Send test disable their button while busy: focus moves to the answer, or to the
    // field an error is about, never to the page.
    await vip.getByRole("button", { name: "Preview", exact: true }).first().focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(vip), { timeout: 30_000 }).toMatch(/^DIV: Renders\./);
    await vip.getByRole("button", { name: "Send test", exact: true }).first().focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(vip), { timeout: 30_000 }).toMatch(/^INPUT: $/);

    // The unsubscribe page: after the click the button is gone; focus is on what happened.
    const outside = await newPage();
    await outside.goto(await unsubscribeLink(1));
    await outside.getByRole("button", { name: "Unsubscribe" }).focus();
    await outside.keyboard.press("Enter");
    await expect
      .poll(() =>
        outside.evaluate(() => `${document.activeElement?.tagName}: ${document.activeElement?.textContent}`),
      )
      .toMatch(/^H1: You are unsubscribed$/);
    expect(pageErrors).toEqual([]);
    await outside.close();
    await page.close();
  });
});
