import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { waitForSync } from "../../scripts/demo/wait-for-sync";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";

// The Flows page in Shopify admin, in Chromium: a merchant turns the abandoned checkout flow on,
// applies the peak preset, previews a message and tries an edit, with no error in the console.

const SHOP = "flows-e2e.myshopify.com";
let demo: Demo;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "e2e-flows-"));
  demo = await startDemo({
    apiKey: "e2e-flows-key",
    apiSecret: "e2e-flows-secret",
    shop: SHOP,
    customers: 200,
    seed: 13,
    dataDir,
    install: true,
  });
  await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const Flows = z.object({
  flows: z.array(
    z.object({
      key: z.string(),
      status: z.string(),
      values: z.object({ delays: z.record(z.string()) }),
    }),
  ),
});
const flowsJson = async () =>
  Flows.parse(
    await (await fetchWithSessionToken(`${demo.appUrl}/app/flows.json`, demo.emulator, SHOP)).json(),
  );
const abandoned = async () => (await flowsJson()).flows.find((f) => f.key === "abandoned_checkout");

describe("flows in Shopify admin", () => {
  it("turns the abandoned checkout flow on, applies the peak preset and previews its first message", async () => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      userAgent: DESKTOP_USER_AGENT,
    });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console (${message.location().url}): ${message.text()}`);
    });
    await page.goto(demo.adminUrl);
    const app = page.frameLocator("iframe#app");
    await page.locator("nav button", { hasText: "Flows" }).click();
    const card = app.getByRole("region", { name: "Abandoned checkout", exact: true });
    await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => app.getByRole("heading", { level: 2 }).allTextContents())
      .toEqual([
        "Abandoned checkout",
        "Welcome",
        "Win-back",
        "VIP recognition",
        "Post-purchase cross-sell",
        "Customer timeline",
      ]);
    // Off until the merchant turns it on, and the note about Shopify's own email.
    expect((await abandoned())?.status).toBe("off");
    await expect
      .poll(() => card.getByText("Shopify's own abandoned checkout email would also send").count())
      .toBe(1);

    await card.getByRole("button", { name: "Turn on Abandoned checkout" }).click();
    await expect
      .poll(() => card.getByRole("button", { name: "Turn off Abandoned checkout" }).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect((await abandoned())?.status).toBe("on");
    expect(await card.getByText("On", { exact: true }).count()).toBe(1);

    // The peak preset: the first message 30 minutes after the last checkout activity.
    expect(await card.getByLabel("First message, after the last checkout activity").inputValue()).toBe("60");
    await card.getByRole("button", { name: "Use the peak preset (30 minutes)" }).click();
    await expect
      .poll(() => card.getByText("Wait 30 minutes", { exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    await expect
      .poll(() => card.getByLabel("First message, after the last checkout activity").inputValue())
      .toBe("30");
    expect((await abandoned())?.values.delays["delays.first_message_wait"]).toBe("30");
    expect(await card.getByRole("button", { name: "Use the peak preset (30 minutes)" }).isDisabled()).toBe(
      true,
    );

    // A delay out of bounds is refused on its field; nothing changes.
    await card.getByLabel("First reminder, after the first message").fill("2");
    await card.getByRole("button", { name: "Save settings for Abandoned checkout" }).click();
    await expect
      .poll(
        () =>
          card
            .getByText("First reminder, after the first message must be from 6 hours to 3 days (got 2 hours)")
            .count(),
        { timeout: 30_000 },
      )
      .toBe(1);
    expect((await abandoned())?.values.delays["delays.first_reminder_wait"]).toBe("24");

    // The first message's preview: the sample customer, the cart and its recovery link.
    await card.getByRole("link", { name: "Preview and edit first message" }).click();
    await expect.poll(() => card.getByText(/^Subject:/).count(), { timeout: 30_000 }).toBe(1);
    const body = await card.innerText();
    expect(body).toContain("Subject: You left something in your cart at");
    expect(body).toContain("Hi Jordan,");
    expect(body).toContain("- Ceramic Mug Set x 2, $24.50 each");
    expect(body).toContain(
      "Return to your cart: https://sample-store.example.com/checkouts/sample/recover?key=sample",
    );
    expect(body).toMatch(/\d+ characters · 1 segment · GSM-7/);

    // An edit previews without saving; a Liquid error names its part, line and column.
    const sms = card.getByRole("textbox", { name: "SMS text", exact: true });
    await sms.fill("{{ shop.name }}: back to your cart {{ checkout.url }}\n  {% if discount %}no end");
    await card.getByRole("button", { name: "Preview" }).last().click();
    await expect
      .poll(
        () =>
          card
            .getByRole("alert")
            .filter({ hasText: "SMS body, line 2, column 3: tag {% if discount %} not closed" })
            .count(),
        { timeout: 30_000 },
      )
      .toBe(1);
    await app.locator("body").evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: process.env.UPDATE_SCREENSHOTS ? "docs/flows.png" : join(dataDir, "flows.png"),
      fullPage: true,
    });

    expect(errors).toEqual([]);
    await page.close();
  });
});
