import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { offeredPlaybooks, runCampaignDemo } from "../../scripts/demo/campaigns";
import { trackedLinksIn } from "../../scripts/demo/tracked-links";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";

// A shopper clicks a tracked link in a campaign email in a real browser, lands on the store with
// the campaign's UTM, buys (the emulator places the order and sends orders/create), and the
// merchant sees the order credited on the campaign's Results page.

const SHOP = "results-e2e.myshopify.com";
let demo: Demo;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "e2e-results-"));
  demo = await startDemo({
    apiKey: "e2e-results-key",
    apiSecret: "e2e-results-secret",
    shop: SHOP,
    customers: 300,
    seed: 21,
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

describe("results in Shopify admin", () => {
  it("credits the order of a shopper who clicked a tracked link to the campaign", async () => {
    const ctx = { appUrl: demo.appUrl, emulator: demo.emulator, shop: SHOP };
    const campaign = await runCampaignDemo(ctx, { playbooks: await offeredPlaybooks(ctx), segment: "vip" });
    const mail = demo.emulator.sinks
      .mail(500)
      .find((m) => m.html && trackedLinksIn(m.html, demo.appUrl).length > 0);
    const link = mail?.html ? trackedLinksIn(mail.html.replaceAll("&amp;", "&"), demo.appUrl)[0] : undefined;
    expect(link).toBeDefined();
    const store = demo.emulator.store(SHOP);
    const customerIndex = store.customers.slice().findIndex((c) => c.email === mail?.to[0]);
    expect(customerIndex).toBeGreaterThanOrEqual(0);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // a click within 2 s of delivery is a scanner's

    // The shopper opens the email as it was sent and clicks its first tracked link; the store it
    // leads to is offline, so the redirect's answer is read and the store page is not waited for.
    const shopper = await browser.newPage({ userAgent: DESKTOP_USER_AGENT });
    await shopper.setContent(mail?.html ?? "");
    const redirect = shopper.waitForResponse((r) => r.url() === link);
    await shopper
      .locator(`a[href="${link ?? ""}"]`)
      .first()
      .click({ noWaitAfter: true });
    const answer = await redirect;
    expect(answer.status()).toBe(302);
    const landed = new URL(answer.headers()["location"] ?? "");
    expect(landed.searchParams.get("utm_source")).toBe("holiday-segments");
    expect(landed.searchParams.get("utm_medium")).toBe("email");
    expect(landed.searchParams.get("utm_campaign")).toBe(campaign.key);
    await shopper.close();

    const order = demo.emulator.placeOrder(SHOP, {
      customerIndex,
      lines: [
        {
          productIndex: store.products.findIndex((p) => p.status === "ACTIVE"),
          variantIndex: 0,
          quantity: 1,
        },
      ],
      landingSite: landed.toString(),
    });

    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      userAgent: DESKTOP_USER_AGENT,
    });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(demo.adminUrl);
    await page.locator("nav button", { hasText: "Results" }).click();
    const app = page.frameLocator("iframe#app");
    const vip = app.getByRole("link", { name: /VIP/ }).first();
    await vip.waitFor({ timeout: 30_000 });
    await vip.click();
    // the order shows up once its webhook is processed and credited (seconds): look again until then
    const ordered = app
      .getByRole("row")
      .filter({ hasText: /^Ordered/ })
      .first();
    await expect
      .poll(
        async () => {
          await app.getByRole("link", { name: "All results" }).click();
          await app.getByRole("link", { name: /VIP/ }).first().click();
          await ordered.waitFor({ timeout: 15_000 });
          return (await ordered.innerText()).split(/\s+/)[1];
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe("1");
    const total = order.currentTotalPriceSet.shopMoney.amount;
    expect(await app.locator("body").innerText()).toContain(
      Number(total).toLocaleString("en-US", { minimumFractionDigits: 2 }),
    );
    expect(pageErrors).toEqual([]);
    // E2E_SCREENSHOTS=<dir> keeps what the merchant saw, to look at
    if (process.env.E2E_SCREENSHOTS)
      await page.screenshot({ path: join(process.env.E2E_SCREENSHOTS, "results.png"), fullPage: true });
  });
});
