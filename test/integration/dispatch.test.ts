import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { forgetPrefix } from "../support/bullmq-prefix";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { cancelCampaign, pauseCampaign, resumeCampaign } from "~/campaigns/lifecycle/control.server";
import { createMemoryCoordination, type Coordination } from "~/messaging/dispatch/coordination";
import { createRedisCoordination } from "~/messaging/dispatch/coordination-redis.server";
import type { DispatchChannel } from "~/messaging/dispatch/jobs";
import { saveChannelConfig, seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import { ABANDONED, ABANDONED_LAST, requeueAbandoned } from "~/messaging/dispatch/outbox.server";
import { createDispatcher, type Dispatcher } from "~/messaging/dispatch/worker.server";
import { campaignSource } from "~/campaigns/lifecycle/campaign-source.server";
import { createBullmqJobQueue } from "~/jobs/bullmq-queue.server";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import type { JobQueue } from "~/jobs/queue";
import { verifyUnsubscribeToken } from "~/messaging/unsubscribe/unsubscribe-token.server";
import { getCampaign, requireDefinition } from "~/campaigns/lifecycle/read-campaign.server";
import { shopInfo } from "~/messaging/templates/shop-info.server";
import { PREVIEW_UNSUBSCRIBE_URL, SAMPLE_CUSTOMERS } from "~/messaging/templates/samples";
import { previewMessages } from "~/ui/campaigns/message-preview.server";
import { upsertCustomers } from "~/sync/store.server";
import { customerRow } from "./helpers/customers";
import { startSinks, type Sinks, type SinkChannel } from "../emulator/sinks";
import { databaseModes, type DatabaseMode, type TestDatabase } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";
import { EMULATOR_NETWORK } from "../support/network";

// The dispatcher end to end: outbox rows in a real database, the job queue, and the local provider
// sinks (real SMTP, Twilio-compatible and webhook receivers) counting every delivery by key.

const redisUrl = process.env.REDIS_URL || undefined;
const SHOP = "dispatch-test.myshopify.com";
const APP_URL = "https://app.example.com";
const UNSUBSCRIBE_SECRET = "dispatch-test-unsubscribe-secret";
// DISPATCH_OUTAGE_SECONDS=60 for the minute-long outage (docs/benchmarks.md); CI: 2.5 s.
const OUTAGE_MS = Number(process.env.DISPATCH_OUTAGE_SECONDS ?? 2.5) * 1000;
// The minute-long outage of the issue runs in CI too, in one mode; DISPATCH_MINUTE_OUTAGE_SECONDS
// shortens it for a quick local run.
const MINUTE_OUTAGE_MS = Number(process.env.DISPATCH_MINUTE_OUTAGE_SECONDS ?? 60) * 1000;
const SINK: Record<DispatchChannel, SinkChannel> = { email: "smtp", sms: "twilio", webhook: "webhook" };

interface Mode {
  name: string;
  db: DatabaseMode;
  bullmq: boolean;
}
const modes: Mode[] = [
  ...databaseModes.map((db) => ({ name: `${db.name}, database queue`, db, bullmq: false })),
  ...(redisUrl
    ? [
        {
          name: `${databaseModes.at(-1)?.name ?? "pglite"}, BullMQ + Redis`,
          db: databaseModes.at(-1) ?? databaseModes[0],
          bullmq: true,
        },
      ]
    : []),
].filter((mode): mode is Mode => mode.db !== undefined);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));


