import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { waitForSync } from "../../scripts/demo/wait-for-sync";
import { createDatabase } from "~/db.server";
import { rescoreShop } from "~/segments/rescore.server";
import { DESKTOP_USER_AGENT, launchBrowser } from "../support/browser";

const SHOP = "seg-browser.myshopify.com";
let demo: Demo;
let browser: Browser;
let dataDir: string;

// The demo store, scored directly (the app is stopped meanwhile: PGlite has one owner), seen through
// the admin in a real browser.
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "segpage-"));
  demo = await startDemo({ apiKey: "k", apiSecret: "s", shop: SHOP, customers: 300, seed: 7, dataDir, install: true });
  await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 });
  const exited = new Promise((resolve) => demo.app.once("exit", resolve));
  demo.app.kill("SIGTERM");
  await exited;
  const db = await createDatabase({ dataDir });
  await rescoreShop({ prisma: db.prisma, now: () => new Date(), log: () => undefined }, SHOP);
  await db.close();
  await demo.restartApp();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("shows the scored store's segments; filter, pages, search, admin links and CSV export work in the browser", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 2400 }, userAgent: DESKTOP_USER_AGENT });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(demo.adminUrl);
  const app = page.frameLocator("iframe#app");
  await expect.poll(() => app.getByText("Customers synced").count(), { timeout: 30_000 }).toBe(1);
  await page.locator("nav button", { hasText: "Segments" }).click();
  await expect.poll(() => app.getByText("Recency × frequency").count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => app.getByRole("cell", { name: /^R 5, F 5: \d+ customers$/ }).count()).toBe(1);
  const summary = () => app.getByText(/customers · page \d+ of/).textContent();
  await expect.poll(summary).toBe("300 customers · page 1 of 12");

  await app.getByLabel("Segment", { exact: true }).selectOption("vip");
  await app.getByRole("button", { name: "Apply" }).click();
  await expect.poll(summary, { timeout: 10_000 }).toMatch(/^\d+ customers · page 1 of \d+$/);
  await expect.poll(summary).not.toMatch(/^300 /);
  const vips = Number((await summary())?.split(" ")[0]);
  await app.getByRole("link", { name: "Next page of customers" }).click();
  await expect.poll(summary, { timeout: 10_000 }).toMatch(/ page 2 of /);
  // the list lives in the app's URL, so a reload of the frame shows the same page
  const frameUrl = () => page.frames().find((f) => f.url().includes("/app/segments"))?.url() ?? "";
  expect(new URL(frameUrl()).searchParams.toString()).toMatch(/segment=vip&sort=spend&dir=desc&size=25&page=2/);

  // Each customer shows by the name the store has for them, linked to them in Shopify admin.
  const store = demo.emulator.store(SHOP);
  const links = app.getByRole("link", { name: / in Shopify admin$/ });
  expect(await links.count()).toBe(25);
  for (const link of await links.all()) {
    const href = (await link.getAttribute("href")) ?? "";
    expect(href).toMatch(/^shopify:\/\/admin\/customers\/\d+$/);
    expect(await link.getAttribute("target")).toBe("_top");
    const record = store.customer(store.customerIndexOf(Number(href.split("/").pop())) ?? -1);
    const name = `${record.firstName} ${record.lastName}`;
    expect({ text: await link.textContent(), label: await link.getAttribute("aria-label") }).toEqual({
      text: name,
      label: `Open ${name} in Shopify admin`,
    });
  }

  const download = page.waitForEvent("download", { timeout: 15_000 });
  await app.getByRole("button", { name: "Export CSV of VIP customers" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^segments-seg-browser-vip-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync(await file.path(), "utf8").split("\r\n");
  expect(lines[0]).toBe("customer_id,email,segment,recency_days,frequency,monetary,r,f,m,discount_share");
  expect(lines.slice(1, -1)).toHaveLength(vips);
  expect(lines.slice(1, -1).every((l) => l.split(",")[2] === "vip")).toBe(true);

  await app.getByLabel("Search").fill("omar");
  await app.getByRole("button", { name: "Apply" }).click();
  await expect.poll(summary, { timeout: 10_000 }).toMatch(/^\d customers · page 1 of 1$/);
  // a full name finds that customer (all segments)
  const someone = store.customer(41);
  await app.getByLabel("Segment", { exact: true }).selectOption("");
  await app.getByLabel("Search").fill(`${someone.firstName} ${someone.lastName}`);
  await app.getByRole("button", { name: "Apply" }).click();
  await expect
    .poll(async () => (await links.allTextContents()).includes(`${someone.firstName} ${someone.lastName}`), { timeout: 10_000 })
    .toBe(true);
  expect(pageErrors).toEqual([]);

  // A click opens that customer in the admin around the app (the emulator's customer page).
  await links.filter({ hasText: `${someone.firstName} ${someone.lastName}` }).first().click();
  await page.waitForURL(/\/store\/seg-browser\/customers\/\d+$/, { timeout: 10_000 });
  expect(new URL(page.url()).pathname.split("/").pop()).toBe(someone.legacyResourceId);
  expect(await page.locator("h1").textContent()).toBe(`${someone.firstName} ${someone.lastName}`);
  expect(await page.getByText(someone.email ?? "—", { exact: true }).count()).toBe(1);
});
