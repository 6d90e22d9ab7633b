import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { waitForSync } from "../../scripts/demo/wait-for-sync";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";

// The storefront as a shopper uses it, in Chromium: the deadline banner with the right day in the
// shopper's own time, an SMS signup (the emulator's Shopify holds the consent at the right level,
// the merchant's admin shows the text the shopper saw), the same form with JavaScript off and its
// double opt-in email, and a forged proxy request that changes nothing.

const SHOP = "storefront-e2e.myshopify.com";
const API_SECRET = "e2e-storefront-secret";
let demo: Demo;
let browser: Browser;
let dataDir: string;
const POLL = { timeout: 20_000 };

// The season the app shows: this year's Christmas until it has passed.
const today = new Date();
const YEAR = today.getUTCMonth() === 11 && today.getUTCDate() > 25 ? today.getUTCFullYear() + 1 : today.getUTCFullYear();
const dayName = (month: number, day: number, locale: string) =>
  new Date(Date.UTC(YEAR, month - 1, day, 12)).toLocaleDateString(locale, { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" });

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "e2e-storefront-"));
  demo = await startDemo({ apiKey: "e2e-storefront-key", apiSecret: API_SECRET, shop: SHOP, customers: 60, seed: 31, dataDir, install: true });
  await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 90_000 });
  const sinks = await fetchWithSessionToken(`${demo.appUrl}/app/settings/channels.json`, demo.emulator, SHOP, {
    method: "POST",
    body: new URLSearchParams({ intent: "use-local-sinks" }),
  });
  expect(sinks.status).toBe(200);
  // the app writes the deadlines when it is installed; the storefront renders the banner from them
  await waitFor("the deadline banner on the storefront", async () => {
    const html = await (await fetch(demo.emulator.storefrontUrl(SHOP))).text();
    return html.includes("hs-banner__msg") ? true : undefined;
  }, 60_000);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function shopperPage(options: { timezoneId: string; locale: string; at?: Date; javaScriptEnabled?: boolean }): Promise<Page> {
  const context = await browser.newContext({
    timezoneId: options.timezoneId,
    locale: options.locale,
    userAgent: DESKTOP_USER_AGENT,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  const page = await context.newPage();
  if (options.at) await page.clock.setFixedTime(options.at);
  return page;
}

describe("the storefront", () => {
  it("shows the standard cut-off, then express, in the shopper's own time, and nothing after", async () => {
    const ny = await shopperPage({ timezoneId: "America/New_York", locale: "en-US", at: new Date(Date.UTC(YEAR, 11, 6, 17)) });
    await ny.goto(demo.emulator.storefrontUrl(SHOP));
    await expect.poll(() => ny.locator(".hs-banner__msg:visible").innerText(), POLL).toBe(
      `Order by ${dayName(12, 15, "en-US")} for delivery before Christmas`,
    );
    await ny.clock.setFixedTime(new Date(Date.UTC(YEAR, 11, 16, 17)));
    await ny.reload();
    await expect.poll(() => ny.locator(".hs-banner__msg:visible").innerText(), POLL).toBe(
      `Order by ${dayName(12, 20, "en-US")} with express shipping for delivery before Christmas`,
    );
    await ny.clock.setFixedTime(new Date(Date.UTC(YEAR, 11, 21, 17)));
    await ny.reload();
    await expect.poll(() => ny.locator(".hs-banner__msg:visible").count(), POLL).toBe(0);
    await ny.context().close();

    // 23:59 on the 15th in New York is already the 16th in Paris
    const paris = await shopperPage({ timezoneId: "Europe/Paris", locale: "fr-FR", at: new Date(Date.UTC(YEAR, 11, 6, 17)) });
    await paris.goto(`${demo.emulator.storefrontUrl(SHOP)}fr/`);
    await expect.poll(() => paris.locator(".hs-banner__msg:visible").innerText(), POLL).toContain(dayName(12, 16, "fr-FR"));
    await paris.context().close();
  });

  it("signs a shopper up for texts, welcomes them, and the merchant sees the text they were shown", async () => {
    const welcome = await fetchWithSessionToken(`${demo.appUrl}/app/flows.json`, demo.emulator, SHOP, {
      method: "POST",
      body: new URLSearchParams({ intent: "turn-on", flow: "welcome" }),
    });
    expect(welcome.status).toBe(200);
    const phone = "+12125550187";
    const page = await shopperPage({ timezoneId: "America/New_York", locale: "en-US" });
    await page.goto(demo.emulator.storefrontUrl(SHOP));
    await page.getByLabel("Mobile phone number").fill(phone);
    await page.getByLabel("Text me holiday offers and reminders").check();
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.locator(".hs-signup__status").innerText(), POLL).toBe("Thank you, you are subscribed.");
    const store = demo.emulator.store(SHOP);
    const customer = await waitFor("the new customer", () => store.customers.slice().find((c) => c.phone === phone));
    expect(customer.smsMarketingConsent).toMatchObject({ marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" });
    // Shopify's customers/create reaches the app like any new subscriber's: the Welcome flow texts
    // them — within the shop's SMS hours (08:00–21:00 in New York, the shopper having no address of
    // their own); at night the text waits for the morning. The hour either side is left alone.
    const shopHour = Number(
      new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "2-digit", hourCycle: "h23" }).format(new Date()),
    );
    const sent = () => demo.emulator.sinks.sms(200).find((m) => m.to === phone);
    if (shopHour >= 8 && shopHour < 20) {
      const text = await waitFor("the welcome text", sent, 60_000);
      expect(text.body).toMatch(/thanks for signing up for texts/);
    } else if (shopHour >= 21 || shopHour < 7) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      expect(sent()).toBeUndefined();
    }
    await page.context().close();

    const admin = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: DESKTOP_USER_AGENT });
    await admin.goto(demo.adminUrl);
    const app = admin.frameLocator("iframe#app");
    await admin.locator("nav button", { hasText: "Storefront" }).click();
    await app.getByRole("link", { name: `Customer ${customer.legacyResourceId}` }).click();
    await expect.poll(() => app.locator("body").innerText(), POLL).toContain("Reply STOP to cancel, HELP for help.");
    // the same evidence from Shopify's customer page, through the app's admin link (More actions)
    await admin.goto(`${demo.emulator.url}/store/${SHOP.replace(".myshopify.com", "")}/customers/${customer.legacyResourceId}`);
    await admin.getByRole("link", { name: "Consent evidence" }).click();
    await expect.poll(() => app.locator("body").innerText(), POLL).toContain("Reply STOP to cancel, HELP for help.");
    const evidence = await app.locator("body").innerText();
    expect(evidence).toContain("SMS → SUBSCRIBED (single opt in)");
    expect(evidence).toContain("signup-form");
    await admin.close();
  });

  it("works without JavaScript, and the emailed link confirms the subscription", async () => {
    const email = "no-script-shopper@example.com";
    const page = await shopperPage({ timezoneId: "America/New_York", locale: "en-US", javaScriptEnabled: false });
    await page.goto(demo.emulator.storefrontUrl(SHOP));
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel(/Email me news and offers/).check();
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.locator("body").innerText(), POLL).toContain("Almost done: we sent you an email.");
    const store = demo.emulator.store(SHOP);
    const customer = await waitFor("the new customer", () => store.customers.slice().find((c) => c.email === email));
    expect(customer.emailMarketingConsent).toMatchObject({ marketingState: "PENDING" });

    const mail = await waitFor(
      "the confirmation email",
      () => demo.emulator.sinks.mail(200).find((m) => m.to.includes(email) && /^Confirm your subscription/.test(m.subject ?? "")),
      60_000,
    );
    expect(mail.text).not.toContain("/t/c/"); // a transactional link, not a tracked one
    const link = /href="([^"]+\/apps\/holiday\/confirm\?[^"]+)"/.exec(mail.html ?? "")?.[1]?.replaceAll("&amp;", "&");
    expect(link).toBeDefined();
    await page.goto(link ?? "");
    await expect.poll(() => page.locator("body").innerText(), POLL).toContain("Thank you, your subscription is confirmed.");
    const index = store.customers.slice().findIndex((c) => c.email === email);
    expect(store.customer(index).emailMarketingConsent).toMatchObject({ marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN" });
    await page.context().close();
  });

  it("shows VIP early access only to a logged-in VIP, and signs a logged-in customer up on their own account", async () => {
    const store = demo.emulator.store(SHOP);
    const segmentOf = (i: number) =>
      store.metafields.get(`gid://shopify/Customer/${store.customerLegacyId(i)}`, "$app", "rfm_segment")?.value;
    const indices = () => Array.from({ length: store.customerCount }, (_, i) => i);
    const vip = await waitFor("a customer marked vip", () => indices().find((i) => segmentOf(i) === "vip"), 60_000);
    const other = indices().find((i) => {
      const c = store.customer(i);
      return segmentOf(i) !== undefined && segmentOf(i) !== "vip" && c.email && c.emailMarketingConsent?.marketingState !== "SUBSCRIBED";
    });
    expect(other).toBeDefined();
    const home = demo.emulator.storefrontUrl(SHOP);
    const page = await shopperPage({ timezoneId: "America/New_York", locale: "en-US" });
    const vipBlock = page.getByRole("heading", { name: "Early access for our VIPs" });

    await page.goto(home);
    expect(await vipBlock.count()).toBe(0);
    await page.goto(`${home}account/login?customer_id=${store.customerLegacyId(vip)}`);
    await expect.poll(() => vipBlock.count(), POLL).toBe(1);

    const customer = store.customer(other ?? 0);
    await page.goto(`${home}account/logout`);
    await page.goto(`${home}account/login?customer_id=${customer.legacyResourceId}`);
    expect(await vipBlock.count()).toBe(0);
    // the form knows who is logged in: their address is filled in, and the consent goes to their account
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(customer.email);
    await page.getByLabel(/Email me news and offers/).check();
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.locator(".hs-signup__status").innerText(), POLL).toContain("Almost done");
    expect(store.customer(other ?? 0).emailMarketingConsent?.marketingState).toBe("PENDING");
    await page.context().close();
  });

  it("refuses a forged or stale proxy request and changes nothing", async () => {
    const before = demo.emulator.store(SHOP).customerCount;
    const form = new URLSearchParams({ email: "forged@example.com", email_consent: "yes", email_disclosure: "x", website: "" });
    const signed = (secret: string, timestamp: number) => {
      const query = { logged_in_customer_id: "", path_prefix: "/apps/holiday", shop: SHOP, timestamp: String(timestamp) };
      const message = Object.entries(query).map(([k, v]) => `${k}=${v}`).sort().join("");
      const signature = createHmac("sha256", secret).update(message).digest("hex");
      return `${demo.appUrl}/proxy/signup?${new URLSearchParams({ ...query, signature })}`;
    };
    const now = Math.floor(Date.now() / 1000);
    for (const url of [signed("not-the-app-secret", now), signed(API_SECRET, now - 3_600), `${demo.appUrl}/proxy/signup?shop=${SHOP}`]) {
      const response = await fetch(url, { method: "POST", body: form, headers: { Accept: "application/json" } });
      expect(response.status).toBe(400);
    }
    // the same request signed properly is taken: the refusals above were the signature's
    const genuine = await fetch(signed(API_SECRET, now), { method: "POST", body: form, headers: { Accept: "application/json" } });
    expect(genuine.status).toBe(200);
    expect(demo.emulator.store(SHOP).customerCount).toBe(before + 1);
  });
});