describe.each(modes)("dispatch ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let sinks: Sinks;
  let queue: JobQueue;
  let coordination: Coordination;
  let dispatcher: Dispatcher;
  const prefix = `t_${randomBytes(6).toString("hex")}`;
  const jobErrors: string[] = [];
  const box = createSecretBox(randomBytes(32));
  let campaignSeq = 0;

  beforeAll(async () => {
    db = await mode.db.open();
    prisma = db.prisma;
    sinks = await startSinks({ capacity: 2_000 });
    const logger = { error: (line: string) => jobErrors.push(line) };
    if (mode.bullmq && redisUrl) {
      queue = createBullmqJobQueue({ redisUrl, prefix, logger });
      coordination = createRedisCoordination({ redisUrl, prefix });
    } else {
      queue = createDbJobQueue({ prisma, logger, pollIntervalMs: 20 });
      coordination = createMemoryCoordination();
    }
    dispatcher = createDispatcher({
      prisma,
      source: campaignSource({ prisma, now: () => new Date(), log: () => undefined }),
      network: EMULATOR_NETWORK,
      queue,
      coordination,
      openSealed: (sealed, context) => box.decrypt(sealed, context),
      unsubscribeSecret: UNSUBSCRIBE_SECRET,
      appUrl: APP_URL,
      options: { sweepMs: 200, statusCheckMs: 50, leaseMs: 3_000, laneTtlMs: 3_000, channelTimeoutMs: 2_000 },
    });
    dispatcher.register();
    await queue.start({ concurrency: 6 });
    dispatcher.start();
    await seedCustomers(prisma, SHOP, 1, 3_000);
    for (const [channel, settings] of [
      ["email", sinks.settings.smtp],
      ["sms", sinks.settings.twilio],
      ["webhook", sinks.settings.webhook],
    ] as const)
      await saveChannelConfig(prisma, box, { shop: SHOP, channel, settings, ratePerSecond: 2_000 });
  });

  // A fault a test did not use up must not hit the next one.
  beforeEach(() => sinks.clearFaults());

  afterAll(async () => {
    await queue?.close();
    await dispatcher?.stop();
    if (mode.bullmq && redisUrl) await forgetPrefix(redisUrl, prefix);
    await sinks?.close();
    await db?.close();
  });

  /** A scheduled campaign with `count` queued rows per channel, due now; returns its id and keys. */
  async function campaign(
    rows: Partial<Record<DispatchChannel, { from: number; count: number }>>,
    shop = SHOP,
  ): Promise<{ id: string; keys: Array<{ key: string; channel: DispatchChannel }> }> {
    campaignSeq += 1;
    const id = `camp-${campaignSeq}-${randomBytes(3).toString("hex")}`;
    // A draft while its rows go in, as the planner does: a scheduled campaign with no rows is complete.
    await seedCampaign(prisma, { shop, id, channels: ["email", "sms", "webhook"], status: "draft" });
    const keys: Array<{ key: string; channel: DispatchChannel }> = [];
    for (const [channel, range] of Object.entries(rows) as Array<
      [DispatchChannel, { from: number; count: number }]
    >) {
      const idPrefix = `${id}.${channel}.`;
      await seedOutbox(prisma, {
        shop,
        campaignId: id,
        channel,
        ...range,
        idPrefix,
        sendAt: new Date(Date.now() - 1_000),
      });
      for (let n = range.from; n < range.from + range.count; n++)
        keys.push({ key: `${idPrefix}${n}`, channel });
    }
    await prisma.campaign.update({ where: { id }, data: { status: "scheduled" } });
    await dispatcher.kick(shop, id);
    return { id, keys };
  }

  const control = () => ({ prisma, now: () => new Date(), log: () => undefined, kick: dispatcher.kick });
  const explain = async (id: string) => ({
    campaign: await statusOf(id),
    rows: await prisma.outboxMessage.groupBy({
      by: ["status"],
      where: { campaignId: id },
      _count: { _all: true },
    }),
    jobs: await queue.stats(),
    jobErrors,
  });
  const statusOf = async (id: string) => (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status;
  const rowsOf = (campaignId: string) =>
    prisma.outboxMessage.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
  const countAt = (key: { key: string; channel: DispatchChannel }) =>
    sinks.countFor(SINK[key.channel], key.key);
  const noJobErrors = () => expect(jobErrors.filter((line) => !/will retry/.test(line))).toEqual([]);

  it("sends every message once with its key, records it and completes the campaign", async () => {
    const { id, keys } = await campaign({
      email: { from: 1, count: 10 },
      sms: { from: 11, count: 10 },
      webhook: { from: 21, count: 10 },
    });
    await waitFor("completion", async () => (await statusOf(id)) === "completed");
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => "sent"));
    expect(
      rows.filter((r) => !(r.providerId && r.sentAt && r.attempts === 1 && r.leaseUntil === null)),
    ).toEqual([]);
    expect(rows.every((r) => r.providerId && r.sentAt && r.attempts === 1 && r.leaseUntil === null)).toBe(
      true,
    );
    expect(keys.map(countAt)).toEqual(keys.map(() => 1));
    const mail = sinks.mail(50).find((m) => m.key === `${id}.email.1`);
    expect(mail?.to).toEqual(["c1@example.com"]);
    expect(mail?.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
    const link = /<https:\/\/app\.example\.com\/unsubscribe\/([^>]+)>/.exec(mail?.listUnsubscribe ?? "")?.[1];
    expect(verifyUnsubscribeToken(link, UNSUBSCRIBE_SECRET)).toMatchObject({
      shop: SHOP,
      customerId: "1",
      channel: "email",
      sendId: `${id}.email.1`,
    });
    expect(sinks.sms(50).find((m) => m.key === `${id}.sms.11`)?.body).toMatch(/Reply STOP to opt out/);
    const hook = sinks.webhooks(50).find((m) => m.key === `${id}.webhook.21`);
    expect(JSON.parse(hook?.body ?? "{}")).toMatchObject({
      campaignId: id,
      payload: { sendKey: "launch", customer: { id: "21" } },
    });
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).completedAt).toBeInstanceOf(Date);
    noJobErrors();
  });

  it("sends a customer exactly the email the campaign's preview shows for them, greeting them by name", async () => {
    // A customer who is the preview's sample customer of the campaign's segment (price-sensitive).
    const sample = SAMPLE_CUSTOMERS.price_sensitive;
    await upsertCustomers(prisma, SHOP, [
      customerRow(9_001n, {
        firstName: sample.firstName ?? null,
        lastName: sample.lastName ?? null,
        email: sample.email ?? null,
        locale: sample.locale ?? null,
        timeZone: undefined,
        rfmGroup: undefined,
      }),
    ]);
    const { id } = await campaign({ email: { from: 9_001, count: 1 } });
    await waitFor("completion", async () => (await statusOf(id)) === "completed");
    const mail = sinks.mail(2_000).find((m) => m.key === `${id}.email.9001`);
    if (!mail?.text || !mail.html) throw new Error("no mail at the SMTP sink");
    expect(mail.to).toEqual([sample.email]);

    const definition = requireDefinition(await getCampaign(prisma, SHOP, id));
    const preview = await previewMessages(definition, await shopInfo(prisma, SHOP), "launch");
    const email = preview.channels.find((c) => c.channel === "email")?.result;
    if (!email?.ok || email.message.channel !== "email") throw new Error("the preview does not render");
    // The same message but for the customer's own signed unsubscribe link; line ends as SMTP sends them.
    const link = /^<([^>]+)>$/.exec(mail.listUnsubscribe ?? "")?.[1] ?? "";
    expect(link).toMatch(/^https:\/\/app\.example\.com\/unsubscribe\//);
    const received = (body: string) => body.replaceAll("\r\n", "\n").replaceAll(link, PREVIEW_UNSUBSCRIBE_URL);
    expect({ subject: mail.subject, text: received(mail.text), html: received(mail.html) }).toEqual({
      subject: email.message.subject,
      text: email.message.text,
      html: email.message.html,
    });
    expect(received(mail.text)).toMatch(new RegExp(`^Hi ${sample.firstName},\n`));
    expect(received(mail.html)).not.toContain("Email preferences");
    noJobErrors();
  });

  it("waits out a 429 with Retry-After, then sends", async () => {
    sinks.failNext({ channel: "twilio", status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const { id, keys } = await campaign({ sms: { from: 31, count: 5 } });
    await waitFor("completion", async () => (await statusOf(id)) === "completed");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const rows = await rowsOf(id);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.filter((r) => r.attempts === 2)).toHaveLength(1);
    expect(rows.find((r) => r.attempts === 2)?.lastError).toBeNull();
    expect(keys.map(countAt)).toEqual(keys.map(() => 1));
    noJobErrors();
  });

  it(
    `keeps trying through a provider answering 500 for ${OUTAGE_MS / 1000} s, losing nothing`,
    async () => {
      sinks.failNext({ channel: "webhook", status: 500, forMs: OUTAGE_MS });
      const { id, keys } = await campaign({ webhook: { from: 41, count: 60 } });
      await waitFor("completion", async () => (await statusOf(id)) === "completed", OUTAGE_MS + 120_000);
      const rows = await rowsOf(id);
      expect(rows.every((r) => r.status === "sent")).toBe(true);
      expect(rows.some((r) => r.attempts > 1)).toBe(true);
      expect(keys.map(countAt)).toEqual(keys.map(() => 1));
      noJobErrors();
    },
    OUTAGE_MS + 150_000,
  );

  // The outage, for real (once, in the last mode): a minute of 429 with Retry-After: 1, then
  // 500, then no answer at all. Rows hit again and again must not use up a budget of attempts.
  it.runIf(mode === modes.at(-1))(
    `a ${MINUTE_OUTAGE_MS / 1000} s outage (429 with Retry-After, then 500, then no answer) delays sending and loses nothing`,
    async () => {
      const part = MINUTE_OUTAGE_MS / 3;
      // no later than the faults' own end, which is counted from when each is added
      const outageEnds = Date.now() + MINUTE_OUTAGE_MS;
      sinks.failNext({ channel: "twilio", status: 429, retryAfterSeconds: 1, forMs: part });
      sinks.failNext({ channel: "twilio", status: 500, forMs: 2 * part });
      sinks.failNext({ channel: "twilio", timeout: true, hangMs: 3_000, forMs: 3 * part });
      const started = Date.now();
      const { id, keys } = await campaign({ sms: { from: 301, count: 40 } });
      await waitFor(
        "completion",
        async () => (await statusOf(id)) === "completed",
        MINUTE_OUTAGE_MS + 240_000,
        () => explain(id),
      );
      const took = Date.now() - started;
      const rows = await rowsOf(id);
      process.stdout.write(
        `outage test (${mode.name}): ${MINUTE_OUTAGE_MS / 1000} s outage, completed after ${(took / 1000).toFixed(1)} s; attempts ${JSON.stringify(
          rows.map((r) => r.attempts),
        )}; ${JSON.stringify(sinks.stats().twilio)}\n`,
      );
      expect(rows.filter((r) => r.status !== "sent").map((r) => [r.status, r.attempts, r.lastError])).toEqual(
        [],
      );
      // every message was refused at least once, and none got through before the outage ended
      expect(rows.filter((r) => r.attempts < 2).map((r) => r.id)).toEqual([]);
      const accepted = sinks
        .sms(2_000)
        .filter((m) => m.key?.startsWith(`${id}.`))
        .map((m) => Date.parse(m.at));
      expect(accepted).toHaveLength(keys.length);
      expect(Math.min(...accepted)).toBeGreaterThanOrEqual(outageEnds);
      expect(took).toBeGreaterThanOrEqual(MINUTE_OUTAGE_MS);
      expect(keys.map(countAt)).toEqual(keys.map(() => 1));
      noJobErrors();
    },
    MINUTE_OUTAGE_MS + 300_000,
  );

  it("queues a stopped worker's rows again, failing only one that stopped its worker again and again", async () => {
    const id = `camp-abandoned-${randomBytes(3).toString("hex")}`;
    // paused: the sweep gives the rows back, and no lane sends them afterwards
    await seedCampaign(prisma, { shop: SHOP, id, channels: ["webhook"], status: "paused" });
    await seedOutbox(prisma, {
      shop: SHOP,
      campaignId: id,
      channel: "webhook",
      from: 401,
      count: 4,
      idPrefix: `${id}.`,
      sendAt: new Date(Date.now() - 60_000),
      status: "sending",
    });
    const abandoned = [
      { n: 401, attempts: 1, lastError: null },
      // a long outage's retries, then the worker died: not a message that kills workers
      { n: 402, attempts: 40, lastError: "HTTP 503: unavailable" },
      { n: 403, attempts: 3, lastError: ABANDONED },
      { n: 404, attempts: 10, lastError: ABANDONED },
    ];
    for (const row of abandoned)
      await prisma.outboxMessage.update({
        where: { id: `${id}.${row.n}` },
        data: { attempts: row.attempts, lastError: row.lastError, leaseUntil: new Date(Date.now() - 1_000) },
      });
    // the running dispatcher's sweep does it too: whichever comes first, the result is the same
    await requeueAbandoned(prisma, new Date());
    expect((await rowsOf(id)).map((r) => [r.id, r.status, r.attempts, r.lastError, r.leaseUntil])).toEqual([
      [`${id}.401`, "queued", 1, ABANDONED, null],
      [`${id}.402`, "queued", 40, ABANDONED, null],
      [`${id}.403`, "queued", 3, ABANDONED, null],
      [`${id}.404`, "failed", 10, ABANDONED_LAST, null],
    ]);
  });

  it("keeps trying through a provider that does not answer, losing nothing", async () => {
    sinks.failNext({ channel: "twilio", timeout: true, hangMs: 3_000, forMs: 2_500 });
    const { id, keys } = await campaign({ sms: { from: 61, count: 20 } });
    await waitFor("completion", async () => (await statusOf(id)) === "completed", 45_000);
    const rows = await rowsOf(id);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
    expect(keys.map(countAt)).toEqual(keys.map(() => 1));
    noJobErrors();
  });

  it("sends again with the same key when the provider accepted but never answered", async () => {
    sinks.failNext({ channel: "webhook", timeout: true, afterAccept: true, hangMs: 4_000 });
    const { id, keys } = await campaign({ webhook: { from: 101, count: 1 } });
    await waitFor("completion", async () => (await statusOf(id)) === "completed");
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(keys.map(countAt)).toEqual([2]);
    noJobErrors();
  });

  it("fails a message for good on another 4xx and records its status, never the endpoint's body", async () => {
    sinks.failNext({ channel: "webhook", status: 400, message: "unknown field promo for jane@example.com" });
    const { id, keys } = await campaign({ webhook: { from: 111, count: 1 } });
    await waitFor("completion", async () => (await statusOf(id)) === "completed");
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ status: "failed", attempts: 1, leaseUntil: null });
    expect(row?.lastError).toBe("HTTP 400 (bad request)");
    expect(keys.map(countAt)).toEqual([0]);
    noJobErrors();
  });

  it("checks suppressions and consent again just before sending", async () => {
    await prisma.suppression.createMany({
      data: [
        { shop: SHOP, customerId: 122n, channel: "email", reason: "unsubscribed" },
        { shop: SHOP, customerId: 123n, channel: "all", reason: "complained" },
        { shop: SHOP, customerId: 125n, channel: "sms", reason: "bounced" },
      ],
    });
    await prisma.customer.update({
      where: { shop_id: { shop: SHOP, id: 124n } },
      data: { emailMarketingState: "UNSUBSCRIBED" },
    });
    const { id, keys } = await campaign({ email: { from: 121, count: 5 } });
    await waitFor("completion", async () => (await statusOf(id)) === "completed");
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.customerId, r.status, r.skipReason])).toEqual([
      [121n, "sent", null],
      [122n, "skipped", "suppressed_unsubscribed"],
      [123n, "skipped", "suppressed_complained"],
      [124n, "skipped", "no_consent"],
      [125n, "sent", null],
    ]);
    expect(keys.map(countAt)).toEqual([1, 0, 0, 0, 1]);
    noJobErrors();
  });

  describe("on a rate-limited channel", () => {
    const slow = `slow-${randomBytes(3).toString("hex")}.myshopify.com`;
    beforeAll(async () => {
      await seedCustomers(prisma, slow, 1, 2_000);
      await saveChannelConfig(prisma, box, {
        shop: slow,
        channel: "webhook",
        settings: sinks.settings.webhook,
        ratePerSecond: 60,
      });
    });
    const sentCount = (keys: Array<{ key: string; channel: DispatchChannel }>) =>
      keys.reduce((sum, key) => sum + countAt(key), 0);

    it("pause stops sending before it returns; resume sends the rest, nothing twice", async () => {
      const { id, keys } = await campaign({ webhook: { from: 1, count: 150 } }, slow);
      await waitFor(
        "some sends",
        async () => sentCount(keys) >= 30,
        30_000,
        () => explain(id),
      );
      const paused = await pauseCampaign(control(), slow, id);
      const inFlight = await prisma.outboxMessage.findMany({
        where: { campaignId: id, status: "sending" },
        select: { id: true, attempts: true, leaseUntil: true, updatedAt: true },
      });
      expect(paused, JSON.stringify({ at: new Date(), inFlight, explain: await explain(id) })).toMatchObject({
        changed: true,
        status: "paused",
        inFlight: 0,
      });
      const atPause = sentCount(keys);
      expect(atPause).toBeLessThan(150);
      await sleep(1_000);
      expect(sentCount(keys)).toBe(atPause);
      expect(await prisma.outboxMessage.count({ where: { campaignId: id, status: "sending" } })).toBe(0);
      expect(await prisma.outboxMessage.count({ where: { campaignId: id, status: "sent" } })).toBe(atPause);
      expect(await statusOf(id)).toBe("paused");

      expect((await resumeCampaign(control(), slow, id)).status).toBe("sending");
      await waitFor("completion", async () => (await statusOf(id)) === "completed");
      expect(keys.map(countAt)).toEqual(keys.map(() => 1));
      expect(await prisma.outboxMessage.count({ where: { campaignId: id, status: "sent" } })).toBe(150);
      noJobErrors();
    });

    it("cancel stops for good: what was not sent is skipped as cancelled", async () => {
      const { id, keys } = await campaign({ webhook: { from: 201, count: 150 } }, slow);
      await waitFor(
        "some sends",
        async () => sentCount(keys) >= 30,
        30_000,
        () => explain(id),
      );
      const result = await cancelCampaign(control(), slow, id);
      expect(result).toMatchObject({ changed: true, status: "cancelled", inFlight: 0 });
      const atCancel = sentCount(keys);
      await sleep(1_000);
      expect(sentCount(keys)).toBe(atCancel);
      const rows = await rowsOf(id);
      expect(rows.filter((r) => r.status === "sent")).toHaveLength(atCancel);
      expect(rows.filter((r) => r.status === "skipped" && r.skipReason === "cancelled")).toHaveLength(
        150 - atCancel,
      );
      expect(result.rows).toBeLessThanOrEqual(150 - atCancel);
      expect(await statusOf(id)).toBe("cancelled");
      await expect(resumeCampaign(control(), slow, id)).rejects.toThrow(
        /cancelled campaign cannot be resumed/,
      );
      expect(keys.map(countAt).every((n) => n <= 1)).toBe(true);
      noJobErrors();
    });
  });

  it.runIf(mode === modes.at(-1))(
    "holds the channel's rate limit within 1% over any 10 s",
    async () => {
      const limited = `limited-${randomBytes(3).toString("hex")}.myshopify.com`;
      const rate = 100;
      await seedCustomers(prisma, limited, 1, 1_300);
      await saveChannelConfig(prisma, box, {
        shop: limited,
        channel: "webhook",
        settings: sinks.settings.webhook,
        ratePerSecond: rate,
      });
      const { id } = await campaign({ webhook: { from: 1, count: 1_300 } }, limited);
      await waitFor("completion", async () => (await statusOf(id)) === "completed", 40_000);
      const times = sinks
        .webhooks(2_000)
        .filter((entry) => entry.key?.startsWith(`${id}.`))
        .map((entry) => Date.parse(entry.at))
        .sort((a, b) => a - b);
      expect(times).toHaveLength(1_300);
      let most = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while ((times[j] ?? Infinity) < (times[i] ?? 0) + 10_000) j++;
        most = Math.max(most, j - i);
      }
      // [t, t + 10 s): at most rate × 10 × 1.01. The limit is also used, not starved: a slot the
      // event loop comes to late is dropped rather than bunched, and PGlite, the sinks and the
      // dispatcher share this one event loop, so not every slot is used here.
      expect(most).toBeLessThanOrEqual(rate * 10 * 1.01);
      expect(most).toBeGreaterThanOrEqual(rate * 10 * 0.7);
      noJobErrors();
    },
    60_000,
  );
});
