import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDatabase } from "~/db.server";
import { BullmqJobQueue, createBullmqJobQueue } from "~/jobs/bullmq-queue.server";
import { createDbJobQueue, DbJobQueue } from "~/jobs/db-queue.server";
import { defineJob, JobPayloadError } from "~/jobs/definitions";
import { createJobQueue } from "~/jobs/index.server";
import type { JobLogger, JobQueue } from "~/jobs/queue";
import { forgetPrefix } from "../support/bullmq-prefix";
import { databaseModes } from "./helpers/db";

// The same contract on every queue: the database queue on each database mode, and BullMQ when
// REDIS_URL is set.

interface Stored {
  status: string;
  attempts: number;
  lastError: string | null;
}

interface Backend {
  /** A new queue on the shared store; several compete like separate processes. */
  queue(): Promise<JobQueue>;
  /** Overwrites a stored payload, as a corrupted or tampered store would. */
  tamper(id: string, payload: unknown): Promise<void>;
  inspect(id: string): Promise<Stored | undefined>;
  close(): Promise<void>;
}

interface BackendMode {
  name: string;
  open(logger: JobLogger): Promise<Backend>;
}

const dbBackends: BackendMode[] = databaseModes.map((mode) => ({
  name: `db queue on ${mode.name}`,
  async open(logger) {
    const target = await mode.target();
    const dbs = [await createDatabase(target)];
    const queues: JobQueue[] = [];
    const first = dbs[0];
    if (!first) throw new Error("no database");
    return {
      async queue() {
        // Each queue gets its own client (its own pool on PostgreSQL), like another process.
        const db = queues.length === 0 ? first : await createDatabase(target);
        if (db !== first) dbs.push(db);
        const queue = createDbJobQueue({ prisma: db.prisma, logger, pollIntervalMs: 20 });
        queues.push(queue);
        return queue;
      },
      async tamper(id, payload) {
        await first.prisma.job.update({
          where: { id },
          data: { payload: z.object({}).passthrough().parse(payload) },
        });
      },
      async inspect(id) {
        return (await first.prisma.job.findUnique({ where: { id } })) ?? undefined;
      },
      async close() {
        for (const queue of queues) await queue.close();
        for (const db of dbs.reverse()) await db.close();
        await target.cleanup();
      },
    };
  },
}));

const redisUrl = process.env.REDIS_URL || undefined;
const bullmqBackends: BackendMode[] = redisUrl
  ? [
      {
        name: "bullmq",
        async open(logger) {
          const prefix = `t_${randomBytes(6).toString("hex")}`;
          const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
          const inspector = new Queue("jobs", { connection: redis, prefix });
          const queues: JobQueue[] = [];
          return {
            async queue() {
              const queue = createBullmqJobQueue({ redisUrl, prefix, logger });
              queues.push(queue);
              return queue;
            },
            async tamper(id, payload) {
              const job = await inspector.getJob(id);
              if (!job) throw new Error(`no job ${id}`);
              await job.updateData({ ...z.object({}).passthrough().parse(job.data), payload });
            },
            async inspect(id) {
              const job = await inspector.getJob(id);
              if (!job) return undefined;
              return {
                status: await job.getState(),
                attempts: job.attemptsMade,
                lastError: job.failedReason ?? null,
              };
            },
            async close() {
              for (const queue of queues) await queue.close();
              await inspector.close();
              await redis.quit();
              await forgetPrefix(redisUrl, prefix);
            },
          };
        },
      },
    ]
  : [];

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const touch = defineJob({
  name: "test.touch",
  version: 1,
  payload: z.object({ shop: z.string(), n: z.number().int() }),
});
const flaky = defineJob({
  name: "test.flaky",
  version: 1,
  payload: z.object({ n: z.number() }),
  maxAttempts: 3,
  backoff: { baseMs: 20, maxMs: 40 },
});

