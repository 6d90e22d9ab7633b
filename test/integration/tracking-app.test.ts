import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { hkdfSync } from "node:crypto";
import type { Database } from "~/db.server";
import type { Demo } from "../../scripts/demo/start-demo";
import { saveChannelConfig, seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import type { DatabaseTarget } from "./helpers/db";
import { startRunningDemo, type RunningDemo } from "./helpers/running-demo";

// Tracked links and open pixels in the running app. Always: junk tokens get the pixel or the
// "link does not work" page, never a redirect. With PostgreSQL (the test shares the app's
// database): the app's dispatcher sends an email and a text to the sinks with their links pointed
// at the app, the test follows them as a person and as a scanner would, and reads the events.

const SHOP = "tracking-store.myshopify.com";
const API_SECRET = "tracking-app-secret";
const appBox = createSecretBox(
  Buffer.from(hkdfSync("sha256", API_SECRET, "holiday-segments", "channel-secrets", 32)),
);
const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
const PREFIX = `m_${"7".repeat(39)}`; // ids m_777…1 and m_777…2: the app's id format

describe("tracked links and open pixels in the running app", () => {
  let demo: Demo;
  let database: DatabaseTarget;
  let running: RunningDemo | undefined;
  let app: Database | undefined;

  beforeAll(async () => {
    running = await startRunningDemo(
      { apiKey: "tracking-key", apiSecret: API_SECRET, shop: SHOP, customers: 5, seed: 4 },
      "tracking-",
    );
    ({ demo, database } = running);
    if (database.databaseUrl) {
      const { createDatabase } = await import("~/db.server");
      app = await createDatabase({ databaseUrl: database.databaseUrl });
    }
  });
  afterAll(async () => {
    await app?.close();
    await running?.stop();
  });

  it("answers junk with the pixel or a 404, never a redirect", async () => {
    const pixel = await fetch(`${demo.appUrl}/t/o/not-a-token.gif`);
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get("content-type")).toBe("image/gif");
    expect(pixel.headers.get("cache-control")).toContain("no-store");
    const forged = `${"A".repeat(27)}.${"B".repeat(12)}.${"C".repeat(16)}`;
    const click = await fetch(`${demo.appUrl}/t/c/${forged}`, { redirect: "manual" });
    expect(click.status).toBe(404);
    expect(click.headers.get("location")).toBeNull();
  });

  it("tracks the links of sent messages, and tells people from machines (PostgreSQL only)", async (context) => {
    if (!app) return context.skip();
    const { prisma } = app;
    const sinks = demo.emulator.sinks;
    await prisma.shop.upsert({
      where: { domain: SHOP },
      create: { domain: SHOP, scopes: "", ianaTimezone: "UTC" },
      update: {},
    });
    await seedCustomers(prisma, SHOP, 1, 2);
    await saveChannelConfig(prisma, appBox, {
      shop: SHOP,
      channel: "email",
      settings: sinks.settings.smtp,
      ratePerSecond: 50,
    });
    await saveChannelConfig(prisma, appBox, {
      shop: SHOP,
      channel: "sms",
      settings: sinks.settings.twilio,
      ratePerSecond: 50,
    });
    const id = "c_tracking";
    await seedCampaign(prisma, { shop: SHOP, id, channels: ["email", "sms"], status: "draft" });
    await seedOutbox(prisma, {
      shop: SHOP,
      campaignId: id,
      channel: "email",
      from: 1,
      count: 1,
      idPrefix: PREFIX,
      sendAt: new Date(Date.now() - 1_000),
    });
    await seedOutbox(prisma, {
      shop: SHOP,
      campaignId: id,
      channel: "sms",
      from: 2,
      count: 1,
      idPrefix: PREFIX,
      sendAt: new Date(Date.now() - 1_000),
    });
    await prisma.campaign.update({ where: { id }, data: { status: "scheduled" } });
    await expect
      .poll(async () => (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status, {
        timeout: 60_000,
      })
      .toBe("completed");

    const emailId = `${PREFIX}1`;
    const mail = sinks.mail().find((m) => m.key === emailId);
    const html = mail?.html ?? "";
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+\.gif)"/.exec(html)?.[1];
    const tracked = [...html.matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)].map((m) => m[1] ?? "");
    expect(pixel).toBeDefined();
    expect(tracked.length).toBeGreaterThan(0);
    // the unsubscribe link stays direct
    expect(html).toMatch(new RegExp(`href="${demo.appUrl}/unsubscribe/`));
    const text = sinks.sms().find((m) => m.key === `${PREFIX}2`)?.body ?? "";
    expect(text).toMatch(
      new RegExp(`${demo.appUrl}/t/c/[A-Za-z0-9_-]{27}\\.[A-Za-z0-9_-]{12}\\.[A-Za-z0-9_-]{16}`),
    );

    // a scanner's HEAD, then a person two seconds after delivery
    const first = tracked[0] ?? "";
    const head = await fetch(first, { method: "HEAD", redirect: "manual" });
    expect(head.status).toBe(302);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const click = await fetch(first, { redirect: "manual", headers: { "User-Agent": BROWSER } });
    expect(click.status).toBe(302);
    const destination = new URL(click.headers.get("location") ?? "");
    expect(Object.fromEntries([...destination.searchParams].filter(([k]) => k.startsWith("utm_")))).toEqual({
      utm_source: "holiday-segments",
      utm_medium: "email",
      utm_campaign: id,
      utm_content: "launch",
    });
    await fetch(pixel ?? "", { headers: { "User-Agent": BROWSER } });
    await fetch(pixel ?? "", { headers: { "User-Agent": "Mozilla/5.0" } }); // Apple's privacy proxy

    const events = await prisma.messageEvent.findMany({
      where: { shop: SHOP, outboxId: emailId },
      orderBy: [{ kind: "asc" }, { machine: "asc" }],
      select: { kind: true, machine: true, machineReason: true, count: true },
    });
    expect(events).toEqual([
      { kind: "clicked", machine: false, machineReason: null, count: 1 },
      { kind: "clicked", machine: true, machineReason: "head_request", count: 1 },
      { kind: "opened", machine: false, machineReason: null, count: 1 },
      { kind: "opened", machine: true, machineReason: "apple_mpp", count: 1 },
    ]);
    // the link's destination is the stored one: a token of another message cannot reuse it
    expect(await prisma.trackedLink.count({ where: { shop: SHOP } })).toBeGreaterThan(0);
  });
});
