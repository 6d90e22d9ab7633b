// Dispatch benchmark (not part of `npm test`): `npm run bench:dispatch`.
//
// Scale mode: PostgreSQL in a fresh schema, BullMQ on Redis under a fresh prefix, BENCH_WORKERS
// real worker processes (`scripts/worker.ts`, JOB_CONCURRENCY each), the local provider sinks (real
// SMTP server, Twilio-compatible endpoint, webhook receiver) in this process. Runs:
//   0. the reference: BENCH_REFERENCE_JOBS no-op jobs through BullMQ alone (as many worker processes,
//      same concurrency; test/bench/bullmq-ceiling-worker.ts);
//   then one channel at a time: BENCH_WEBHOOK_MESSAGES webhooks, then BENCH_EMAIL_MESSAGES emails;
//   1. throughput: BENCH_MESSAGES messages, a third each email, SMS and webhook, no binding limit;
//      the sinks' accepted counts are sampled every 100 ms; "sustained" is the rate between the 10%
//      and the 90% mark, "overall" from the first acceptance to the last;
//   2. rate limit: SMS limited to BENCH_SMS_RATE/s (BENCH_LIMITED_SMS texts), email and webhook
//      unlimited alongside; every text's acceptance time at the sink gives the most texts in any
//      10 s (and 1 s) window against rate × 10 × 1.01.
// Each checks in the database and at the sinks: every message sent once, no duplicates.
// Env: DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test), REDIS_URL (redis://127.0.0.1:6379),
// BENCH_MESSAGES (60000), BENCH_WORKERS (2), JOB_CONCURRENCY (4), BENCH_SMS_RATE (200),
// BENCH_LIMITED_SMS (8000), BENCH_SKIP (reference | webhook | email | throughput | limit), BENCH_WORKER_NODE_OPTIONS (e.g.
// `--cpu-prof --cpu-prof-dir=/tmp/prof` for the workers). Prints JSON.

import { spawn, type ChildProcess } from "node:child_process";
import { Queue } from "bullmq";
import { randomBytes } from "node:crypto";
import { cpus, loadavg, totalmem } from "node:os";
import { Redis } from "ioredis";
import type { PrismaClient } from "@prisma/client";
import { createSecretBox } from "../../app/messaging/channels/secret-box.server";
import type { DispatchChannel } from "../../app/messaging/dispatch/jobs";
import { saveChannelConfig, seedCampaign, seedCustomers, seedOutbox } from "../support/outbox-factory";
import { createDatabase } from "../../app/db.server";
import { startSinks, type Sinks } from "../emulator/sinks";
import { postgresTarget } from "../integration/helpers/db";
import { spawnWorker } from "../support/worker-process";
import { cpuSecondsOf, log, obliterate, stopProcess } from "./webhook-load";

const env = process.env;
const DATABASE_URL = env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
const REDIS_URL = env.REDIS_URL || "redis://127.0.0.1:6379";
const MESSAGES = Number(env.BENCH_MESSAGES ?? 60_000);
const WORKERS = Number(env.BENCH_WORKERS ?? 2);
const CONCURRENCY = env.JOB_CONCURRENCY ?? "4";
const SMS_RATE = Number(env.BENCH_SMS_RATE ?? 200);
const LIMITED_SMS = Number(env.BENCH_LIMITED_SMS ?? 8_000);
const SKIP = new Set((env.BENCH_SKIP ?? "").split(",").filter(Boolean));
const REFERENCE_JOBS = Number(env.BENCH_REFERENCE_JOBS ?? 60_000);
const ONE_CHANNEL = {
  webhook: Number(env.BENCH_WEBHOOK_MESSAGES ?? 30_000),
  email: Number(env.BENCH_EMAIL_MESSAGES ?? 20_000),
};
const SHOP = "bench-dispatch.myshopify.com";
const CHANNELS: DispatchChannel[] = ["email", "sms", "webhook"];
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const accepted = (sinks: Sinks) => {
  const stats = sinks.stats();
  return stats.smtp.accepted + stats.twilio.accepted + stats.webhook.accepted;
};

