import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "~/campaigns/lifecycle/deps";
import { createPlaybookCampaigns } from "~/campaigns/lifecycle/create-playbook-campaigns.server";
import { editCampaign } from "~/campaigns/lifecycle/edit-campaign.server";
import { campaignIdFor } from "~/messaging/outbox-id.server";
import { planCampaign } from "~/campaigns/plan/plan-campaign.server";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { twilioInboundUrl } from "~/messaging/delivery-events/twilio-inbound";
import { handleTwilioInbound } from "~/messaging/delivery-events/twilio-inbound.server";
import { campaignMessagingHooks } from "~/campaigns/messaging-hooks.server";
import type { DeliveryEventDeps } from "~/messaging/delivery-events/record.server";
import { saveChannelConfig } from "../support/outbox-factory";
import { CampaignSettings } from "~/campaigns/settings/campaign-settings";
import { saveCampaignSettings } from "~/campaigns/settings/campaign-settings.server";
import { writeConsentBack } from "~/messaging/unsubscribe/consent-write-back.server";
import { consentWriteBackJob } from "~/messaging/unsubscribe/jobs.server";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { installedAdmin, SHOP, startTestEmulator } from "../emulator/helpers";
import type { Emulator } from "../emulator/index";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { serveHandler, type HandlerServer } from "./helpers/handler-server";

// Texts customers send to the shop's number, end to end: the emulator's Twilio sink posts them to
// the app's incoming-message handler over HTTP, signed as Twilio signs them (the sink's own
// HMAC-SHA1, not the app's); a STOP ends the customer's SMS consent here, and the write-back job,
// run by a real job queue against the emulated Admin API, ends it in Shopify.

const SHOP_NAME = `Ben & Jerry's <Holiday> "Shop"`;
const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

