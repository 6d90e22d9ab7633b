import { cpus, loadavg, totalmem } from "node:os";
import type { RehearsalRecord } from "../../app/rehearsals/record";
import { syncStatus } from "../../scripts/demo/wait-for-sync";
import { collectFacts } from "./collect";
import { buildDeliveries, catalogueOf, type TimedRequest } from "./deliveries";
import { dropConnections, providerOutage, runFaults, type FaultPlan, type FaultRecord } from "./faults";
import { postTimed, type Answer } from "./load";
import type { RehearsalOptions } from "./options";
import { planProfile } from "./profile";
import { computeReport, type RehearsalFacts, type RehearsalReport } from "./report";
import { REHEARSAL_WAITS } from "./setup";
import { startStack, type Stack } from "./stack";

// One rehearsal: the app installed on a generated store and readied for the peak; yesterday's
// abandoned checkouts posted; the peak posted on its schedule while faults are injected and the
// webhook queue is sampled; then, once every step due has had time to be decided and sent, the
// app's rows and the sinks' receipts are read into the report.

export interface RehearsalDocument {
  date: string;
  machine: RehearsalRecord["machine"];
  options: RehearsalOptions;
  profile: {
    customers: number;
    products: number;
    soldOut: number;
    webhooks: number;
    yesterdayCheckouts: number;
    sessions: Record<string, number>;
  };
  faults: FaultRecord[];
  timing: { setupSeconds: number; peakSeconds: number; settleSeconds: number; achievedPerSecond: number };
  report: RehearsalReport;
}

const OUTAGE = "email and SMS providers refuse";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function rehearse(o: RehearsalOptions, log: (line: string) => void): Promise<RehearsalDocument> {
  const started = Date.now();
  const stack = await startStack({
    mode: o.mode,
    customers: o.customers,
    seed: o.seed,
    workers: o.workers,
    databaseUrl: process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test",
    redisUrl: process.env.REDIS_URL || "redis://127.0.0.1:6379",
    log,
  });
  try {
    return await rehearseOn(stack, o, log, started);
  } finally {
    await stack.stop();
  }
}

