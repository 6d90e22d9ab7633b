import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import type { DispatchChannel } from "~/messaging/dispatch/jobs";
import { saveChannelConfig, seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import { createDatabase, type Database } from "~/db.server";
import { startSinks, type SinkChannel, type Sinks } from "../emulator/sinks";
import { forgetPrefix } from "../support/bullmq-prefix";
import { exited, spawnWorker } from "../support/worker-process";
import { waitFor } from "./helpers/wait-for";
import { postgresTarget, postgresUrl, type DatabaseTarget } from "./helpers/db";

// SIGKILL a worker process in the middle of a 100,000-message campaign sent by email, SMS and
// webhook, start another: every message is delivered, and a message reaches its provider twice only
// if its row was `sending` when the worker died (the kill fell between the provider's acceptance
// and the outbox update), with the same key both times — counted at each sink (a real SMTP server,
// the Twilio-compatible endpoint, the webhook receiver). Workers are real `npm run worker`
// processes (scripts/worker.ts), which need PostgreSQL; BullMQ on Redis when REDIS_URL is set, else
// the database queue. DISPATCH_KILL_MESSAGES sets another size (docs/benchmarks.md).

const MESSAGES = Number(process.env.DISPATCH_KILL_MESSAGES ?? 100_000);
const redisUrl = process.env.REDIS_URL || undefined;
const SHOP = "kill-test.myshopify.com";
const CAMPAIGN = "kill-campaign";
const SINK: Record<DispatchChannel, SinkChannel> = { email: "smtp", sms: "twilio", webhook: "webhook" };
// Mostly email, as a holiday campaign's audience is; customers 1..MESSAGES, one channel each.
const SHARE: Record<DispatchChannel, number> = { email: 0.4, sms: 0.3, webhook: 0.3 };
const PARTS = (() => {
  const email = Math.round(MESSAGES * SHARE.email);
  const sms = Math.round(MESSAGES * SHARE.sms);
  return [
    { channel: "email", from: 1, count: email },
    { channel: "sms", from: 1 + email, count: sms },
    { channel: "webhook", from: 1 + email + sms, count: MESSAGES - email - sms },
  ] satisfies Array<{ channel: DispatchChannel; from: number; count: number }>;
})();
const prefixOf = (channel: DispatchChannel) => `k.${channel}.`;

// The title names both modes: CI counts the tests run per database and queue mode by it.
const TITLE = `dispatch survives a killed worker (PostgreSQL, ${redisUrl ? "BullMQ" : "database queue"})`;
describe.skipIf(!postgresUrl)(TITLE, () => {
  let target: DatabaseTarget | undefined;
  let db: Database | undefined;
  let sinks: Sinks | undefined;
  const workers: ChildProcess[] = [];
  const prefix = `t_${randomBytes(6).toString("hex")}`;

  afterAll(async () => {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
    await Promise.all(workers.map(exited));
    if (redisUrl) await forgetPrefix(redisUrl, prefix);
    await sinks?.close();
    await db?.close();
    await target?.cleanup();
  });

  it(`delivers all ${MESSAGES} messages by email, SMS and webhook; only rows in flight at the kill are sent twice`, async () => {
    target = await postgresTarget(postgresUrl ?? "");
    db = await createDatabase(target);
    const prisma: PrismaClient = db.prisma;
    sinks = await startSinks({ capacity: 10 });
    const key = randomBytes(32);
    await seedCustomers(prisma, SHOP, 1, MESSAGES);
    await seedCampaign(prisma, { shop: SHOP, id: CAMPAIGN, channels: ["email", "sms", "webhook"] });
    const box = createSecretBox(key);
    const settings = {
      email: sinks.settings.smtp,
      sms: sinks.settings.twilio,
      webhook: sinks.settings.webhook,
    };
    for (const part of PARTS) {
      await seedOutbox(prisma, {
        shop: SHOP,
        campaignId: CAMPAIGN,
        channel: part.channel,
        from: part.from,
        count: part.count,
        idPrefix: prefixOf(part.channel),
        sendAt: new Date(Date.now() - 1_000),
      });
      await saveChannelConfig(prisma, box, {
        shop: SHOP,
        channel: part.channel,
        settings: settings[part.channel],
        ratePerSecond: 100_000,
      });
    }
    const env = {
      NODE_ENV: "development",
      SHOPIFY_API_KEY: "kill-test-key",
      SHOPIFY_API_SECRET: "kill-test-secret",
      SHOPIFY_APP_URL: "https://app.example.com",
      ENCRYPTION_KEY: key.toString("hex"),
      DATABASE_URL: target.databaseUrl ?? "",
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: prefix,
      JOB_CONCURRENCY: "4",
      // The channels point at the local sinks, which the workers reach only in the emulator's setup
      // (channel addresses on loopback are refused otherwise); no Shopify call is made here.
      SHOPIFY_EMULATOR_URL: new URL(sinks.settings.webhook.url).origin,
      LOG_LEVEL: "warn",
    };
    const sent = () => prisma.outboxMessage.count({ where: { campaignId: CAMPAIGN, status: "sent" } });
    const sentPerChannel = async () =>
      Object.fromEntries(
        (
          await prisma.outboxMessage.groupBy({
            by: ["channel"],
            where: { campaignId: CAMPAIGN, status: "sent" },
            _count: { _all: true },
          })
        ).map((g) => [g.channel, g._count._all]),
      );

    const started = Date.now();
    const first = spawnWorker(env);
    workers.push(first);
    // In the middle of every channel: 40% sent in all, and each channel under way.
    await waitFor(
      "40% sent",
      async () => {
        const perChannel = await sentPerChannel();
        const total = Object.values(perChannel).reduce((a, b) => a + b, 0);
        return total >= MESSAGES * 0.4 && PARTS.every((p) => (perChannel[p.channel] ?? 0) > 0);
      },
      180_000,
    );
    first.kill("SIGKILL");
    await exited(first);
    const killedAt = Date.now();
    // PostgreSQL finishes (or rolls back) what the dead connection had sent, then the rows tell.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const inFlight = new Set(
      (
        await prisma.outboxMessage.findMany({
          where: { campaignId: CAMPAIGN, status: "sending" },
          select: { id: true },
        })
      ).map((row) => row.id),
    );
    const sentAtKill = await sentPerChannel();

    const second = spawnWorker(env);
    workers.push(second);
    await waitFor("all sent", async () => (await sent()) === MESSAGES, 300_000);
    const finished = Date.now();
    await waitFor(
      "completion",
      async () =>
        (await prisma.campaign.findUniqueOrThrow({ where: { id: CAMPAIGN } })).status === "completed",
      30_000,
    );
    second.kill("SIGTERM");
    await exited(second);

    const missing: string[] = [];
    const twice: string[] = [];
    const overTwice: string[] = [];
    for (const part of PARTS) {
      for (let n = part.from; n < part.from + part.count; n++) {
        const id = `${prefixOf(part.channel)}${n}`;
        const count = sinks.countFor(SINK[part.channel], id);
        if (count === 0) missing.push(id);
        else if (count === 2) twice.push(id);
        else if (count > 2) overTwice.push(id);
      }
    }
    const stats = sinks.stats();
    const twiceIn = (channel: DispatchChannel) =>
      twice.filter((id) => id.startsWith(prefixOf(channel))).length;
    const inFlightIn = (channel: DispatchChannel) =>
      [...inFlight].filter((id) => id.startsWith(prefixOf(channel))).length;
    process.stdout.write(
      `dispatch kill test: ${MESSAGES} messages (${PARTS.map((p) => `${p.count} ${p.channel}`).join(", ")}) on ${redisUrl ? "BullMQ" : "the database queue"}; ` +
        `killed ${((killedAt - started) / 1000).toFixed(1)} s in at ${JSON.stringify(sentAtKill)} sent, ` +
        `in flight ${PARTS.map((p) => `${p.channel} ${inFlightIn(p.channel)}`).join(", ")}; ` +
        `delivered twice ${PARTS.map((p) => `${p.channel} ${twiceIn(p.channel)}`).join(", ")}; ` +
        `all sent ${((finished - killedAt) / 1000).toFixed(1)} s after the kill (${((finished - started) / 1000).toFixed(1)} s in all)\n`,
    );
    expect(missing).toEqual([]);
    expect(overTwice).toEqual([]);
    expect(twice.filter((id) => !inFlight.has(id))).toEqual([]);
    for (const part of PARTS)
      expect({ channel: part.channel, ...stats[SINK[part.channel]] }).toMatchObject({
        channel: part.channel,
        uniqueKeys: part.count,
        duplicates: twiceIn(part.channel),
        accepted: part.count + twiceIn(part.channel),
        unkeyed: 0,
        keysTruncated: false,
      });
    expect(
      await prisma.outboxMessage.count({ where: { campaignId: CAMPAIGN, status: { not: "sent" } } }),
    ).toBe(0);
  }, 600_000);
});