describe.each(databaseModes)("incoming texts: STOP, HELP, START ($name)", (mode) => {
  let emulator: Emulator;
  let db: TestDatabase;
  let prisma: PrismaClient;
  let queue: JobQueue;
  let server: HandlerServer | undefined;
  let appUrl: string;
  const box = createSecretBox(randomBytes(32));
  const logs: string[] = [];
  const jobErrors: string[] = [];
  const store = () => emulator.store(SHOP);

  /** Customers (store index) subscribed to SMS, with a phone. */
  const smsCustomers: number[] = [];
  const idOf = (i: number) => BigInt(store().customerLegacyId(i));
  const phoneOf = (i: number) => store().customer(i).phone ?? "";
  const shopifySmsState = (i: number) => store().customer(i).smsMarketingConsent?.marketingState;

  const deps = (): DeliveryEventDeps => ({
    prisma,
    ...campaignMessagingHooks({ prisma, now: () => new Date(), log: () => undefined }),
    box,
    appUrl,
    queue,
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`),
  });
  const url = (shop = SHOP) => twilioInboundUrl(appUrl, shop);
  const text = (from: string, body: string, extra: { signWith?: string; shop?: string } = {}) =>
    emulator.sinks.inboundSms({ url: url(extra.shop), from, body, signWith: extra.signWith });

  const suppressions = () =>
    prisma.suppression.findMany({ where: { shop: SHOP }, orderBy: [{ customerId: "asc" }] });
  const writeBackJobs = () =>
    prisma.job.findMany({ where: { shop: SHOP, name: consentWriteBackJob.name }, orderBy: { id: "asc" } });
  const localSmsState = async (i: number) =>
    (await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: idOf(i) } } }))
      .smsMarketingState;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    const admin = await installedAdmin(emulator, SHOP);
    db = await mode.open();
    prisma = db.prisma;

    server = await serveHandler(
      (request) => handleTwilioInbound(deps(), request),
      (error) => logs.push(`handler threw ${String(error)}`),
    );
    appUrl = server.url;

    queue = createDbJobQueue({
      prisma,
      logger: { error: (line) => jobErrors.push(line) },
      pollIntervalMs: 20,
    });
    queue.register(consentWriteBackJob, async (payload) => {
      await writeConsentBack({ admin, log: (line) => logs.push(line) }, payload);
    });
    await queue.start({ concurrency: 2 });

    await prisma.shop.create({
      data: { domain: SHOP, scopes: "", name: SHOP_NAME, ianaTimezone: "America/New_York" },
    });
    const at = new Date("2026-01-01T00:00:00Z");
    const s = store();
    await prisma.customer.createMany({
      data: Array.from({ length: s.customerCount }, (_, i) => ({
        shop: SHOP,
        id: idOf(i),
        phone: s.customer(i).phone,
        email: s.customer(i).email,
        emailMarketingState: s.customer(i).emailMarketingConsent?.marketingState ?? null,
        smsMarketingState: s.customer(i).smsMarketingConsent?.marketingState ?? null,
        shopifyCreatedAt: at,
        shopifyUpdatedAt: at,
      })),
    });
    for (let i = 0; i < s.customerCount; i++)
      if (s.customer(i).phone && shopifySmsState(i) === "SUBSCRIBED") smsCustomers.push(i);
    if (smsCustomers.length < 3) throw new Error("the generated store has too few SMS subscribers");
    await saveChannelConfig(prisma, box, {
      shop: SHOP,
      channel: "sms",
      settings: emulator.sinks.settings.twilio,
      ratePerSecond: 10,
    });
  });

  afterAll(async () => {
    await queue?.close();
    await server?.close();
    await db?.close();
    await emulator?.close();
  });

  it("refuses what Twilio did not sign with the shop's token (403) and writes nothing", async () => {
    const stopper = smsCustomers[0] ?? 0;
    expect((await text(phoneOf(stopper), "STOP", { signWith: "guessed-auth-token" })).status).toBe(403);
    // a shop without an SMS channel has no token to sign with
    expect((await text(phoneOf(stopper), "STOP", { shop: "other.myshopify.com" })).status).toBe(403);
    // a genuine request, replayed with another sender
    const genuine = await text("+15550000000", "hello");
    expect(genuine).toMatchObject({ status: 200, text: EMPTY });
    const forged = await fetch(url(), {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": genuine.signature,
      },
      body: genuine.form
        .replace(/From=[^&]+/, `From=${encodeURIComponent(phoneOf(stopper))}`)
        .replace(/Body=[^&]+/, "Body=STOP"),
    });
    expect(forged.status).toBe(403);
    expect((await fetch(url())).status).toBe(405);
    expect(await suppressions()).toEqual([]);
    expect(await writeBackJobs()).toEqual([]);
    expect(await localSmsState(stopper)).toBe("SUBSCRIBED");
  });

  it("a STOP from a number no customer has is acknowledged and changes nothing", async () => {
    expect(await text("+19995550123", "STOP")).toMatchObject({ status: 200, text: EMPTY });
    expect(await text("not a number", "STOP")).toMatchObject({ status: 200, text: EMPTY });
    expect(await suppressions()).toEqual([]);
    expect(await writeBackJobs()).toEqual([]);
  });

  it("HELP and INFO get the shop's name, how often it texts and how to stop", async () => {
    const helped = await text("+19995550123", "help");
    expect(helped.status).toBe(200);
    expect(helped.contentType).toMatch(/^text\/xml/);
    expect(helped.text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>' +
        "Ben &amp; Jerry&apos;s &lt;Holiday&gt; &quot;Shop&quot;: Holiday offers, up to 1 msg/day. " +
        "Msg &amp; data rates may apply. Reply STOP to opt out.</Message></Response>",
    );
    const campaignDeps: CampaignDeps = { prisma, now: () => new Date(), log: (line) => logs.push(line) };
    await saveCampaignSettings(
      campaignDeps,
      SHOP,
      CampaignSettings.parse({ audience: { caps: { email: 16, sms: 12, webhook: null } } }),
    );
    expect((await text(phoneOf(smsCustomers[1] ?? 0), "Info.")).text).toContain(
      "Holiday offers, up to 2 msgs/day.",
    );
    await saveCampaignSettings(
      campaignDeps,
      SHOP,
      CampaignSettings.parse({ audience: { caps: { email: 16, sms: 36, webhook: null } } }),
    );
    expect((await text("+19995550123", "HELP")).text).toContain("Holiday offers, at most 1 msg per 36 h.");
    expect(await suppressions()).toEqual([]);
  });

  it("STOP ends the customer's SMS consent here and in Shopify; repeats change nothing; START does not re-subscribe", async () => {
    const stopper = smsCustomers[0] ?? 0;
    const other = smsCustomers[1] ?? 0;
    expect(await text(phoneOf(stopper), " Stop. ")).toMatchObject({ status: 200, text: EMPTY });

    const [suppression, ...more] = await suppressions();
    expect(more).toEqual([]);
    expect(suppression).toMatchObject({ customerId: idOf(stopper), channel: "sms", reason: "unsubscribed" });
    expect(await localSmsState(stopper)).toBe("UNSUBSCRIBED");
    await queue.drain(30_000);
    expect(shopifySmsState(stopper)).toBe("UNSUBSCRIBED");
    expect(store().customer(stopper).smsMarketingConsent?.consentUpdatedAt).toBe(
      suppression?.createdAt.toISOString(),
    );
    expect(shopifySmsState(other)).toBe("SUBSCRIBED");
    const jobs = await writeBackJobs();
    expect(jobs.map((j) => [j.status, j.payload])).toEqual([
      [
        "completed",
        {
          shop: SHOP,
          customerId: String(idOf(stopper)),
          channel: "sms",
          at: suppression?.createdAt.toISOString(),
        },
      ],
    ]);

    // The same customer again, in other words; then asking to start again.
    for (const body of ["STOP", "opt out", "UNSUBSCRIBE", "Start", "UNSTOP", "yes"])
      expect(await text(phoneOf(stopper), body)).toMatchObject({ status: 200, text: EMPTY });
    await queue.drain(30_000);
    expect(await suppressions()).toEqual([suppression]);
    expect((await writeBackJobs()).map((j) => j.id)).toEqual(jobs.map((j) => j.id));
    expect(await localSmsState(stopper)).toBe("UNSUBSCRIBED");
    expect(shopifySmsState(stopper)).toBe("UNSUBSCRIBED");
    expect(logs.filter((line) => line.includes("sms start received"))).toHaveLength(3);
    expect(jobErrors).toEqual([]);
  });

  it("finds the customer however the phone is stored, and every customer with that number", async () => {
    const [a, b] = [smsCustomers[1] ?? 0, smsCustomers[2] ?? 0];
    const phone = phoneOf(a);
    // +12125550123 → "+1 (212) 555-0123": stored formatted; b shares a's number.
    const formatted = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    await prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: idOf(a) } },
      data: { phone: formatted },
    });
    await prisma.customer.update({ where: { shop_id: { shop: SHOP, id: idOf(b) } }, data: { phone } });
    // Twilio's own reading of a Messaging Service's custom keyword counts too.
    expect(await text(phone, "PARAR", {})).toMatchObject({ status: 200, text: EMPTY });
    expect((await suppressions()).map((s) => s.customerId)).toEqual([idOf(smsCustomers[0] ?? 0)]);
    const optOut = await emulator.sinks.inboundSms({
      url: url(),
      from: phone,
      body: "PARAR",
      optOutType: "STOP",
    });
    expect(optOut).toMatchObject({ status: 200, text: EMPTY });
    await queue.drain(30_000);
    const stopped = (await suppressions()).map((s) => s.customerId);
    expect(stopped).toEqual([idOf(smsCustomers[0] ?? 0), idOf(a), idOf(b)].sort((x, y) => (x < y ? -1 : 1)));
    expect(shopifySmsState(a)).toBe("UNSUBSCRIBED");
    expect(shopifySmsState(b)).toBe("UNSUBSCRIBED");
    expect(await writeBackJobs()).toHaveLength(3);
    expect(jobErrors).toEqual([]);
  });

  it("the next plan skips the customer's SMS, on Shopify's consent and on the suppression alone", async () => {
    const stopper = smsCustomers[0] ?? 0;
    const subscribed = smsCustomers[3] ?? smsCustomers[2] ?? 0;
    await prisma.$executeRaw`
      INSERT INTO "CustomerScore" (shop, "customerId", segment)
      SELECT ${SHOP}, id, 'vip' FROM "Customer" WHERE shop = ${SHOP}`;
    const campaignDeps: CampaignDeps = {
      prisma,
      now: () => new Date("2026-10-15T12:00:00Z"),
      log: (line) => logs.push(line),
    };
    await createPlaybookCampaigns(campaignDeps, SHOP, {
      playbook: "cyber-week",
      year: 2026,
      countryCode: "US",
    });
    const vip = campaignIdFor(SHOP, "cyber-week-2026:vip");
    await editCampaign(campaignDeps, SHOP, vip, { draft: { channelMode: "all", holdoutShare: 0 } });
    const smsSkip = async (i: number) => {
      await planCampaign(campaignDeps, SHOP, vip);
      const row = await prisma.outboxMessage.findFirstOrThrow({
        where: { shop: SHOP, campaignId: vip, customerId: idOf(i), channel: "sms" },
      });
      return row.skipReason ?? row.status;
    };
    // The STOP unsubscribed the customer locally too: consent is checked first.
    expect(await smsSkip(stopper)).toBe("no_consent");
    expect(await smsSkip(subscribed)).not.toMatch(/^(no_consent|suppressed_)/);
    // A sync that still brings Shopify's old consent back (a webhook racing the write-back): the
    // suppression alone keeps the customer out.
    await prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: idOf(stopper) } },
      data: { smsMarketingState: "SUBSCRIBED" },
    });
    expect(await smsSkip(stopper)).toBe("suppressed_unsubscribed");
  });

  it("never logs a phone number or a message", () => {
    const all = logs.join("\n");
    expect(all).not.toMatch(/\+\d{7,}/);
    expect(all).not.toMatch(/PARAR|opt out|Stop\./);
    expect(all).not.toContain("handler threw");
  });
});