/** A campaign with `perChannel` rows on each of `channels`, due now; returns its id. */
async function campaign(
  prisma: PrismaClient,
  id: string,
  perChannel: Partial<Record<DispatchChannel, number>>,
) {
  await seedCampaign(prisma, { shop: SHOP, id, channels: CHANNELS, status: "draft" });
  for (const channel of CHANNELS) {
    const count = perChannel[channel] ?? 0;
    if (count > 0)
      await seedOutbox(prisma, {
        shop: SHOP,
        campaignId: id,
        channel,
        from: 1,
        count,
        idPrefix: `${id}.${channel}.`,
        sendAt: new Date(Date.now() - 1_000),
      });
  }
}

async function run(prisma: PrismaClient, sinks: Sinks, workers: ChildProcess[], id: string, total: number) {
  const cpuBefore = workers.map((w) => cpuSecondsOf(w.pid));
  const selfBefore = process.cpuUsage();
  const samples: Array<{ t: number; n: number }> = [];
  await prisma.campaign.update({ where: { id }, data: { status: "scheduled" } });
  const scheduled = performance.now();
  for (;;) {
    const n = accepted(sinks);
    samples.push({ t: performance.now(), n });
    if (n >= total) break;
    if (performance.now() - scheduled > 15 * 60_000) throw new Error(`stuck at ${n} of ${total}`);
    // A message that failed never reaches a sink: say why at once rather than wait out the limit.
    if (samples.length % 50 === 0) {
      const failed = await prisma.outboxMessage.findFirst({
        where: { campaignId: id, status: "failed" },
        select: { lastError: true },
      });
      if (failed) throw new Error(`messages failed: ${failed.lastError ?? "?"}`);
    }
    await sleep(100);
  }
  const workerCpu = workers.map((w, i) => cpuSecondsOf(w.pid) - (cpuBefore[i] ?? 0));
  const self = process.cpuUsage(selfBefore);
  const at = (share: number) => samples.find((s) => s.n >= total * share) ?? samples[samples.length - 1];
  const first = samples.find((s) => s.n > 0);
  const [p10, p90, last] = [at(0.1), at(0.9), samples[samples.length - 1]];
  const seconds = (a?: { t: number }, b?: { t: number }) => ((b?.t ?? 0) - (a?.t ?? 0)) / 1000;
  let worst5s = Infinity;
  for (const s of samples)
    if (first && s.t >= first.t && last && s.t + 5_000 <= last.t) {
      const later = samples.find((x) => x.t >= s.t + 5_000);
      if (later) worst5s = Math.min(worst5s, (later.n - s.n) / seconds(s, later));
    }
  await sleep(500);
  const rows = await prisma.outboxMessage.groupBy({
    by: ["status"],
    where: { campaignId: id },
    _count: { _all: true },
  });
  const stats = sinks.stats();
  return {
    messages: total,
    startToFirstSeconds: round(seconds({ t: scheduled }, first)),
    overallSeconds: round(seconds(first, last)),
    overallPerSecond: Math.round(total / seconds(first, last)),
    sustainedPerSecond: Math.round((p90 && p10 ? p90.n - p10.n : 0) / seconds(p10, p90)),
    worst5sPerSecond: Number.isFinite(worst5s) ? Math.round(worst5s) : null,
    outbox: Object.fromEntries(rows.map((r) => [r.status, r._count._all])),
    campaign: (await prisma.campaign.findUniqueOrThrow({ where: { id } })).status,
    duplicatesAtSinks: stats.smtp.duplicates + stats.twilio.duplicates + stats.webhook.duplicates,
    acceptedAtSinks: {
      email: stats.smtp.accepted,
      sms: stats.twilio.accepted,
      webhook: stats.webhook.accepted,
    },
    workerCpuSeconds: workerCpu.map((c) => round(c, 2)),
    benchProcessCpuSeconds: round((self.user + self.system) / 1e6, 2),
  };
}

/**
 * The reference: `jobs` no-op jobs through BullMQ alone, on the same Redis, with as many worker
 * processes and the same concurrency as the app's dispatch; jobs a second from the first to the last completion.
 */
