import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDatabase, type Database } from "~/db.server";
import { createDbJobQueue } from "~/jobs/db-queue.server";
import { defineJob } from "~/jobs/definitions";
import type { JobContext, JobLogger, JobQueue } from "~/jobs/queue";
import { databaseModes, type DatabaseTarget } from "./helpers/db";

// What only the database queue promises: jobs outlive the process, a crashed worker's lease
// runs out and the job is taken again, and retries wait on the (injectable) clock.

const note = defineJob({
  name: "test.note",
  version: 1,
  payload: z.object({ n: z.number().int() }),
  maxAttempts: 3,
  backoff: { baseMs: 1_000, maxMs: 4_000 },
});

describe.each(databaseModes)("db job queue ($name)", (mode) => {
  const cleanups: Array<() => Promise<void>> = [];
  const logged: string[] = [];
  const logger: JobLogger = { error: (line) => logged.push(line) };
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    logged.length = 0;
  });
  async function target(): Promise<DatabaseTarget> {
    const t = await mode.target();
    cleanups.push(() => t.cleanup());
    return t;
  }
  async function open(t: DatabaseTarget): Promise<Database> {
    const db = await createDatabase(t);
    cleanups.push(() => db.close());
    return db;
  }
  function queueOn(db: Database, options: { now?: () => Date; leaseMs?: number } = {}): JobQueue {
    const queue = createDbJobQueue({ prisma: db.prisma, logger, pollIntervalMs: 20, random: () => 0.5, ...options });
    cleanups.push(() => queue.close());
    return queue;
  }

  it("keeps a queued job across a restart and runs it after", async () => {
    const t = await target();
    const before = await createDatabase(t);
    const { id } = await createDbJobQueue({ prisma: before.prisma, logger }).enqueue(note, { n: 7 });
    await before.close();

    const after = await open(t);
    const queue = queueOn(after);
    const seen: number[] = [];
    queue.register(note, async ({ n }) => {
      seen.push(n);
    });
    await queue.start();
    await queue.drain();
    expect(seen).toEqual([7]);
    expect(await after.prisma.job.findUnique({ where: { id } })).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("takes back a job whose worker died holding its lease", async () => {
    const db = await open(await target());
    const queue = queueOn(db);
    const contexts: JobContext[] = [];
    queue.register(note, async (_payload, ctx) => {
      contexts.push(ctx);
    });
    const { id } = await queue.enqueue(note, { n: 1 });
    // As a process that claimed the job and died would leave it.
    await db.prisma.job.update({
      where: { id },
      data: { status: "running", attempts: 1, lockedUntil: new Date(Date.now() - 1_000) },
    });
    const lastTry = await queue.enqueue(note, { n: 2 });
    await db.prisma.job.update({
      where: { id: lastTry.id },
      data: { status: "running", attempts: 3, lockedUntil: new Date(Date.now() - 1_000) },
    });
    await queue.start();
    await queue.drain();
    expect(contexts).toEqual([{ jobId: id, attempt: 2, shop: undefined }]);
    expect(await db.prisma.job.findUnique({ where: { id } })).toMatchObject({ status: "completed", lockedUntil: null });
    // The lease ran out on the last attempt: not run again (it may be what crashed the process).
    expect(await db.prisma.job.findUnique({ where: { id: lastTry.id } })).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(/lease expired/),
    });
  });

  it("does not take a job whose lease is still held, and renews the lease of a long job", async () => {
    const db = await open(await target());
    // A lease of 1 s, renewed every third of it: long enough that a busy CI machine delaying one
    // renewal by a few hundred ms does not let it lapse.
    const queue = queueOn(db, { leaseMs: 1_000 });
    let release: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    cleanups.push(async () => release());
    let held = 0;
    let taken = 0;
    queue.register(note, async () => {
      held += 1;
      await running;
    });
    const { id } = await queue.enqueue(note, { n: 1 });
    await queue.start();
    while (held === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const other = queueOn(db, { leaseMs: 1_000 });
    other.register(note, async () => {
      taken += 1;
    });
    await other.start({ concurrency: 2 });
    // Several lease lengths pass: renewal keeps the other worker away.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect([held, taken]).toEqual([1, 0]);
    expect((await db.prisma.job.findUnique({ where: { id } }))?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
    release();
    await queue.drain();
    expect([held, taken]).toEqual([1, 0]);
  });

  it("schedules retries on the injected clock with the definition's backoff", async () => {
    const db = await open(await target());
    let now = new Date("2025-11-28T00:00:00.000Z");
    const queue = queueOn(db, { now: () => now });
    const attempts: number[] = [];
    queue.register(note, async (_payload, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error("not yet");
    });
    const { id } = await queue.enqueue(note, { n: 1 });
    await queue.start();
    await queue.drain();
    // random 0.5: the first retry waits half of baseMs.
    expect(await db.prisma.job.findUnique({ where: { id } })).toMatchObject({
      status: "queued",
      attempts: 1,
      runAt: new Date("2025-11-28T00:00:00.500Z"),
      lastError: "Error: not yet",
    });
    now = new Date("2025-11-28T00:00:00.499Z");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toEqual([1]);
    now = new Date("2025-11-28T00:00:00.500Z");
    await queue.drain();
    expect((await db.prisma.job.findUnique({ where: { id } }))?.runAt).toEqual(new Date("2025-11-28T00:00:01.500Z"));
    now = new Date("2025-11-28T00:01:00.000Z");
    await queue.drain();
    expect(attempts).toEqual([1, 2, 3]);
    expect(await db.prisma.job.findUnique({ where: { id } })).toMatchObject({ status: "completed", lastError: null });
    expect(logged).toHaveLength(2);
  });

  it("stop() lets a running job finish", async () => {
    const db = await open(await target());
    const queue = queueOn(db);
    let finished = false;
    queue.register(note, async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      finished = true;
    });
    const { id } = await queue.enqueue(note, { n: 1 });
    await queue.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await queue.stop();
    expect(finished).toBe(true);
    expect((await db.prisma.job.findUnique({ where: { id } }))?.status).toBe("completed");
  });
});