describe.each([...dbBackends, ...bullmqBackends])("job queue ($name)", (mode) => {
  let backend: Backend | undefined;
  let logged: string[] = [];
  const logger: JobLogger = { error: (line) => logged.push(line) };
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
    logged = [];
  });
  async function open(): Promise<Backend> {
    backend = await mode.open(logger);
    return backend;
  }

  it("runs a job once, and the same payload enqueued twice once", async () => {
    const store = await open();
    const queue = await store.queue();
    const runs: number[] = [];
    const contexts: unknown[] = [];
    queue.register(touch, async (payload, ctx) => {
      runs.push(payload.n);
      contexts.push(ctx);
    });
    const first = await queue.enqueue(touch, { shop: "a", n: 1 }, { shop: "a.myshopify.com" });
    const again = await queue.enqueue(touch, { n: 1, shop: "a" }, { shop: "a.myshopify.com" });
    expect(first.enqueued).toBe(true);
    expect(again).toEqual({ id: first.id, enqueued: false });
    await queue.start();
    await queue.drain();
    expect(runs).toEqual([1]);
    expect(contexts).toEqual([{ jobId: first.id, attempt: 1, shop: "a.myshopify.com" }]);
    // Done work stays done (webhooks) unless the caller asks to run it again (reconciliation).
    expect((await queue.enqueue(touch, { shop: "a", n: 1 })).enqueued).toBe(false);
    await queue.drain();
    expect(runs).toEqual([1]);
    expect((await queue.enqueue(touch, { shop: "a", n: 1 }, { rerun: true })).enqueued).toBe(true);
    await waitFor(async () => runs.length === 2);
    await queue.drain();
    expect(await queue.stats()).toEqual({ queued: 0, running: 0, failed: 0, completed: 1 });
    expect(logged).toEqual([]);
  });

  it("retries a throwing handler with backoff, then keeps it failed with its error", async () => {
    const store = await open();
    const queue = await store.queue();
    const attempts: Array<{ attempt: number; at: number }> = [];
    queue.register(flaky, async (_payload, ctx) => {
      attempts.push({ attempt: ctx.attempt, at: Date.now() });
      throw new Error(`boom ${ctx.attempt}`);
    });
    const { id } = await queue.enqueue(flaky, { n: 1 });
    await queue.start();
    await waitFor(async () => (await queue.stats()).failed === 1);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(await store.inspect(id)).toMatchObject({
      status: "failed",
      lastError: expect.stringContaining("boom 3"),
    });
    expect(await queue.stats()).toMatchObject({ failed: 1, queued: 0, running: 0 });
    expect(logged).toHaveLength(3);
    expect(logged[2]).toMatch(/attempt 3\/3 failed permanently: Error: boom 3/);
  });

  it("runs many jobs in parallel across competing queues, each exactly once", async () => {
    const store = await open();
    const queues = [await store.queue(), await store.queue()];
    const runs = new Map<number, number>();
    let active = 0;
    let peak = 0;
    for (const queue of queues) {
      queue.register(touch, async ({ n }) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5 + (n % 7)));
        runs.set(n, (runs.get(n) ?? 0) + 1);
        active -= 1;
      });
    }
    const total = 60;
    for (let n = 0; n < total; n += 1) await queues[n % 2]?.enqueue(touch, { shop: "s", n });
    await Promise.all(queues.map((q) => q.start({ concurrency: 4 })));
    await waitFor(async () => runs.size === total);
    await Promise.all(queues.map((q) => q.drain()));
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(runs.size).toBe(total);
    expect(peak).toBeGreaterThan(1);
    expect((await queues[0]?.stats())?.completed).toBe(total);
  });

  it("runs a lane's jobs on workers of their own while the shared lane is busy", async () => {
    const queue = await (await open()).queue();
    const sent = defineJob({
      name: "test.send",
      version: 1,
      lane: "messages",
      payload: z.object({ n: z.number() }),
    });
    let release = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started: number[] = [];
    queue.register(touch, async ({ n }) => {
      started.push(n);
      await blocked;
    });
    const lane: number[] = [];
    queue.register(sent, async ({ n }) => {
      lane.push(n);
    });
    for (let n = 0; n < 5; n += 1) await queue.enqueue(touch, { shop: "s", n });
    await queue.start({ concurrency: 2, lanes: { messages: 1 } });
    await waitFor(async () => started.length === 2);
    // Both shared workers are held and three jobs wait behind them; the lane's job does not.
    await queue.enqueue(sent, { n: 1 });
    await queue.enqueue(sent, { n: 2 }, { delayMs: 50 });
    await waitFor(async () => lane.length === 2);
    expect(started).toHaveLength(2);
    expect(await queue.stats()).toMatchObject({ running: 2, queued: 3, completed: 2 });
    release();
    await queue.drain();
    expect([...started].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(lane).toEqual([1, 2]);
    expect(logged).toEqual([]);
  });

  it("refuses a bad payload at enqueue, naming the field", async () => {
    const queue = await (await open()).queue();
    const bad = { shop: 42, n: 1 } as unknown as { shop: string; n: number };
    await expect(queue.enqueue(touch, bad)).rejects.toThrow(JobPayloadError);
    await expect(queue.enqueue(touch, bad)).rejects.toThrow(
      /test\.touch@v1: shop: Expected string, received number/,
    );
    expect(await queue.stats()).toEqual({ queued: 0, running: 0, failed: 0, completed: 0 });
  });

  it("fails a payload tampered in storage permanently, without running the handler", async () => {
    const store = await open();
    const queue = await store.queue();
    let ran = false;
    queue.register(touch, async () => {
      ran = true;
    });
    const { id } = await queue.enqueue(touch, { shop: "a", n: 1 });
    await store.tamper(id, { shop: "a", n: "one" });
    await queue.start();
    await waitFor(async () => (await queue.stats()).failed === 1);
    expect(ran).toBe(false);
    const stored = await store.inspect(id);
    expect(stored?.status).toBe("failed");
    expect(stored?.lastError).toMatch(/Invalid payload for job test\.touch@v1: n: Expected number/);
    expect(logged).toEqual([expect.stringMatching(/failed permanently/)]);
  });

  it("fails a job of an unknown version permanently", async () => {
    const store = await open();
    const queue = await store.queue();
    queue.register(defineJob({ ...touch, version: 2 }), async () => {});
    const { id } = await queue.enqueue(touch, { shop: "a", n: 1 });
    await queue.start();
    await waitFor(async () => (await queue.stats()).failed === 1);
    expect((await store.inspect(id))?.lastError).toMatch(
      /Unknown job test\.touch@v1: no definition registered/,
    );
    expect(logged).toHaveLength(1);
  });

  it("cancelShop drops that shop's queued jobs only", async () => {
    const queue = await (await open()).queue();
    await queue.enqueue(touch, { shop: "a", n: 1 }, { shop: "a" });
    await queue.enqueue(touch, { shop: "a", n: 2 }, { shop: "a", delayMs: 60_000 });
    await queue.enqueue(touch, { shop: "b", n: 3 }, { shop: "b" });
    await queue.enqueue(touch, { shop: "b", n: 4 });
    expect(await queue.cancelShop("a")).toBe(2);
    expect(await queue.cancelShop("a")).toBe(0);
    expect((await queue.stats()).queued).toBe(2);
  });
});

describe("createJobQueue", () => {
  it("uses the database without a Redis URL, BullMQ with one", async () => {
    const mode = databaseModes[0];
    if (!mode) throw new Error("no database mode");
    const db = await mode.open();
    try {
      const dbQueue = createJobQueue({ prisma: db.prisma });
      expect(dbQueue).toBeInstanceOf(DbJobQueue);
      await dbQueue.close();
      if (redisUrl) {
        const bull = createJobQueue({
          prisma: db.prisma,
          redisUrl,
          prefix: `t_${randomBytes(6).toString("hex")}`,
        });
        expect(bull).toBeInstanceOf(BullmqJobQueue);
        expect(await bull.stats()).toEqual({ queued: 0, running: 0, failed: 0, completed: 0 });
        await bull.close();
      }
    } finally {
      await db.close();
    }
  });
});