async function bullmqAlone(jobs: number, prefix: string) {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue("ceiling", { connection, prefix });
  try {
    for (let i = 0; i < jobs; i += 1_000)
      await queue.addBulk(
        Array.from({ length: Math.min(1_000, jobs - i) }, (_, k) => ({ name: "noop", data: { i: i + k } })),
      );
    const workers = Array.from({ length: WORKERS }, () =>
      spawn(process.execPath, ["--import", "tsx", "test/bench/bullmq-ceiling-worker.ts"], {
        env: { ...process.env, REDIS_URL, BENCH_QUEUE_PREFIX: prefix, JOB_CONCURRENCY: CONCURRENCY },
        stdio: ["ignore", "ignore", "inherit"],
      }),
    );
    const cpuBefore = workers.map((w) => cpuSecondsOf(w.pid));
    let first: number | null = null;
    for (;;) {
      const { completed = 0 } = await queue.getJobCounts("completed");
      if (completed > 0) first ??= performance.now();
      if (completed >= jobs) break;
      await sleep(20);
    }
    const seconds = (performance.now() - (first ?? performance.now())) / 1000;
    const workerCpu = workers.map((w, i) => round(cpuSecondsOf(w.pid) - (cpuBefore[i] ?? 0), 2));
    await Promise.all(workers.map((w) => stopProcess(w)));
    return {
      jobs,
      seconds: round(seconds, 2),
      jobsPerSecond: Math.round(jobs / seconds),
      workerCpuSeconds: workerCpu,
    };
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
}

/** Most timestamps in any half-open window [t, t + width). */
function mostInWindow(times: number[], width: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[j] ?? Infinity) < (times[i] ?? 0) + width) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