async function rehearseOn(
  stack: Stack,
  o: RehearsalOptions,
  log: (line: string) => void,
  started: number,
): Promise<RehearsalDocument> {
  const { demo, shop } = stack;
  const sinks = demo.emulator.sinks;
  const store = demo.emulator.store(shop);
  const catalogue = catalogueOf(store);
  const profile = planProfile({
    scale: o.scale,
    minutes: o.minutes,
    abandoned: o.abandoned,
    seed: o.seed,
    customers: store.customerCount,
    variants: catalogue.map((c) => c.variants.length),
    firstWaitMs: REHEARSAL_WAITS.firstMs,
    reminderWaitMs: REHEARSAL_WAITS.reminderMs,
  });
  const runMs = o.minutes * 60_000;
  const setupRate = Math.min(200, Math.max(20, o.scale));
  const setupMs = (profile.setup.length / setupRate) * 1_000;
  // Payloads carry times relative to the peak's start: leave room to build them and post yesterday's.
  const t0 = Date.now() + 3_000 + setupMs + (profile.setup.length + profile.run.length) * 0.3 + 5_000;
  const ctx = { store, shop, secret: stack.secret, catalogue, t0, nextOrderId: 9_100_000_000 };
  const now = Date.now();
  const setup = buildDeliveries(ctx, profile.setup, (_, i) => now + 2_000 + (i * 1_000) / setupRate);
  const run = buildDeliveries(ctx, profile.run, (e) => t0 + e.at);
  log(
    `built ${setup.requests.length} + ${run.requests.length} deliveries; the peak starts in ${Math.round((t0 - Date.now()) / 1000)} s`,
  );
  const port = Number(new URL(demo.appUrl).port);
  const post = (requests: readonly TimedRequest[]) =>
    postTimed(requests, {
      port,
      connections: o.connections,
      timeoutMs: 10_000,
      stopAtMs: t0 + runMs + 600_000,
    });
  const setupAnswers = await post(setup.requests);
  log(
    `yesterday's ${setup.requests.length} checkouts posted (${setupAnswers.filter((a) => a.status !== 200).length} not answered 200)`,
  );
  if (Date.now() > t0) log(`late: the peak starts ${Date.now() - t0} ms after its time`);
  await sleep(t0 - Date.now());

  const backlog: Array<{ at: number; received: number; done: number }> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const at = Date.now();
      const s = await syncStatus(demo.appUrl, demo.emulator, shop).catch(() => null);
      if (s)
        backlog.push({
          at,
          received: s.webhooks.received + s.webhooks.processed + s.webhooks.failed,
          done: s.webhooks.processed + s.webhooks.failed,
        });
      await sleep(1_000 - (Date.now() - at));
    }
  })();
  const { prisma: own, applicationName } = stack;
  const faults: FaultPlan[] = o.noFaults
    ? []
    : [
        {
          atMs: t0 + runMs * 0.3,
          name: "worker killed (SIGKILL), another started",
          inject: () => stack.killWorker(),
        },
        {
          atMs: t0 + runMs * 0.35,
          name: OUTAGE,
          inject: async () => providerOutage(sinks, o.outageSeconds),
        },
        ...(own && applicationName
          ? [
              {
                atMs: t0 + runMs * 0.5,
                name: "database connections dropped (pg_terminate_backend)",
                inject: () => dropConnections(own, applicationName),
              },
            ]
          : []),
      ];
  const [answers, faultRecords] = await Promise.all([post(run.requests), runFaults(faults, log)]);
  const peakSeconds = (Date.now() - t0) / 1000;
  log(`peak posted: ${answers.length} deliveries in ${peakSeconds.toFixed(1)} s`);

  // Settle: the queue drained, and every step due had a minute to be decided and sent.
  const lastDue =
    t0 + profile.sessions.reduce((m, s) => Math.max(m, s.firstDueAt, s.reminderDueAt ?? 0), profile.endsAt);
  const settleFrom = Date.now();
  const settleMs = o.settleSeconds * 1_000;
  const deadline = Math.max(lastDue + settleMs, Date.now()) + 300_000;
  for (;;) {
    const last = backlog[backlog.length - 1];
    const drained = last !== undefined && last.done >= last.received && last.at > t0 + peakSeconds * 1000;
    if ((drained && Date.now() > lastDue + settleMs && (await quiet(stack))) || Date.now() > deadline) break;
    await sleep(2_000);
  }
  sampling = false;
  await sampler;
  const endedAt = Date.now();
  const facts: RehearsalFacts = await stack.finish((prisma) =>
    collectFacts(
      prisma,
      sinks,
      {
        shop,
        shopTimeZone: store.ianaTimezone,
        t0,
        profile,
        checkoutIds: new Map([...setup.checkoutIds, ...run.checkoutIds]),
        customerIdOf: (i) => String(store.customerLegacyId(i)),
        catalogue,
        requests: run.requests,
        answers: answers satisfies Answer[],
        backlog,
        outages: faultRecords
          .filter((r) => r.fault === OUTAGE)
          .map((r) => ({ from: Date.parse(r.at), to: Date.parse(r.at) + o.outageSeconds * 1_000 })),
      },
      endedAt,
      settleMs,
    ),
  );
  const report = computeReport(facts);
  const sessions: Record<string, number> = {};
  for (const s of profile.sessions) sessions[s.kind] = (sessions[s.kind] ?? 0) + 1;
  return {
    date: new Date(started).toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadavgAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    options: o,
    profile: {
      customers: store.customerCount,
      products: catalogue.length,
      soldOut: profile.soldOut.length,
      webhooks: run.requests.length,
      yesterdayCheckouts: setup.requests.length,
      sessions,
    },
    faults: faultRecords,
    timing: {
      setupSeconds: Math.round((t0 - started) / 1000),
      peakSeconds: Math.round(peakSeconds),
      settleSeconds: Math.round((endedAt - settleFrom) / 1000),
      achievedPerSecond: Math.round(
        answers.length / Math.max(1, (answers.reduce((m, a) => Math.max(m, a.answeredAtMs), t0) - t0) / 1000),
      ),
    },
    report,
  };
}

/** Scale mode: no step due a while ago still waiting, no flow message due a while ago still unsent. */
async function quiet(stack: Stack): Promise<boolean> {
  if (!stack.prisma) return true;
  const before = new Date(Date.now() - 5_000);
  const [steps, messages] = await Promise.all([
    stack.prisma.flowEnrollment.count({
      where: { shop: stack.shop, status: "waiting", wakeAt: { lt: before } },
    }),
    stack.prisma.outboxMessage.count({
      where: {
        shop: stack.shop,
        status: { in: ["queued", "sending"] },
        sendAt: { lt: before },
        enrollmentId: { not: null },
      },
    }),
  ]);
  return steps === 0 && messages === 0;
}
