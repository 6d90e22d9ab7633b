import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDatabase } from "~/db.server";
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
  campaign: z.object({ status: z.string() }),
  progress: z.object({ counts: z.record(z.number()), nextSendAt: z.string().nullable() }),
  audience: z.object({ toSend: z.number(), groups: z.array(z.object({ channel: z.string(), status: z.string(), rows: z.number() })) }),
  preview: z
    .object({
      channels: z.array(
        z.object({
          channel: z.string(),
          result: z.object({ message: z.object({ subject: z.string().optional() }).optional() }),
        }),
      ),
    })
    .nullable()
    .optional(),
});
const Mail = z.object({
  to: z.array(z.string()),
  listUnsubscribe: z.string().nullable(),
  listUnsubscribePost: z.string().nullable(),
  html: z.string().optional(),
});
const Stats = z.object({ uniqueKeys: z.number() });
const Sinks = z.object({
  smtp: z.object({ stats: Stats, messages: z.array(Mail) }),
  twilio: z.object({ stats: Stats }),
});

const List = z.object({
  playbooks: z.array(z.object({ key: z.string(), year: z.number() })),
  campaigns: z.array(z.object({ id: z.string(), key: z.string(), segment: z.string(), status: z.string() })),
});
const listCampaigns = async () =>
  List.parse(await (await fetchWithSessionToken(`${demo.appUrl}/app/campaigns.json`, demo.emulator, SHOP)).json());
/** `{year}`-like placeholders left unrendered (Liquid's `{{ … }}` and `{% … %}` in the template boxes are not). */
const UNRENDERED = /(?<!\{)\{\s*[A-Za-z_$][\w.$]*\s*\}(?!\})|\$\{[^}]*\}|\[object Object\]/;

const detailUrl = (campaignPath: string) =>
  `${demo.appUrl}/app/campaigns.json?campaign=${encodeURIComponent(campaignPath.split("/").pop() ?? "")}`;

/** The first send is done: nothing sending, and whatever is queued is a later send. */
async function firstSendDone(campaignPath: string): Promise<boolean> {
  const { progress } = Detail.parse(
    await (await fetchWithSessionToken(detailUrl(campaignPath), demo.emulator, SHOP)).json(),
  );
  const later = progress.nextSendAt === null || Date.parse(progress.nextSendAt) > Date.now() + 60_000;
  return (progress.counts.sending ?? 0) === 0 && later && (progress.counts.sent ?? 0) > 0;
}

