import { Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import { backoffDelay, jobIdFor, parsePayload, type JobDefinition } from "./definitions";
import { fromJsonText, toJson } from "./json";
import {
  describeError,
  JobRegistry,
  laneConcurrency,
  PermanentJobError,
  stderrLogger,
  type EnqueueOptions,
  type JobHandler,
  type JobLogger,
  type JobQueue,
  type JobStats,
  type StartOptions,
} from "./queue";
import { Wakeup } from "./wakeup";

// The embedded mode's durable queue: one row per job in "Job", on PGlite or PostgreSQL. Workers
// claim a due row atomically (FOR UPDATE SKIP LOCKED) under a lease; a row whose lease ran out
// (the process died) is claimed again. `attempts` counts started runs and fences every write
// back, so a worker that lost its lease cannot overwrite the new owner's result.

export interface DbJobQueueOptions {
  prisma: PrismaClient;
  logger?: JobLogger;
  /** Clock for runAt, leases and due checks. */
  now?: () => Date;
  /** In [0, 1): backoff jitter. */
  random?: () => number;
  /** How often idle workers look for due jobs (another process may have enqueued). Default 100. */
  pollIntervalMs?: number;
  /** How long a claim holds without renewal; renewed every third of it while the handler runs. */
  leaseMs?: number;
}

const ClaimedRow = z.object({
  id: z.string(),
  name: z.string(),
  version: z.coerce.number().int(),
  shop: z.string().nullable(),
  payload: z.string(),
  attempts: z.coerce.number().int(),
  maxAttempts: z.coerce.number().int(),
});
type Claimed = z.infer<typeof ClaimedRow>;

const LEASE_LOST = "lease expired: the worker stopped during the last attempt";

const ts = (date: Date) => date.toISOString();

export class DbJobQueue implements JobQueue {
  private readonly prisma: PrismaClient;
  private readonly logger: JobLogger;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly registry = new JobRegistry();
  private readonly wakeup = new Wakeup();
  private workers: Promise<void>[] = [];
  private stopping = false;
  private lastSweep = 0;

  constructor(options: DbJobQueueOptions) {
    this.prisma = options.prisma;
    this.logger = options.logger ?? stderrLogger;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  async enqueue<P>(def: JobDefinition<P>, payload: P, opts: EnqueueOptions = {}) {
    const parsed = parsePayload(def, payload);
    const id = jobIdFor(def, parsed);
    const stored = toJson(parsed);
    if (stored === null) throw new TypeError(`Job ${def.name}: payload must not be null`);
    const runAt = new Date(this.now().getTime() + Math.max(0, opts.delayMs ?? 0));
    const fields = { payload: stored, shop: opts.shop ?? null, maxAttempts: def.maxAttempts, runAt };
    const created = await this.prisma.job.createMany({
      data: [{ id, name: def.name, version: def.version, status: "queued", ...fields }],
      skipDuplicates: true,
    });
    let enqueued = created.count === 1;
    if (!enqueued && opts.rerun) {
      const reset = await this.prisma.job.updateMany({
        where: { id, status: { in: ["completed", "failed"] } },
        data: { ...fields, status: "queued", attempts: 0, lockedUntil: null, lastError: null },
      });
      enqueued = reset.count === 1;
    }
    if (enqueued) this.wakeup.wake();
    return { id, enqueued };
  }

  async enqueueMany<P>(
    def: JobDefinition<P>,
    payloads: readonly P[],
    opts: Pick<EnqueueOptions, "shop"> = {},
  ) {
    if (payloads.length === 0) return;
    const runAt = this.now();
    const data = payloads.map((payload) => {
      const parsed = parsePayload(def, payload);
      const stored = toJson(parsed);
      if (stored === null) throw new TypeError(`Job ${def.name}: payload must not be null`);
      const id = jobIdFor(def, parsed);
      return {
        id,
        name: def.name,
        version: def.version,
        status: "queued",
        payload: stored,
        shop: opts.shop ?? null,
        maxAttempts: def.maxAttempts,
        runAt,
      };
    });
    const created = await this.prisma.job.createMany({ data, skipDuplicates: true });
    if (created.count > 0) this.wakeup.wake();
  }

  register<P>(def: JobDefinition<P>, handler: JobHandler<P>): void {
    this.registry.register(def, handler);
  }

  async start(opts: StartOptions = {}): Promise<void> {
    if (this.workers.length > 0) return;
    // A worker fails jobs it has no definition for, so one without any would fail them all.
    if (this.registry.size === 0) throw new Error("Register job handlers before start()");
    this.stopping = false;
    // The shared lane's workers take every job but the lanes' (unknown names included, to fail them).
    const lanes = this.registry.lanes();
    const laneNames = [...lanes.values()].flat();
    const shared =
      laneNames.length > 0 ? Prisma.sql`AND name NOT IN (${Prisma.join(laneNames)})` : Prisma.empty;
    const workers = Array.from({ length: laneConcurrency(opts) }, () => this.work(shared));
    for (const [lane, names] of lanes) {
      const only = Prisma.sql`AND name IN (${Prisma.join(names)})`;
      workers.push(...Array.from({ length: laneConcurrency(opts, lane) }, () => this.work(only)));
    }
    this.workers = workers;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.wake();
    await Promise.all(this.workers);
    this.workers = [];
  }

  close(): Promise<void> {
    return this.stop();
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = await this.prisma.job.count({
        where: { OR: [{ status: "queued", runAt: { lte: this.now() } }, { status: "running" }] },
      });
      if (pending === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`Job queue did not drain within ${timeoutMs} ms: ${pending} jobs due or running`);
      }
      this.wakeup.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async cancelShop(shop: string): Promise<number> {
    const { count } = await this.prisma.job.deleteMany({ where: { shop, status: "queued" } });
    return count;
  }

  async stats(): Promise<JobStats> {
    const groups = await this.prisma.job.groupBy({ by: ["status"], _count: { _all: true } });
    const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
    return {
      queued: count("queued"),
      running: count("running"),
      failed: count("failed"),
      completed: count("completed"),
    };
  }

  private async work(names: Prisma.Sql): Promise<void> {
    while (!this.stopping) {
      let job: Claimed | undefined;
      try {
        await this.failAbandoned();
        job = await this.claim(names);
      } catch (error) {
        this.logger.error(`claiming a job failed: ${describeError(error)}`);
      }
      if (job) await this.process(job);
      else await this.wakeup.sleep(this.pollIntervalMs);
    }
  }

  private async claim(names: Prisma.Sql): Promise<Claimed | undefined> {
    const now = this.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    const rows = await this.prisma.$queryRaw<unknown[]>`
      UPDATE "Job" SET status = 'running', attempts = attempts + 1,
        "lockedUntil" = ${ts(lease)}::timestamp, "updatedAt" = ${ts(now)}::timestamp
      WHERE id = (
        SELECT id FROM "Job"
        WHERE ((status = 'queued' AND "runAt" <= ${ts(now)}::timestamp)
           OR (status = 'running' AND "lockedUntil" < ${ts(now)}::timestamp AND attempts < "maxAttempts"))
          ${names}
        ORDER BY "runAt" LIMIT 1
        FOR UPDATE SKIP LOCKED)
      RETURNING id, name, version, shop, payload::text AS payload, attempts, "maxAttempts"`;
    return rows[0] === undefined ? undefined : ClaimedRow.parse(rows[0]);
  }

  /** A lease that ran out on the last attempt is not retried: the job may crash the process. */
  private async failAbandoned(): Promise<void> {
    // Rare by nature: once a second per queue is plenty, whatever the concurrency.
    if (Date.now() - this.lastSweep < 1_000) return;
    this.lastSweep = Date.now();
    const now = this.now();
    await this.prisma.job.updateMany({
      where: {
        status: "running",
        lockedUntil: { lt: now },
        attempts: { gte: this.prisma.job.fields.maxAttempts },
      },
      data: { status: "failed", lockedUntil: null, lastError: LEASE_LOST },
    });
  }

  private async process(job: Claimed): Promise<void> {
    const fence = { id: job.id, status: "running", attempts: job.attempts } satisfies Prisma.JobWhereInput;
    const heartbeat = setInterval(
      () => {
        const lockedUntil = new Date(this.now().getTime() + this.leaseMs);
        this.prisma.job.updateMany({ where: fence, data: { lockedUntil } }).catch((error: unknown) => {
          this.logger.error(`renewing the lease of job ${job.id} failed: ${describeError(error)}`);
        });
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      const payload = fromJsonText(job.payload);
      await this.registry.run(job.name, job.version, payload, {
        jobId: job.id,
        attempt: job.attempts,
        shop: job.shop ?? undefined,
      });
      clearInterval(heartbeat);
      await this.prisma.job.updateMany({
        where: fence,
        data: { status: "completed", lockedUntil: null, lastError: null },
      });
    } catch (error) {
      clearInterval(heartbeat);
      await this.recordFailure(job, fence, error).catch((writeError: unknown) => {
        this.logger.error(`recording the failure of job ${job.id} failed: ${describeError(writeError)}`);
      });
    }
  }

  private async recordFailure(job: Claimed, fence: Prisma.JobWhereInput, error: unknown): Promise<void> {
    const lastError = describeError(error);
    const permanent = error instanceof PermanentJobError || job.attempts >= job.maxAttempts;
    this.logger.error(
      `job ${job.name}@v${job.version} ${job.id} attempt ${job.attempts}/${job.maxAttempts} ` +
        `${permanent ? "failed permanently" : "failed, will retry"}: ${lastError}`,
    );
    if (permanent) {
      await this.prisma.job.updateMany({
        where: fence,
        data: { status: "failed", lockedUntil: null, lastError },
      });
      return;
    }
    const backoff = this.registry.get(job.name, job.version)?.backoff ?? { baseMs: 1_000, maxMs: 60_000 };
    const runAt = new Date(this.now().getTime() + backoffDelay(job.attempts, backoff, this.random));
    await this.prisma.job.updateMany({
      where: fence,
      data: { status: "queued", lockedUntil: null, lastError, runAt },
    });
  }
}

export function createDbJobQueue(options: DbJobQueueOptions): JobQueue {
  return new DbJobQueue(options);
}
