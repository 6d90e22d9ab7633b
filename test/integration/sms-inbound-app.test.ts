import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeXml, twilioInboundUrl } from "~/messaging/delivery-events/twilio-inbound";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import type { Demo } from "../../scripts/demo/start-demo";
import { waitForSync } from "../../scripts/demo/wait-for-sync";
import type { DatabaseTarget } from "./helpers/db";
import { startRunningDemo, type RunningDemo } from "./helpers/running-demo";

// The incoming-message route in the running app (the built Remix app as `npm run demo` starts
// it): the merchant's SMS channel set up through Settings (the local sinks), the emulator's Twilio
// sink texting STOP from a synced customer's phone, the app's own job queue writing the opt-out
// back to the emulated Shopify. With PostgreSQL the test also reads the app's rows.

const SHOP = "sms-replies-store.myshopify.com";
const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

describe("incoming texts in the running app", () => {
  let demo: Demo;
  let database: DatabaseTarget;
  let running: RunningDemo | undefined;
  const store = () => demo.emulator.store(SHOP);
  const inboundUrl = () => twilioInboundUrl(demo.appUrl, SHOP);

  /** The first customer subscribed to SMS (store index). */
  function smsSubscriber(): number {
    for (let i = 0; i < store().customerCount; i++)
      if (
        store().customer(i).phone &&
        store().customer(i).smsMarketingConsent?.marketingState === "SUBSCRIBED"
      )
        return i;
    throw new Error("no SMS subscriber in the generated store");
  }

  beforeAll(async () => {
    running = await startRunningDemo(
      {
        apiKey: "sms-replies-key",
        apiSecret: "sms-replies-secret",
        shop: SHOP,
        customers: 30,
        seed: 11,
        install: true,
      },
      "sms-replies-",
    );
    ({ demo, database } = running);
    await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 120_000 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("refuses texts before the shop has an SMS channel, and forged ones after", async () => {
    const phone = store().customer(smsSubscriber()).phone ?? "";
    const sinks = demo.emulator.sinks;
    expect((await sinks.inboundSms({ url: inboundUrl(), from: phone, body: "STOP" })).status).toBe(403);
    expect((await fetch(inboundUrl())).status).toBe(405);

    const setUp = await fetchWithSessionToken(
      `${demo.appUrl}/app/settings/channels.data`,
      demo.emulator,
      SHOP,
      {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "use-local-sinks" }).toString(),
      },
    );
    expect(setUp.status).toBe(200);
    // Settings shows the merchant the URL to give Twilio.
    const settings = await fetchWithSessionToken(
      `${demo.appUrl}/app/settings/channels.data?_routes=routes%2Fapp.settings_.channels`,
      demo.emulator,
      SHOP,
    );
    expect(await settings.text()).toContain(JSON.stringify(inboundUrl()));

    const forged = await sinks.inboundSms({
      url: inboundUrl(),
      from: phone,
      body: "STOP",
      signWith: "a-guess",
    });
    expect(forged.status).toBe(403);
    expect(store().customer(smsSubscriber()).smsMarketingConsent?.marketingState).toBe("SUBSCRIBED");
  });

  it("HELP names the shop; STOP ends the customer's SMS consent in Shopify, once", async () => {
    const i = smsSubscriber();
    const customer = store().customer(i);
    const phone = customer.phone ?? "";
    const sinks = demo.emulator.sinks;

    const help = await sinks.inboundSms({ url: inboundUrl(), from: phone, body: "HELP" });
    expect(help.status).toBe(200);
    expect(help.text).toContain(`<Message>${escapeXml(store().name)}: Holiday offers, up to 1 msg/day.`);
    expect(help.text).toContain("Reply STOP to opt out.</Message>");

    expect(await sinks.inboundSms({ url: inboundUrl(), from: phone, body: "stop" })).toMatchObject({
      status: 200,
      text: EMPTY,
    });
    await expect
      .poll(() => store().customer(i).smsMarketingConsent?.marketingState, { timeout: 30_000 })
      .toBe("UNSUBSCRIBED");
    const written = store().customer(i).updatedAt;

    expect((await sinks.inboundSms({ url: inboundUrl(), from: phone, body: "STOP" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(store().customer(i).updatedAt).toBe(written);

    if (database.databaseUrl) {
      const { createDatabase } = await import("~/db.server");
      const app = await createDatabase({ databaseUrl: database.databaseUrl });
      try {
        const id = BigInt(customer.legacyResourceId);
        expect(
          await app.prisma.suppression.findMany({ where: { shop: SHOP, customerId: id } }),
        ).toMatchObject([{ channel: "sms", reason: "unsubscribed" }]);
        // With Redis the jobs live in BullMQ; the emulator's unchanged updatedAt above shows one write.
        if (!process.env.REDIS_URL)
          expect(
            await app.prisma.job.count({ where: { shop: SHOP, name: "unsubscribe.consent-write-back" } }),
          ).toBe(1);
      } finally {
        await app.close();
      }
    }
  });
});