describe("campaigns in Shopify admin", () => {
  it("plans Cyber Week, previews, sends one campaign now to the sinks, lists it in the outbox viewer, and unsubscribes from the link and by one-click", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: DESKTOP_USER_AGENT });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(demo.adminUrl);
    const app = page.frameLocator("iframe#app");
    await page.locator("nav button", { hasText: "Campaigns" }).click();
    const { playbooks } = await listCampaigns();
    const seasonOf = (key: string) => String(playbooks.find((p) => p.key === key)?.year);
    const calendarYear = Math.min(...playbooks.map((p) => p.year));
    await expect.poll(() => app.getByText(`Season calendar ${calendarYear} (US)`, { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => app.getByText("Christmas Day", { exact: true }).count()).toBeGreaterThan(0);
    expect((await app.locator("body").innerText()).match(UNRENDERED)?.[0]).toBeUndefined();

    // The wizard offers each playbook its next season that has not ended.
    const year = app.getByLabel("Year", { exact: true }).first();
    expect(await year.inputValue()).toBe(seasonOf("cyber-week"));
    await app.getByLabel("Playbook").selectOption("christmas");
    expect(await year.inputValue()).toBe(seasonOf("christmas"));
    await app.getByLabel("Playbook").selectOption("cyber-week");
    expect(await year.inputValue()).toBe(seasonOf("cyber-week"));

    // Planned for every segment.
    await app.getByRole("button", { name: "Plan the playbook" }).click();
    await expect.poll(() => app.getByText(/Planned \d+ campaigns for/).count(), { timeout: 60_000 }).toBe(1);
    const vipRow = app.locator("tr", { hasText: "VIP" }).filter({ has: app.locator("a") }).first();
    await vipRow.locator("a").first().click();
    await expect.poll(() => app.getByText("Audience preview").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => app.getByText("Messages to send").count()).toBe(1);
    await expect.poll(() => app.getByText(/characters · \d+ segments? · (GSM-7|UCS-2)/).count()).toBeGreaterThan(0);
    const campaignPath = new URL(await app.locator("body").evaluate(() => window.location.href)).pathname;
    expect((await app.locator("body").innerText()).match(UNRENDERED)?.[0]).toBeUndefined();

    // A Liquid error in the preview is a critical banner naming the part, line and column.
    await app.getByRole("textbox", { name: "SMS", exact: true }).fill("Hi\n  {% if discount %}no end");
    await app.getByRole("button", { name: "Preview" }).last().click();
    const liquidError = app.getByRole("alert").filter({ hasText: "SMS body, line 2, column 3: tag {% if discount %} not closed" });
    await expect.poll(() => liquidError.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => app.getByRole("status").filter({ hasText: "Does not render" }).count()).toBe(0);

    // Send now asks first, with how many messages go out; going back changes nothing.
    const { audience } = Detail.parse(await (await fetchWithSessionToken(detailUrl(campaignPath), demo.emulator, SHOP)).json());
    expect(audience.toSend).toBeGreaterThan(0);
    const confirmSend = app.getByRole("button", { name: `Send ${audience.toSend.toLocaleString("en-US")} messages now` });
    await app.getByRole("button", { name: "Send now" }).click();
    await expect.poll(() => app.getByText(`${audience.toSend.toLocaleString("en-US")} messages will go out:`, { exact: false }).count()).toBe(1);
    await app.getByRole("button", { name: "Go back" }).click();
    await expect.poll(() => confirmSend.count()).toBe(0);
    expect(Detail.parse(await (await fetchWithSessionToken(detailUrl(campaignPath), demo.emulator, SHOP)).json()).campaign.status).toBe("draft");

    // Before the channels are tested, sending is refused with the reason.
    await app.getByRole("button", { name: "Send now" }).click();
    await confirmSend.click();
    const confirmAgain = app.getByRole("button", { name: /^Send [\d,]+ messages now$/ });
    await expect
      .poll(() => app.getByText(/has not passed its connection test — Settings → Channels/).count(), { timeout: 60_000 })
      .toBeGreaterThan(0);

    await page.locator("nav button", { hasText: "Settings" }).click();
    await app.getByRole("button", { name: "Use the local sinks" }).click();
    await expect.poll(() => app.getByText(/^Email \(SMTP\): /).count(), { timeout: 30_000 }).toBe(1);

    await page.locator("nav button", { hasText: "Campaigns" }).click();
    await app.locator("tr", { hasText: "VIP" }).filter({ has: app.locator("a") }).first().locator("a").first().click();
    await app.getByRole("button", { name: "Send now" }).click();
    await confirmAgain.click();
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

    // What the outbox says was sent, per channel, and the subject the campaign's preview shows.
    const detail = Detail.parse(
      await (await fetchWithSessionToken(detailUrl(campaignPath), demo.emulator, SHOP)).json(),
    );
    const sentBy = (channel: string) =>
      detail.audience.groups
        .filter((g) => g.status === "sent" && g.channel === channel)
        .reduce((n, g) => n + g.rows, 0);
    const subject = detail.preview?.channels.find((c) => c.channel === "email")?.result.message?.subject;
    expect(subject).toMatch(/\S/);
    expect(sentBy("email")).toBeGreaterThan(1);
    const sinks = Sinks.parse(await (await fetch(`${demo.emulator.url}/sinks.json?limit=500`)).json());
    expect(sinks.smtp.stats.uniqueKeys).toBe(sentBy("email"));
    expect(sinks.twilio.stats.uniqueKeys).toBe(sentBy("sms"));
    process.stdout.write(`campaigns e2e: sent ${sentBy("email")} emails ("${subject ?? ""}") and ${sentBy("sms")} texts\n`);

    // The outbox viewer lists every message of the campaign: one row per email and per text, with
    // the VIP template's subject and the one-click unsubscribe header.
    const viewer = await browser.newPage({ userAgent: DESKTOP_USER_AGENT });
    await viewer.goto(`${demo.emulator.url}/sinks?limit=500`);
    const section = (title: string) => viewer.locator("section", { has: viewer.getByRole("heading", { name: title }) });
    const mailRows = section("Email (SMTP sink)").locator("tbody tr");
    await expect.poll(() => mailRows.count()).toBe(sentBy("email"));
    await expect.poll(() => mailRows.filter({ hasText: subject ?? "?" }).count()).toBe(sentBy("email"));
    await expect.poll(() => mailRows.filter({ hasText: "yes (one-click)" }).count()).toBe(sentBy("email"));
    await expect.poll(() => section("SMS (Twilio sink)").locator("tbody tr").count()).toBe(sentBy("sms"));
    await viewer.close();

    const store = demo.emulator.store(SHOP);
    const indexOf = (address: string) =>
      Array.from({ length: store.customers.length }, (_, i) => i).find(
        (i) => (store.customer(i).email ?? "").toLowerCase() === address.toLowerCase(),
      ) ?? -1;
    const consentOf = (i: number) => demo.emulator.store(SHOP).customer(i).emailMarketingConsent?.marketingState;
    const [first, second] = sinks.smtp.messages;
    const headerLink = (mail: z.infer<typeof Mail> | undefined) => /<(https?:[^>]+)>/.exec(mail?.listUnsubscribe ?? "")?.[1];

    // A person opens the email's unsubscribe link: a page asks, one click unsubscribes, Shopify
    // shows the customer unsubscribed, and the link then says so (it reads the suppression).
    const bodyLink = /href="(http[^"]*\/unsubscribe\/[^"]+)"/.exec(first?.html ?? "")?.[1]?.replaceAll("&amp;", "&");
    expect(bodyLink).toBeDefined();
    expect(bodyLink).toBe(headerLink(first));
    const person = indexOf(first?.to[0] ?? "");
    expect(consentOf(person)).toBe("SUBSCRIBED");
    const unsubscribe = await browser.newPage({ userAgent: DESKTOP_USER_AGENT });
    const opened = await unsubscribe.goto(bodyLink ?? "");
    expect(opened?.status()).toBe(200);
    await expect
      .poll(() => unsubscribe.getByRole("heading", { name: /^Unsubscribe from .+ marketing emails$/ }).count())
      .toBe(1);
    // a GET changes nothing (mail scanners follow links)
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(consentOf(person)).toBe("SUBSCRIBED");
    await unsubscribe.getByRole("button", { name: "Unsubscribe" }).click();
    await expect.poll(() => unsubscribe.getByRole("heading", { name: "You are unsubscribed" }).count()).toBe(1);
    await expect.poll(() => consentOf(person), { timeout: 30_000 }).toBe("UNSUBSCRIBED");
    await unsubscribe.reload();
    await expect.poll(() => unsubscribe.getByRole("heading", { name: "You are unsubscribed" }).count()).toBe(1);
    await unsubscribe.close();

    // A mail provider's RFC 8058 one-click POST for another customer.
    const other = indexOf(second?.to[0] ?? "");
    expect(other).not.toBe(person);
    expect(second?.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
    const oneClick = await fetch(headerLink(second) ?? "", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": DESKTOP_USER_AGENT },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    await expect.poll(() => consentOf(other), { timeout: 30_000 }).toBe("UNSUBSCRIBED");

    // Cancelling and deleting ask first; a deleted campaign leaves the list.
    await page.locator("nav button", { hasText: "Campaigns" }).click();
    await app.locator("tr", { hasText: "Recent" }).filter({ has: app.locator("a") }).first().locator("a").first().click();
    await expect.poll(() => app.getByText("Audience preview").count(), { timeout: 30_000 }).toBe(1);
    const recentPath = new URL(await app.locator("body").evaluate(() => window.location.href)).pathname;
    const recentId = recentPath.split("/").pop() ?? "";
    await app.getByRole("button", { name: "Cancel campaign" }).click();
    await app.getByRole("dialog").getByRole("button", { name: "Cancel campaign" }).click();
    await expect.poll(() => app.getByText("The campaign is now cancelled.").count(), { timeout: 30_000 }).toBe(1);
    await app.getByRole("button", { name: "Delete campaign" }).click();
    await expect.poll(() => app.getByRole("dialog").getByText(/This cannot be undone/).count()).toBe(1);
    await app.getByRole("dialog").getByRole("button", { name: "Delete campaign" }).click();
    await expect.poll(() => app.getByText(/^Deleted the campaign cyber-week-\d{4}:recent/).count(), { timeout: 30_000 }).toBe(1);
    expect((await listCampaigns()).campaigns.map((c) => c.id)).not.toContain(recentId);

    // The admin page polls the app while a campaign sends: closed before the app stops.
    expect(pageErrors).toEqual([]);
    await page.close();

    // Both are suppressed in the app's database (the app is stopped so its embedded database can be read).
    const exited = new Promise((resolve) => demo.app.once("exit", resolve));
    demo.app.kill("SIGTERM");
    await exited;
    const db = await createDatabase({ dataDir });
    try {
      const rows = await db.prisma.suppression.findMany({
        where: { shop: SHOP },
        select: { customerId: true, channel: true, reason: true },
        orderBy: { customerId: "asc" },
      });
      expect(rows).toEqual(
        [person, other]
          .map((i) => BigInt(store.customerLegacyId(i)))
          .sort((x, y) => (x < y ? -1 : 1))
          .map((customerId) => ({ customerId, channel: "email", reason: "unsubscribed" })),
      );
    } finally {
      await db.close();
    }
  });
});
