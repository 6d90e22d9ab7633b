import { launchBrowser, DESKTOP_USER_AGENT } from "./test/support/browser";
const ADMIN = "http://127.0.0.1:3912/store/demo-store/apps/holiday-segments-demo-key";
const b = await launchBrowser();
const page = await b.newPage({ viewport: { width: 1400, height: 2200 }, userAgent: DESKTOP_USER_AGENT });
const errors: string[] = [];
page.on("pageerror", (e) => errors.push(e.message));
page.on("console", (m) => { if (m.type() === "error") errors.push("console: " + m.text()); });
for (const [name, path] of [["dashboard", ""], ["segments", "/app/segments"], ["campaigns", "/app/campaigns"], ["settings", "/app/settings"], ["channels", "/app/settings/channels"], ["sync", "/app/sync-status"]]) {
  await page.goto(ADMIN + path);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `/tmp/walk/${name}.png`, fullPage: false });
  const frame = page.frames().find((f) => f.name() === "app-iframe");
  console.log(name, await page.title(), "|", (await frame?.title()) ?? "");
}
console.log("errors", errors);
await b.close();