async function main(): Promise<void> {
  const target = await postgresTarget(DATABASE_URL);
  const db = await createDatabase(target);
  const prisma = db.prisma;
  const prefix = `bench_${randomBytes(6).toString("hex")}`;
  const sinks = await startSinks({ capacity: Math.max(LIMITED_SMS + 100, 1_000) });
  const key = randomBytes(32);
  const box = createSecretBox(key);
  const workers: ChildProcess[] = [];
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const result: Record<string, unknown> = {
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: ((await prisma.$queryRaw<Array<{ v: string }>>`SELECT version() AS v`)[0]?.v ?? "").split(
        " on ",
      )[0],
      redis: /redis_version:(\S+)/.exec(await redis.info("server"))?.[1],
      loadavgAtStart: loadavg().map((l) => round(l, 2)),
    },
    date: new Date().toISOString(),
    workers: WORKERS,
    jobConcurrency: Number(CONCURRENCY),
  };
  try {
    const perChannel = Math.ceil(MESSAGES / 3);
    await seedCustomers(
      prisma,
      SHOP,
      1,
      Math.max(perChannel, LIMITED_SMS, ONE_CHANNEL.webhook, ONE_CHANNEL.email),
    );
    const settings = {
      email: sinks.settings.smtp,
      sms: sinks.settings.twilio,
      webhook: sinks.settings.webhook,
    };
    for (const channel of CHANNELS)
      await saveChannelConfig(prisma, box, {
        shop: SHOP,
        channel,
        settings: settings[channel],
        ratePerSecond: 100_000,
      });
    for (let i = 0; i < WORKERS; i++)
      workers.push(
        spawnWorker({
          NODE_ENV: "development",
          SHOPIFY_API_KEY: "bench-key",
          SHOPIFY_API_SECRET: "bench-secret",
          // where the SMS sink sends its status callbacks: a closed local port refuses them at once
          // (a name to resolve, with no network here, left every callback waiting on DNS and the
          // sinks' process unable to exit)
          SHOPIFY_APP_URL: "http://127.0.0.1:9",
          ENCRYPTION_KEY: key.toString("hex"),
          DATABASE_URL: target.databaseUrl ?? "",
          REDIS_URL,
          REDIS_PREFIX: prefix,
          JOB_CONCURRENCY: CONCURRENCY,
          // the channels point at the local sinks on loopback, which only the emulator's setup may reach
          SHOPIFY_EMULATOR_URL: new URL(sinks.settings.webhook.url).origin,
          LOG_LEVEL: "warn",
          NODE_OPTIONS: env.BENCH_WORKER_NODE_OPTIONS ?? "",
        }),
      );
    await sleep(5_000); // workers start (tsx, migrations check, queue)

    if (!SKIP.has("reference")) {
      log(`reference: ${REFERENCE_JOBS} no-op jobs through BullMQ alone, ${WORKERS} workers`);
      result.bullmqAlone = await bullmqAlone(REFERENCE_JOBS, `${prefix}_ceiling`);
      log(JSON.stringify(result.bullmqAlone));
    }

    // One channel at a time: what each provider path sustains on its own.
    for (const channel of ["webhook", "email"] as const) {
      if (SKIP.has(channel)) continue;
      sinks.reset();
      await campaign(prisma, `only-${channel}`, { [channel]: ONE_CHANNEL[channel] });
      log(`${channel} only: ${ONE_CHANNEL[channel]} messages, ${WORKERS} workers`);
      result[`${channel}Only`] = await run(prisma, sinks, workers, `only-${channel}`, ONE_CHANNEL[channel]);
      log(JSON.stringify(result[`${channel}Only`]));
    }

    if (!SKIP.has("throughput")) {
      sinks.reset();
      await campaign(prisma, "throughput", { email: perChannel, sms: perChannel, webhook: perChannel });
      log(`throughput: ${perChannel * 3} messages, ${WORKERS} workers`);
      result.throughput = await run(prisma, sinks, workers, "throughput", perChannel * 3);
      log(JSON.stringify(result.throughput));
    }

    if (!SKIP.has("limit")) {
      sinks.reset();
      await saveChannelConfig(prisma, box, {
        shop: SHOP,
        channel: "sms",
        settings: settings.sms,
        ratePerSecond: SMS_RATE,
      });
      await campaign(prisma, "limited", { email: LIMITED_SMS, sms: LIMITED_SMS, webhook: LIMITED_SMS });
      log(`rate limit: ${LIMITED_SMS} SMS at ${SMS_RATE}/s beside ${LIMITED_SMS} emails and webhooks`);
      const limited = await run(prisma, sinks, workers, "limited", LIMITED_SMS * 3);
      const times = sinks
        .sms(LIMITED_SMS + 100)
        .map((entry) => Date.parse(entry.at))
        .sort((a, b) => a - b);
      const most10 = mostInWindow(times, 10_000);
      const span = ((times[times.length - 1] ?? 0) - (times[0] ?? 0)) / 1000;
      result.limit = {
        ...limited,
        sms: {
          limitPerSecond: SMS_RATE,
          texts: times.length,
          seconds: round(span),
          averagePerSecond: round((times.length - 1) / span, 2),
          // between the 10% and the 90% text: without the start, and the tail after the other channels
          sustainedPerSecond: round(
            (Math.floor(times.length * 0.9) - Math.floor(times.length * 0.1)) /
              (((times[Math.floor(times.length * 0.9)] ?? 0) - (times[Math.floor(times.length * 0.1)] ?? 0)) /
                1000),
            2,
          ),
          mostIn10s: most10,
          allowedIn10s: SMS_RATE * 10 * 1.01,
          mostIn10sVsLimit: round(most10 / (SMS_RATE * 10), 4),
          mostIn1s: mostInWindow(times, 1_000),
          // texts accepted in each second from the first: where a window over the limit comes from
          perSecond: Array.from({ length: Math.ceil(span) + 1 }, (_, k) =>
            times.reduce(
              (n, t) => n + (t >= (times[0] ?? 0) + k * 1000 && t < (times[0] ?? 0) + (k + 1) * 1000 ? 1 : 0),
              0,
            ),
          ),
          held: most10 <= SMS_RATE * 10 * 1.01,
        },
      };
      log(JSON.stringify(result.limit));
    }
    result.loadavgAtEnd = loadavg().map((l) => round(l, 2));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await Promise.all(workers.map((w) => stopProcess(w)));
    await obliterate(REDIS_URL, prefix);
    const keys = await redis.keys(`${prefix}:dispatch:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await sinks.close();
    await db.close();
    await target.cleanup();
  }
}

await main();
