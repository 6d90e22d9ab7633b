import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignDeps } from "~/campaigns/lifecycle/deps";
import { changeCampaignStatus } from "~/campaigns/lifecycle/change-campaign-status.server";
import { createPlaybookCampaigns } from "~/campaigns/lifecycle/create-playbook-campaigns.server";
import { editCampaign } from "~/campaigns/lifecycle/edit-campaign.server";
import { campaignIdFor } from "~/messaging/outbox-id.server";
import { planCampaign } from "~/campaigns/plan/plan-campaign.server";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import type { ChannelSettings } from "~/messaging/channels/settings";
import { signWebhookBody } from "~/messaging/channels/webhook-signature";
import { EMAIL_EVENTS_PATH } from "~/messaging/delivery-events/email-events";
import { handleEmailEvent } from "~/messaging/delivery-events/email-events.server";
import { campaignMessagingHooks } from "~/campaigns/messaging-hooks.server";
import type { DeliveryEventDeps } from "~/messaging/delivery-events/record.server";
import { TWILIO_STATUS_PATH } from "~/messaging/delivery-events/twilio-status";
import { handleTwilioStatus } from "~/messaging/delivery-events/twilio-status.server";
import { createMemoryCoordination } from "~/messaging/dispatch/coordination";
import type { DispatchChannel } from "~/messaging/dispatch/jobs";
import { saveChannelConfig, seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import { loadSuppressions } from "~/messaging/dispatch/recipients.server";
import { createDispatcher, type Dispatcher } from "~/messaging/dispatch/worker.server";
import { campaignSource } from "~/campaigns/lifecycle/campaign-source.server";
import { consentWriteBackJob } from "~/messaging/unsubscribe/jobs.server";
import { jobIdFor, type JobDefinition } from "~/jobs/definitions";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { startSinks, type Sinks } from "../emulator/sinks";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";
import { serveHandler, type HandlerServer } from "./helpers/handler-server";
import { EMULATOR_NETWORK } from "../support/network";

// Issue 5's local suppressions, end to end: hard bounces answered by the real SMTP sink and
// Twilio's refusals while the dispatcher sends, Twilio's status callbacks made by the sink to the
// app's endpoint over HTTP, ESP bounce/complaint reports, and the next campaign's plan skipping
// the suppressed customers. Twilio's 21610 (the customer replied STOP), at send time or reported,
// also ends the customer's SMS consent and queues its write-back to Shopify.

const SHOP = "suppress-test.myshopify.com";
const EVENTS_SECRET = "email-events-secret-0123456789";

// Customers 1..9 are subscribed on both channels (seed.server.ts); these get addresses the sinks
// refuse or report on.
const EMAIL_BOUNCE = 2n; // bounce-2@example.com: 550 5.1.1 at RCPT TO
const SMS_INVALID = 3n; // +15005550001: Twilio 21211 at once
const SMS_STOP = 4n; // +15005550004: Twilio 21610 at once
const SMS_UNKNOWN_HANDSET = 5n; // +150055530005: accepted, then "undelivered" 30005 by callback
const SMS_STOP_LATER = 6n; // +150055521610: accepted, then "failed" 21610 by callback
const SMS_UNREACHABLE = 7n; // +15005550002: Twilio 21612, not about the number: no suppression

describe.each(databaseModes)("suppressions from bounces and delivery reports ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let sinks: Sinks;
  let queue: JobQueue;
  let dispatcher: Dispatcher;
  let server: HandlerServer | undefined;
  let appUrl: string;
  const box = createSecretBox(randomBytes(32));
  const logs: string[] = [];
  const jobErrors: string[] = [];
  const enqueued: Array<{ id: string; payload: unknown }> = [];
  /** the dispatcher's write-back jobs, as its queue ran them (no Shopify here: recorded) */
  const writtenBack: Array<{ id: string; payload: unknown }> = [];
  let campaignSeq = 0;

  const deliveryDeps = (): DeliveryEventDeps => ({
    prisma,
    ...campaignMessagingHooks({ prisma, now: () => new Date(), log: () => undefined }),
    box,
    appUrl,
    queue: {
      enqueue: async <P>(def: JobDefinition<P>, payload: P) => {
        enqueued.push({ id: jobIdFor(def, payload), payload });
        return { id: jobIdFor(def, payload), enqueued: true };
      },
    },
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`),
  });

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    sinks = await startSinks();
    // The app's two report endpoints over real HTTP. Requests reach them under another host, as
    // behind a proxy: signatures must hold for the public URL the providers were given.
    server = await serveHandler(
      (request) => {
        const path = new URL(request.url).pathname;
        const handler =
          path === TWILIO_STATUS_PATH
            ? handleTwilioStatus
            : path === EMAIL_EVENTS_PATH
              ? handleEmailEvent
              : null;
        return handler
          ? handler(deliveryDeps(), request)
          : Promise.resolve(new Response(null, { status: 404 }));
      },
      (error) => logs.push(`handler threw ${String(error)}`),
    );
    appUrl = server.url;

    queue = createDbJobQueue({
      prisma,
      logger: { error: (line) => jobErrors.push(line) },
      pollIntervalMs: 20,
    });
    dispatcher = createDispatcher({
      prisma,
      source: campaignSource({ prisma, now: () => new Date(), log: () => undefined }),
      network: EMULATOR_NETWORK,
      queue,
      coordination: createMemoryCoordination(),
      openSealed: (sealed, context) => box.decrypt(sealed, context),
      unsubscribeSecret: "suppression-test-unsubscribe-secret",
      appUrl,
      options: { sweepMs: 200, statusCheckMs: 50, leaseMs: 3_000, laneTtlMs: 3_000, channelTimeoutMs: 2_000 },
    });
    dispatcher.register();
    queue.register(consentWriteBackJob, async (payload) => {
      writtenBack.push({ id: jobIdFor(consentWriteBackJob, payload), payload });
    });
    await queue.start({ concurrency: 4 });
    dispatcher.start();

    await prisma.shop.create({ data: { domain: SHOP, scopes: "", ianaTimezone: "America/New_York" } });
    await seedCustomers(prisma, SHOP, 1, 9);
    const phones: Array<[bigint, string]> = [
      [SMS_INVALID, "+15005550001"],
      [SMS_STOP, "+15005550004"],
      [SMS_UNKNOWN_HANDSET, "+150055530005"],
      [SMS_STOP_LATER, "+150055521610"],
      [SMS_UNREACHABLE, "+15005550002"],
    ];
    for (const [id, phone] of phones)
      await prisma.customer.update({ where: { shop_id: { shop: SHOP, id } }, data: { phone } });
    await prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: EMAIL_BOUNCE } },
      data: { email: "bounce-2@example.com" },
    });
    const channels: Array<[DispatchChannel, ChannelSettings]> = [
      ["email", { ...sinks.settings.smtp, eventsSecret: EVENTS_SECRET }],
      ["sms", sinks.settings.twilio],
    ];
    for (const [channel, settings] of channels)
      await saveChannelConfig(prisma, box, { shop: SHOP, channel, settings, ratePerSecond: 500 });
  });

  afterAll(async () => {
    await queue?.close();
    await dispatcher?.stop();
    await sinks?.close();
    await server?.close();
    await db?.close();
  });

  /** A scheduled campaign sending `customers` on `channel` now; resolves when it completed. */
  async function send(channel: DispatchChannel, customers: readonly bigint[]): Promise<string> {
    campaignSeq += 1;
    const id = `sup-${campaignSeq}-${randomBytes(3).toString("hex")}`;
    await seedCampaign(prisma, { shop: SHOP, id, channels: ["email", "sms"], status: "draft" });
    for (const customer of customers)
      await seedOutbox(prisma, {
        shop: SHOP,
        campaignId: id,
        channel,
        from: Number(customer),
        count: 1,
        idPrefix: `${id}.${channel}.`,
        sendAt: new Date(Date.now() - 1_000),
      });
    await prisma.campaign.update({ where: { id }, data: { status: "scheduled" } });
    await dispatcher.kick(SHOP, id);
    await waitFor(
      `campaign ${id}`,
      async () => (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status === "completed",
    );
    return id;
  }

  const rowOf = (campaignId: string, customerId: bigint) =>
    prisma.outboxMessage.findFirstOrThrow({ where: { shop: SHOP, campaignId, customerId } });
  const suppressions = () =>
    prisma.suppression.findMany({
      where: { shop: SHOP },
      orderBy: [{ customerId: "asc" }, { channel: "asc" }, { reason: "asc" }],
    });
  const brief = async () => (await suppressions()).map((s) => [s.customerId, s.channel, s.reason]);

  it("a hard bounce at RCPT TO fails the message and suppresses the address; the rest is sent", async () => {
    const id = await send("email", [1n, EMAIL_BOUNCE, 8n]);
    const bounced = await rowOf(id, EMAIL_BOUNCE);
    expect(bounced).toMatchObject({ status: "failed", attempts: 1, skipReason: null });
    expect(bounced.lastError).toBe("suppressed (bounced): SMTP 550 5.1.1 (mailbox unavailable)");
    expect((await rowOf(id, 1n)).status).toBe("sent");
    expect((await rowOf(id, 8n)).status).toBe("sent");
    expect(await brief()).toEqual([[EMAIL_BOUNCE, "email", "bounced"]]);

    // What an ESP echoes in its reports: the outbox id as X-Idempotency-Key and in the Message-ID.
    const mail = sinks.mail().find((m) => m.to.includes("c1@example.com"));
    const row = await rowOf(id, 1n);
    expect(mail?.headers["x-idempotency-key"]).toBe(row.id);
    expect(mail?.messageId).toBe(`<${row.id}@sink.emulator.local>`);

    // The next send to that customer is skipped before it reaches the server.
    const next = await send("email", [EMAIL_BOUNCE]);
    expect(await rowOf(next, EMAIL_BOUNCE)).toMatchObject({
      status: "skipped",
      skipReason: "suppressed_bounced",
    });
    expect(sinks.stats().smtp.rejected).toBe(1);
    expect(jobErrors).toEqual([]);
  });

  it("Twilio's refusals that name the number suppress SMS at send time, others do not", async () => {
    const id = await send("sms", [SMS_INVALID, SMS_STOP, SMS_UNREACHABLE]);
    expect(await rowOf(id, SMS_INVALID)).toMatchObject({
      status: "failed",
      lastError: "suppressed (bounced): Twilio 21211 (invalid number)",
    });
    expect(await rowOf(id, SMS_STOP)).toMatchObject({
      status: "failed",
      lastError: "suppressed (unsubscribed): Twilio 21610 (recipient replied STOP)",
    });
    expect((await rowOf(id, SMS_UNREACHABLE)).lastError).toBe("Twilio 21612 (unroutable number)");
    expect((await brief()).filter(([, channel]) => channel === "sms")).toEqual([
      [SMS_INVALID, "sms", "bounced"],
      [SMS_STOP, "sms", "unsubscribed"],
    ]);

    // The STOP behind 21610 ends the customer's SMS consent here and, by one job, in Shopify.
    const stopped = (await suppressions()).find((s) => s.customerId === SMS_STOP && s.channel === "sms");
    if (!stopped) throw new Error("no STOP suppression");
    const payload = {
      shop: SHOP,
      customerId: String(SMS_STOP),
      channel: "sms" as const,
      at: stopped.createdAt.toISOString(),
    };
    await waitFor("the write-back of the STOP", async () => writtenBack.length > 0);
    expect(writtenBack).toEqual([{ id: jobIdFor(consentWriteBackJob, payload), payload }]);
    expect(
      await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: SMS_STOP } } }),
    ).toMatchObject({ smsMarketingState: "UNSUBSCRIBED", emailMarketingState: "SUBSCRIBED" });
    for (const id of [SMS_INVALID, SMS_UNREACHABLE])
      expect(
        (await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id } } }))
          .smsMarketingState,
      ).toBe("SUBSCRIBED");
    // A bounce is not an opt-out: nothing to write back for 21211.
    expect(await prisma.job.count({ where: { shop: SHOP, name: consentWriteBackJob.name } })).toBe(1);
  });

  it("Twilio's status callbacks suppress through the app's endpoint; forged ones get 403, replays change nothing", async () => {
    const id = await send("sms", [1n, SMS_UNKNOWN_HANDSET, SMS_STOP_LATER]);
    await sinks.statusCallbacksSettled();
    const callbacks = sinks.statusCallbacks();
    // customer 1's text reached the handset; the other two did not
    expect(callbacks.map((c) => [c.status, c.errorCode, c.answer]).sort()).toEqual([
      ["delivered", null, 200],
      ["failed", 21610, 200],
      ["sent", null, 200],
      ["sent", null, 200],
      ["undelivered", 30005, 200],
    ]);
    expect(callbacks.every((c) => c.url.startsWith(`${appUrl}${TWILIO_STATUS_PATH}?shop=`))).toBe(true);
    expect((await brief()).filter(([, channel]) => channel === "sms")).toEqual([
      [SMS_INVALID, "sms", "bounced"],
      [SMS_STOP, "sms", "unsubscribed"],
      [SMS_UNKNOWN_HANDSET, "sms", "bounced"],
      [SMS_STOP_LATER, "sms", "unsubscribed"],
    ]);
    const reported = await rowOf(id, SMS_UNKNOWN_HANDSET);
    expect(reported).toMatchObject({
      status: "sent",
      lastError: "suppressed (bounced): undelivered: Twilio 30005 (unknown number)",
    });
    expect((await rowOf(id, 1n)).lastError).toBeNull();
    expect(logs.join("\n")).not.toMatch(/\+1\d{6,}/);
    // The reported STOP, like one at send time, ends the SMS consent and queues its write-back.
    const stoppedLater = (await suppressions()).find(
      (s) => s.customerId === SMS_STOP_LATER && s.channel === "sms",
    );
    expect(enqueued.map((j) => j.payload)).toEqual([
      {
        shop: SHOP,
        customerId: String(SMS_STOP_LATER),
        channel: "sms",
        at: stoppedLater?.createdAt.toISOString(),
      },
    ]);
    expect(
      (await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: SMS_STOP_LATER } } }))
        .smsMarketingState,
    ).toBe("UNSUBSCRIBED");
    expect(
      (
        await prisma.customer.findUniqueOrThrow({
          where: { shop_id: { shop: SHOP, id: SMS_UNKNOWN_HANDSET } },
        })
      ).smsMarketingState,
    ).toBe("SUBSCRIBED");

    const undelivered = callbacks.find((c) => c.status === "undelivered");
    if (!undelivered) throw new Error("no undelivered callback");
    const post = (url: string, body: string, signature: string) =>
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
        body,
      });
    const before = await suppressions();

    // The same report about customer 1's message, signed with another token, or moved to that message.
    const firstRow = await rowOf(id, 1n);
    const aimed = undelivered.url.replace(/message=[^&]+/, `message=${encodeURIComponent(firstRow.id)}`);
    const forgedBody = undelivered.body.replace(
      /MessageSid=[^&]+/,
      `MessageSid=${firstRow.providerId ?? ""}`,
    );
    expect((await post(aimed, forgedBody, undelivered.signature)).status).toBe(403);
    expect((await post(undelivered.url, undelivered.body, "bm90IHRoZSBzaWduYXR1cmU=")).status).toBe(403);
    expect((await post(undelivered.url, undelivered.body, "")).status).toBe(403);
    const otherShop = undelivered.url.replace(`shop=${encodeURIComponent(SHOP)}`, "shop=other.myshopify.com");
    expect((await post(otherShop, undelivered.body, undelivered.signature)).status).toBe(403);
    expect((await fetch(undelivered.url)).status).toBe(405);

    // Twilio delivering the same report again.
    expect((await post(undelivered.url, undelivered.body, undelivered.signature)).status).toBe(200);
    expect(await suppressions()).toEqual(before);
    expect(await rowOf(id, SMS_UNKNOWN_HANDSET)).toEqual(reported);
    expect((await rowOf(id, 1n)).lastError).toBeNull();

    // Twilio reporting the STOP again: the same write-back job, no other.
    const stop = callbacks.find((c) => c.status === "failed");
    if (!stop) throw new Error("no failed callback");
    expect((await post(stop.url, stop.body, stop.signature)).status).toBe(200);
    expect(new Set(enqueued.map((j) => j.id)).size).toBe(1);
    enqueued.length = 0;
  });

  describe("email events reported by the ESP", () => {
    let sentId: string;
    let complainedId: string;
    const eventsUrl = (shop = SHOP) => `${appUrl}${EMAIL_EVENTS_PATH}?shop=${encodeURIComponent(shop)}`;
    const postEvent = async (
      event: unknown,
      opts: { secret?: string; at?: number; shop?: string; raw?: string } = {},
    ) => {
      const body = opts.raw ?? JSON.stringify(event);
      const timestamp = Math.floor((opts.at ?? Date.now()) / 1000);
      const response = await fetch(eventsUrl(opts.shop), {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Holiday-Timestamp": String(timestamp),
          "X-Holiday-Signature": signWebhookBody(opts.secret ?? EVENTS_SECRET, timestamp, body),
        },
        body,
      });
      const json: unknown = await response.json();
      return { status: response.status, json };
    };

    beforeAll(async () => {
      const id = await send("email", [1n, 9n]);
      sentId = (await rowOf(id, 1n)).id;
      complainedId = (await rowOf(id, 9n)).id;
    });

    it("refuses stale, unsigned and foreign reports with 401 and writes nothing", async () => {
      const before = await suppressions();
      const bounce = { type: "bounce", messageId: sentId };
      expect((await postEvent(bounce, { at: Date.now() - 301_000 })).status).toBe(401);
      expect((await postEvent(bounce, { secret: "another-secret-0123456789" })).status).toBe(401);
      expect((await postEvent(bounce, { shop: "other.myshopify.com" })).status).toBe(401);
      const unsigned = await fetch(eventsUrl(), { method: "POST", body: JSON.stringify(bounce) });
      expect(unsigned.status).toBe(401);
      expect((await postEvent(null, { raw: "{not json" })).status).toBe(400);
      expect((await postEvent({ type: "opened", messageId: sentId })).status).toBe(400);
      expect(await postEvent({ type: "bounce", messageId: sentId, permanent: false })).toMatchObject({
        status: 200,
        json: { result: "ignored" },
      });
      expect(await postEvent({ type: "bounce", messageId: "m_unknown" })).toMatchObject({
        status: 200,
        json: { result: "unknown message" },
      });
      expect(await suppressions()).toEqual(before);
    });

    it("a bounce suppresses the customer's email, named by the Message-ID the ESP echoes", async () => {
      const response = await postEvent({
        type: "bounce",
        messageId: `<${sentId}@sink.emulator.local>`,
        detail: "550 5.1.1 <c1@example.com> mailbox does not exist",
      });
      expect(response).toMatchObject({ status: 200, json: { result: "recorded", reason: "bounced" } });
      expect((await brief()).filter(([c]) => c === 1n)).toEqual([[1n, "email", "bounced"]]);
      const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: sentId } });
      expect(row).toMatchObject({
        status: "sent",
        lastError:
          "suppressed (bounced): bounce reported by the email provider: SMTP 550 5.1.1 (mailbox unavailable)",
      });
      expect(await postEvent({ type: "bounce", messageId: sentId })).toMatchObject({
        json: { result: "already recorded" },
      });
    });

    it("a complaint suppresses, unsubscribes here and queues the write-back to Shopify, once", async () => {
      const complaint = { type: "complaint", messageId: complainedId };
      expect(await postEvent(complaint)).toMatchObject({ status: 200, json: { result: "recorded" } });
      const after = await suppressions();
      expect(after.filter((s) => s.customerId === 9n).map((s) => [s.channel, s.reason])).toEqual([
        ["email", "complained"],
      ]);
      expect(
        await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: SHOP, id: 9n } } }),
      ).toMatchObject({ emailMarketingState: "UNSUBSCRIBED" });
      const at = after.find((s) => s.customerId === 9n)?.createdAt.toISOString();
      expect(enqueued.map((j) => j.payload)).toEqual([{ shop: SHOP, customerId: "9", channel: "email", at }]);

      expect(await postEvent(complaint)).toMatchObject({ status: 200, json: { result: "already recorded" } });
      expect(await suppressions()).toEqual(after);
      expect(new Set(enqueued.map((j) => j.id)).size).toBe(1);
    });

    it("pauses a campaign still sending once its complaints pass 0.1%, and says why", async () => {
      const id = await send("email", [5n, 6n, 7n]);
      // Still sending: one more message waits for tomorrow.
      await seedOutbox(prisma, {
        shop: SHOP,
        campaignId: id,
        channel: "email",
        from: 8,
        count: 1,
        idPrefix: `${id}.later.`,
        sendAt: new Date(Date.now() + 86_400_000),
      });
      await prisma.campaign.update({ where: { id }, data: { status: "sending" } });
      const first = await postEvent({ type: "complaint", messageId: (await rowOf(id, 5n)).id });
      expect(first).toMatchObject({ status: 200, json: { result: "recorded", paused: false } });
      expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).status).toBe("sending");

      const second = await postEvent({ type: "complaint", messageId: (await rowOf(id, 6n)).id });
      expect(second).toMatchObject({ status: 200, json: { result: "recorded", paused: true } });
      expect(await prisma.campaign.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "paused",
        pausedReason:
          "Paused automatically: 2 spam complaints for 3 emails sent (66.67%) is above 0.1%. Check the audience and the content before resuming.",
      });
      expect((await rowOf(id, 8n)).status).toBe("queued");

      // The merchant resumes: the reason goes.
      await changeCampaignStatus({ prisma, now: () => new Date(), log: () => undefined }, SHOP, id, "resume");
      expect(await prisma.campaign.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: "sending",
        pausedReason: null,
      });
      await changeCampaignStatus({ prisma, now: () => new Date(), log: () => undefined }, SHOP, id, "cancel");
    });
  });

  it("the next campaign's plan skips the suppressed customers with the suppression's reason", async () => {
    await prisma.$executeRaw`
      INSERT INTO "CustomerScore" (shop, "customerId", segment)
      SELECT ${SHOP}, n, 'vip' FROM generate_series(1::bigint, 9::bigint) AS n`;
    const deps: CampaignDeps = {
      prisma,
      now: () => new Date("2026-10-15T12:00:00Z"),
      log: (line) => logs.push(line),
    };
    await createPlaybookCampaigns(deps, SHOP, { playbook: "cyber-week", year: 2026, countryCode: "US" });
    const vip = campaignIdFor(SHOP, "cyber-week-2026:vip");
    await editCampaign(deps, SHOP, vip, { draft: { channelMode: "all", holdoutShare: 0 } });
    await planCampaign(deps, SHOP, vip);
    const rows = await prisma.outboxMessage.findMany({
      where: { shop: SHOP, campaignId: vip },
      orderBy: [{ customerId: "asc" }, { channel: "asc" }],
    });
    const plan = new Map(rows.map((r) => [`${r.customerId}:${r.channel}`, r.skipReason ?? r.status]));
    expect(plan.get(`${EMAIL_BOUNCE}:email`)).toBe("suppressed_bounced");
    expect(plan.get(`${EMAIL_BOUNCE}:sms`)).toBe("planned");
    expect(plan.get("1:email")).toBe("suppressed_bounced");
    expect(plan.get(`${SMS_INVALID}:sms`)).toBe("suppressed_bounced");
    // A STOP unsubscribed the customer locally (as Shopify will say): consent is checked first.
    expect(plan.get(`${SMS_STOP}:sms`)).toBe("no_consent");
    expect(plan.get(`${SMS_UNKNOWN_HANDSET}:sms`)).toBe("suppressed_bounced");
    expect(plan.get(`${SMS_STOP_LATER}:sms`)).toBe("no_consent");
    expect(plan.get(`${SMS_UNREACHABLE}:sms`)).toBe("planned");
    // The complaint unsubscribed customer 9 locally: Shopify's consent is checked first.
    expect(plan.get("9:email")).toBe("no_consent");
    expect(plan.get("8:email")).toBe("planned");
  });

  it("a customer who opts in again after an unsubscribe is reachable; a stale consent or a bounce is not", async () => {
    const suppressedAt = async (customerId: bigint, channel: string) =>
      (await prisma.suppression.findFirstOrThrow({ where: { shop: SHOP, customerId, channel } })).createdAt;
    const resubscribe = async (customerId: bigint, channel: "email" | "sms", minutes: number) => {
      const at = new Date((await suppressedAt(customerId, channel)).getTime() + minutes * 60_000);
      await prisma.customer.update({
        where: { shop_id: { shop: SHOP, id: customerId } },
        data:
          channel === "sms"
            ? { smsMarketingState: "SUBSCRIBED", smsConsentUpdatedAt: at }
            : { emailMarketingState: "SUBSCRIBED", emailConsentUpdatedAt: at },
      });
    };
    await resubscribe(SMS_STOP, "sms", 5); // opted in again through Shopify, after the STOP
    await resubscribe(SMS_STOP_LATER, "sms", -5); // a consent from before the STOP, arriving late
    await resubscribe(EMAIL_BOUNCE, "email", 5); // a new opt-in does not make the address work
    const ids = [SMS_STOP, SMS_STOP_LATER].map(String);
    expect([...(await loadSuppressions(prisma, SHOP, "sms", ids)).keys()]).toEqual([String(SMS_STOP_LATER)]);
    expect(await loadSuppressions(prisma, SHOP, "email", [String(EMAIL_BOUNCE)])).toEqual(
      new Map([[String(EMAIL_BOUNCE), [{ channel: "email", reason: "bounced" }]]]),
    );
    const deps: CampaignDeps = {
      prisma,
      now: () => new Date("2026-10-15T12:00:00Z"),
      log: (line) => logs.push(line),
    };
    const vip = campaignIdFor(SHOP, "cyber-week-2026:vip");
    await planCampaign(deps, SHOP, vip);
    const rows = await prisma.outboxMessage.findMany({ where: { shop: SHOP, campaignId: vip } });
    const plan = new Map(rows.map((r) => [`${r.customerId}:${r.channel}`, r.skipReason ?? r.status]));
    expect(plan.get(`${SMS_STOP}:sms`)).toBe("planned");
    expect(plan.get(`${SMS_STOP_LATER}:sms`)).toBe("suppressed_unsubscribed");
    expect(plan.get(`${EMAIL_BOUNCE}:email`)).toBe("suppressed_bounced");
  });
});
