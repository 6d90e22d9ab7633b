import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";

const SHOP = "campaigns-e2e.myshopify.com";
let demo: Demo;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "e2e-campaigns-"));
  demo = await startDemo({
    apiKey: "e2e-campaigns-key",
    apiSecret: "e2e-campaigns-secret",
    shop: SHOP,
    customers: 400,
    seed: 11,
    dataDir,
    install: true,
  });
  await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
  await waitForSegments(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const Detail = z.object({
  progress: z.object({ counts: z.record(z.number()), nextSendAt: z.string().nullable() }),
});
const Mail = z.object({ to: z.array(z.string()), listUnsubscribe: z.string().nullable(), listUnsubscribePost: z.string().nullable() });
const Sinks = z.object({ smtp: z.object({ stats: z.object({ uniqueKeys: z.number() }), messages: z.array(Mail) }) });

/** The first send is done: nothing sending, and whatever is queued is a later send. */
async function firstSendDone(campaignPath: string): Promise<boolean> {
  const id = campaignPath.split("/").pop() ?? "";
  const url = `${demo.appUrl}/app/campaigns.json?campaign=${encodeURIComponent(id)}`;
  const { progress } = Detail.parse(await (await fetchWithSessionToken(url, demo.emulator, SHOP)).json());
  const later = progress.nextSendAt === null || Date.parse(progress.nextSendAt) > Date.now() + 60_000;
  return (progress.counts.sending ?? 0) === 0 && later && (progress.counts.sent ?? 0) > 0;
}

describe("campaigns in Shopify admin", () => {
  it("plans Cyber Week, previews, sends one campaign now to the sinks, and an unsubscribe reaches Shopify", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: DESKTOP_USER_AGENT });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(demo.adminUrl);
    const app = page.frameLocator("iframe#app");
    await page.locator("nav button", { hasText: "Campaigns" }).click();
    await expect.poll(() => app.getByText("Season calendar", { exact: false }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => app.getByText("Black Friday", { exact: true }).count()).toBeGreaterThan(0);

    // The wizard: Cyber Week of this year (its default), planned for every segment.
    await app.getByRole("button", { name: "Plan the playbook" }).click();
    await expect.poll(() => app.getByText(/Planned \d+ campaigns for/).count(), { timeout: 60_000 }).toBe(1);
    const vipRow = app.locator("tr", { hasText: "VIP" }).filter({ has: app.locator("a") }).first();
    await vipRow.locator("a").first().click();
    await expect.poll(() => app.getByText("Audience preview").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => app.getByText("Messages to send").count()).toBe(1);
    await expect.poll(() => app.getByText(/characters · \d+ segments? · (GSM-7|UCS-2)/).count()).toBeGreaterThan(0);
    const campaignPath = new URL(await app.locator("body").evaluate(() => window.location.href)).pathname;

    // Before the channels are tested, sending is refused with the reason.
    await app.getByRole("button", { name: "Send now" }).click();
    await expect
      .poll(() => app.getByText(/has not passed its connection test — Settings → Channels/).count(), { timeout: 60_000 })
      .toBeGreaterThan(0);

    await page.locator("nav button", { hasText: "Settings" }).click();
    await app.getByRole("button", { name: "Use the local sinks" }).click();
    await expect.poll(() => app.getByText(/^Email \(SMTP\): /).count(), { timeout: 30_000 }).toBe(1);

    await page.locator("nav button", { hasText: "Campaigns" }).click();
    await app.locator("tr", { hasText: "VIP" }).filter({ has: app.locator("a") }).first().locator("a").first().click();
    await app.getByRole("button", { name: "Send now" }).click();
    await expect.poll(() => app.getByText(/Sending now: \d+ messages queued/).count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => firstSendDone(campaignPath), { timeout: 60_000, interval: 500 }).toBe(true);
    // The page polls every 2 s while sending: progress and the log show sent messages without a reload.
    await expect.poll(() => app.getByText(/^[1-9][\d,]* of [\d,]+ finished/).count(), { timeout: 30_000 }).toBe(1);
    await app.getByRole("link", { name: "sent", exact: true }).click();
    await expect.poll(() => app.locator("body").evaluate(() => window.location.search)).toContain("status=sent");
    await expect.poll(() => app.locator("td", { hasText: /sent$/ }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await app.locator("body").evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: process.env.UPDATE_SCREENSHOTS ? "docs/campaigns.png" : join(dataDir, "campaigns.png"),
      fullPage: true,
    });

    const sinks = Sinks.parse(await (await fetch(`${demo.emulator.url}/sinks.json?limit=5`)).json());
    expect(sinks.smtp.stats.uniqueKeys).toBeGreaterThan(0);
    const viewer = await browser.newPage({ userAgent: DESKTOP_USER_AGENT });
    await viewer.goto(`${demo.emulator.url}/sinks`);
    await expect.poll(() => viewer.getByText("(one-click)", { exact: false }).count()).toBeGreaterThan(0);
    await viewer.close();

    // RFC 8058 one-click from the captured email, then Shopify shows the customer unsubscribed.
    const mail = sinks.smtp.messages.find((m) => m.listUnsubscribe && m.listUnsubscribePost);
    const target = /<(https?:[^>]+)>/.exec(mail?.listUnsubscribe ?? "")?.[1];
    expect(target).toBeDefined();
    const oneClick = await fetch(target ?? "", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": DESKTOP_USER_AGENT },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    const store = demo.emulator.store(SHOP);
    const address = (mail?.to[0] ?? "").toLowerCase();
    const index = Array.from({ length: store.customers.length }, (_, i) => i).find(
      (i) => (store.customer(i).email ?? "").toLowerCase() === address,
    );
    expect(index).toBeDefined();
    await expect
      .poll(() => demo.emulator.store(SHOP).customer(index ?? -1).emailMarketingConsent?.marketingState, { timeout: 30_000 })
      .toBe("UNSUBSCRIBED");
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
