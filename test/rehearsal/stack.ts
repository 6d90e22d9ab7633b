import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrismaClient } from "@prisma/client";
import { createDatabase, type Database } from "../../app/db.server";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { waitForSegments, waitForSync } from "../../scripts/demo/wait-for-sync";
import { obliterate, redisPrefixOf, spawnWorker, stopProcess } from "../bench/webhook-load";
import { postgresTarget, type DatabaseTarget } from "../integration/helpers/db";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { readyChannels, readyFlows } from "./setup";

// The app as the rehearsal runs it. Scale: PostgreSQL in a fresh schema, BullMQ on Redis under the
// demo's own prefix, a web-only app process and `workers` job processes (`npm run worker`), every
// connection named so the database can drop them. Embedded: PGlite and the database queue inside
// the app process, whose files can be opened only while it is stopped.

export interface Stack {
  demo: Demo;
  shop: string;
  secret: string;
  encryptionKey: Buffer;
  /** the app's PostgreSQL connections' application_name (scale) */
  applicationName: string | null;
  /** stops posting to the app for good and runs `fn` on its database (embedded: once the app is stopped) */
  finish<T>(fn: (prisma: PrismaClient) => Promise<T>): Promise<T>;
  /** the rehearsal's own connection (scale only) */
  prisma: PrismaClient | null;
  /** SIGKILL a worker and start another (embedded: the app, which runs the jobs) */
  killWorker(): Promise<string>;
  workerPids(): number[];
  stop(): Promise<void>;
}

export interface StackOptions {
  mode: "scale" | "embedded";
  customers: number;
  seed: number;
  workers: number;
  databaseUrl: string;
  redisUrl: string;
  log: (line: string) => void;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const tag = randomBytes(4).toString("hex");
  const shop = `rehearsal-${tag}.myshopify.com`;
  const secret = `rehearsal-secret-${tag}`;
  const apiKey = `rehearsal-key-${tag}`;
  const encryptionKey = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), "holiday-rehearsal-"));
  const applicationName = o.mode === "scale" ? `rehearsal-${tag}` : null;
  const saved = { ...process.env };
  let target: DatabaseTarget | undefined;
  let databaseUrl: string | undefined;
  if (o.mode === "scale") {
    target = await postgresTarget(o.databaseUrl);
    const url = new URL(target.databaseUrl ?? "");
    url.searchParams.set("application_name", applicationName ?? "");
    databaseUrl = url.toString();
    process.env.REDIS_URL = o.redisUrl;
    process.env.JOB_CONCURRENCY = "0";
  } else {
    delete process.env.REDIS_URL;
    delete process.env.DATABASE_URL;
  }
  process.env.ENCRYPTION_KEY = encryptionKey.toString("hex");
  process.env.LOG_LEVEL = process.env.REHEARSAL_LOG_LEVEL ?? "warn";
  const restoreEnv = () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
  let demo: Demo | undefined;
  let own: Database | undefined;
  const workers: ChildProcess[] = [];
  let redisPrefix: string | undefined;
  const cleanup = async () => {
    await Promise.all(workers.map((w) => stopProcess(w).catch(() => undefined)));
    await demo?.stop().catch(() => undefined);
    await own?.close().catch(() => undefined);
    await target?.cleanup().catch(() => undefined);
    if (redisPrefix) await obliterate(o.redisUrl, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
    restoreEnv();
  };
  try {
    o.log(`starting the app (${o.mode}) on a store of ${o.customers} customers`);
    if (o.mode === "embedded") {
      // PGlite opens in one process at a time: the flows are turned on before the app starts.
      const db = await createDatabase({ dataDir });
      await readyFlows(db.prisma, shop).finally(() => db.close());
    }
    demo = await startDemo({
      apiKey,
      apiSecret: secret,
      shop,
      customers: o.customers,
      seed: o.seed,
      dataDir,
      databaseUrl,
      install: true,
    });
    const d = demo;
    const workerOptions = {
      apiKey,
      apiSecret: secret,
      databaseUrl: databaseUrl ?? "",
      dataDir,
      redisUrl: o.redisUrl,
      redisPrefix: "",
      concurrency: "4",
    };
    if (o.mode === "scale") {
      redisPrefix = redisPrefixOf(d.app.pid);
      workerOptions.redisPrefix = redisPrefix;
      process.env.JOB_CONCURRENCY = "4";
      for (let i = 0; i < o.workers; i++) workers.push(spawnWorker(d, workerOptions));
      own = await createDatabase({ databaseUrl: target?.databaseUrl });
    }
    const synced = await waitForSync(d.appUrl, d.emulator, shop, { timeoutMs: 600_000 });
    if (synced.backfill?.status !== "completed")
      throw new Error(`backfill ${synced.backfill?.status}: ${synced.backfill?.error}`);
    await waitForSegments(d.appUrl, d.emulator, shop, { timeoutMs: 600_000 });
    o.log(`installed: ${synced.counts.customers} customers, ${synced.counts.orders} orders, scored`);
    const prisma = own?.prisma ?? null;
    if (prisma) {
      await readyFlows(prisma, shop);
      await readyChannels(prisma, shop, d.emulator.sinks, encryptionKey);
    } else {
      // as a merchant does in the demo: Settings → Channels → Use the local sinks
      const form = new FormData();
      form.set("intent", "use-local-sinks");
      const url = `${d.appUrl}/app/settings/channels.json`;
      const answer = await fetchWithSessionToken(url, d.emulator, shop, { method: "POST", body: form });
      if (!answer.ok) throw new Error(`use-local-sinks: HTTP ${answer.status}`);
    }
    return {
      demo: d,
      shop,
      secret,
      encryptionKey,
      applicationName,
      prisma,
      async finish(fn) {
        if (prisma) return fn(prisma);
        await Promise.all(workers.map((w) => stopProcess(w)));
        await d.stop();
        demo = undefined;
        const db = await createDatabase({ dataDir });
        try {
          return await fn(db.prisma);
        } finally {
          await db.close();
        }
      },
      async killWorker() {
        if (o.mode === "embedded") {
          const pid = d.app.pid;
          await d.restartApp("SIGKILL");
          return `app process ${pid} (web and jobs) killed, ${d.app.pid} started`;
        }
        const victim = workers.shift();
        if (!victim) return "no worker to kill";
        const exited = new Promise((resolve) => victim.once("exit", resolve));
        victim.kill("SIGKILL");
        await exited;
        const next = spawnWorker(d, workerOptions);
        workers.push(next);
        return `worker ${victim.pid} killed, ${next.pid} started`;
      },
      workerPids: () => workers.flatMap((w) => (w.pid ? [w.pid] : [])),
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
