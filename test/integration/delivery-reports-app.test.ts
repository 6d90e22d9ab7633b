import { hkdfSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { twilioSignature } from "~/messaging/channels/twilio-signature";
import { signWebhookBody } from "~/messaging/channels/webhook-signature";
import { EMAIL_EVENTS_PATH } from "~/messaging/delivery-events/email-events";
import { TWILIO_STATUS_PATH, twilioStatusCallbackUrl } from "~/messaging/delivery-events/twilio-status";
import type { DispatchChannel } from "~/messaging/dispatch/jobs";
import { saveChannelConfig, seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import type { Database } from "~/db.server";
import type { Demo } from "../../scripts/demo/start-demo";
import type { DatabaseTarget } from "./helpers/db";
import { startRunningDemo, type RunningDemo } from "./helpers/running-demo";

// The delivery-report routes in the running app (the built Remix app as `npm run demo` starts it).
// Always: the routes exist and refuse what is not signed. With PostgreSQL (DATABASE_URL), where
// the test can share the app's database: the app's own dispatcher sends to the emulator's sinks,
// the SMTP sink bounces one address, the Twilio sink reports one number undelivered to the app's
// StatusCallback route, an ESP report arrives at the email route, and the suppressions are there.

const SHOP = "reports-store.myshopify.com";
const API_SECRET = "delivery-reports-secret";
const EVENTS_SECRET = "email-events-secret-for-the-app";
// What app/secrets.server.ts derives from the app secret when ENCRYPTION_KEY is unset.
const appBox = createSecretBox(
  Buffer.from(hkdfSync("sha256", API_SECRET, "holiday-segments", "channel-secrets", 32)),
);

describe("delivery reports in the running app", () => {
  let demo: Demo;
  let database: DatabaseTarget;
  let running: RunningDemo | undefined;
  let app: Database | undefined;

  beforeAll(async () => {
    running = await startRunningDemo(
      {
        apiKey: "reports-key",
        apiSecret: API_SECRET,
        shop: SHOP,
        customers: 5,
        seed: 3,
      },
      "reports-",
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

  it("serves both routes, POST only, and refuses unsigned reports", async () => {
    const callback = twilioStatusCallbackUrl(demo.appUrl, SHOP, "m_0123");
    const form = "MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=undelivered&ErrorCode=30005";
    const forged = await fetch(callback, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilioSignature("guessed-token", callback, [...new URLSearchParams(form)]),
      },
      body: form,
    });
    expect(forged.status).toBe(403);
    expect((await fetch(callback)).status).toBe(405);

    const events = `${demo.appUrl}${EMAIL_EVENTS_PATH}?shop=${SHOP}`;
    const body = JSON.stringify({ type: "bounce", messageId: "m_0123" });
    const timestamp = Math.floor(Date.now() / 1000) - 600;
    const stale = await fetch(events, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Holiday-Timestamp": String(timestamp),
        "X-Holiday-Signature": signWebhookBody(EVENTS_SECRET, timestamp, body),
      },
      body,
    });
    expect(stale.status).toBe(401);
    expect((await fetch(events)).status).toBe(405);
  });

  it("bounces, Twilio's reports and ESP reports become suppressions (PostgreSQL only)", async (context) => {
    if (!app) return context.skip();
    const { prisma } = app;
    const sinks = demo.emulator.sinks;
    await prisma.shop.upsert({
      where: { domain: SHOP },
      create: { domain: SHOP, scopes: "", ianaTimezone: "UTC" },
      update: {},
    });
    await seedCustomers(prisma, SHOP, 1, 3);
    await prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: 2n } },
      data: { phone: "+150055530006", email: "bounce-2@example.com" },
    });
    await saveChannelConfig(prisma, appBox, {
      shop: SHOP,
      channel: "email",
      settings: { ...sinks.settings.smtp, eventsSecret: EVENTS_SECRET },
      ratePerSecond: 50,
    });
    await saveChannelConfig(prisma, appBox, {
      shop: SHOP,
      channel: "sms",
      settings: sinks.settings.twilio,
      ratePerSecond: 50,
    });
    const id = "reports-campaign";
    await seedCampaign(prisma, { shop: SHOP, id, channels: ["email", "sms"], status: "draft" });
    const channels: DispatchChannel[] = ["email", "sms"];
    for (const channel of channels)
      await seedOutbox(prisma, {
        shop: SHOP,
        campaignId: id,
        channel,
        from: 1,
        count: 2,
        idPrefix: `${id}.${channel}.`,
        sendAt: new Date(Date.now() - 1_000),
      });
    // The app's dispatcher finds the scheduled campaign at its next sweep.
    await prisma.campaign.update({ where: { id }, data: { status: "scheduled" } });
    await expect
      .poll(async () => (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status, {
        timeout: 60_000,
      })
      .toBe("completed");
    await expect
      .poll(
        () =>
          sinks
            .statusCallbacks()
            .map((c) => [c.status, c.errorCode, c.answer])
            .sort(),
        { timeout: 10_000 },
      )
      .toEqual([
        ["delivered", null, 200],
        ["sent", null, 200],
        ["sent", null, 200],
        ["undelivered", 30006, 200],
      ]);
    expect(sinks.statusCallbacks()[0]?.url).toMatch(new RegExp(`^${demo.appUrl}${TWILIO_STATUS_PATH}\\?`));

    const sentEmail = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: `${id}.email.1` } });
    expect(sentEmail.status).toBe("sent");
    const body = JSON.stringify({ type: "bounce", messageId: `<${sentEmail.id}@sink.emulator.local>` });
    const timestamp = Math.floor(Date.now() / 1000);
    const reported = await fetch(`${demo.appUrl}${EMAIL_EVENTS_PATH}?shop=${SHOP}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Holiday-Timestamp": String(timestamp),
        "X-Holiday-Signature": signWebhookBody(EVENTS_SECRET, timestamp, body),
      },
      body,
    });
    expect(reported.status).toBe(200);

    const suppressions = await prisma.suppression.findMany({
      where: { shop: SHOP },
      orderBy: [{ customerId: "asc" }, { channel: "asc" }],
    });
    expect(suppressions.map((s) => [s.customerId, s.channel, s.reason])).toEqual([
      [1n, "email", "bounced"],
      [2n, "email", "bounced"],
      [2n, "sms", "bounced"],
    ]);
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: `${id}.email.2` } })).toMatchObject({
      status: "failed",
      lastError: "suppressed (bounced): SMTP 550 5.1.1 (mailbox unavailable)",
    });
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: `${id}.sms.2` } })).toMatchObject({
      status: "sent",
      lastError: "suppressed (bounced): undelivered: Twilio 30006 (landline or unreachable carrier)",
    });
  });
});
