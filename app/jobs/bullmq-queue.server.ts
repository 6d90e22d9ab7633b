import { randomUUID } from "node:crypto";
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { backoffDelay, DEFAULT_BACKOFF, jobIdFor, parsePayload, type JobDefinition } from "./definitions";
import { toJson } from "./json";
import {
  describeError,
  JobRegistry,
  PermanentJobError,
  stderrLogger,
  type EnqueueOptions,
  type JobHandler,
  type JobLogger,
  type JobQueue,
  type JobStats,
} from "./queue";

// The scale mode: the same definitions on BullMQ, any number of worker processes. BullMQ dedupes
// by jobId, which is the definition's deterministic id. Failed jobs stay in Redis; completed ones
// stay a week, so a redelivered webhook within Shopify's 4-hour retry window is still a no-op.

export interface BullmqJobQueueOptions {
  redisUrl: string;
  /** Namespaces every key: tests and apps sharing one Redis stay apart. Default `holiday`. */
  prefix?: string;
  logger?: JobLogger;
  /** In [0, 1): backoff jitter. */
  random?: () => number;
}

const QUEUE_NAME = "jobs";
const KEEP_COMPLETED_SECONDS = 7 * 24 * 3600;
const QUEUED_STATES = ["waiting", "delayed", "prioritized", "waiting-children"] as const;

// What the job's data holds in Redis; read back as untrusted.
const Stored = z.object({
  v: z.number().int(),
  shop: z.string().optional(),
  payload: z.unknown(),
  nonce: z.string(),
});
type Stored = z.infer<typeof Stored>;

function jobOptions(def: Pick<JobDefinition<unknown>, "maxAttempts">, jobId: string, delayMs = 0) {
  return {
    jobId,
    delay: Math.max(0, delayMs),
    attempts: def.maxAttempts,
    backoff: { type: "definition" },
    removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
    removeOnFail: false,
  };
}

function connect(url: string, logger: JobLogger): Redis {
  // BullMQ workers block on Redis: ioredis must not give up on a command while it reconnects.
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.on("error", (error: unknown) => logger.error(`redis: ${describeError(error)}`));
  return redis;
}

export class BullmqJobQueue implements JobQueue {
  private readonly options: BullmqJobQueueOptions;
  private readonly logger: JobLogger;
  private readonly random: () => number;
  private readonly registry = new JobRegistry();
  private readonly prefix: string;
  private readonly connection: Redis;
  private readonly queue: Queue<Stored, void, string>;
  private worker?: Worker<Stored, void, string>;
  private workerConnection?: Redis;

  constructor(options: BullmqJobQueueOptions) {
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.prefix = options.prefix ?? "holiday";
    this.connection = connect(options.redisUrl, this.logger);
    this.queue = new Queue<Stored, void, string>(QUEUE_NAME, {
      connection: this.connection,
      prefix: this.prefix,
    });
    this.queue.on("error", (error) => this.logger.error(`queue: ${describeError(error)}`));
  }

  async enqueue<P>(def: JobDefinition<P>, payload: P, opts: EnqueueOptions = {}) {
    const parsed = parsePayload(def, payload);
    const id = jobIdFor(def, parsed);
    if (opts.rerun) {
      const existing = await this.queue.getJob(id);
      const state = existing ? await existing.getState() : undefined;
      if (existing && (state === "completed" || state === "failed")) await existing.remove();
    }
    // A nonce tells whether this add stored the job or BullMQ kept an existing one with that id.
    const nonce = randomUUID();
    await this.queue.add(
      def.name,
      { v: def.version, shop: opts.shop, payload: toJson(parsed), nonce },
      jobOptions(def, id, opts.delayMs),
    );
    const stored = Stored.safeParse((await this.queue.getJob(id))?.data);
    return { id, enqueued: stored.success && stored.data.nonce === nonce };
  }

  async enqueueMany<P>(
    def: JobDefinition<P>,
    payloads: readonly P[],
    opts: Pick<EnqueueOptions, "shop"> = {},
  ) {
    if (payloads.length === 0) return;
    // BullMQ keeps an existing job with the same id, so a repeated id adds nothing.
    const jobs = payloads.map((payload) => {
      const parsed = parsePayload(def, payload);
      const data = { v: def.version, shop: opts.shop, payload: toJson(parsed), nonce: randomUUID() };
      return { name: def.name, data, opts: jobOptions(def, jobIdFor(def, parsed)) };
    });
    await this.queue.addBulk(jobs);
  }

  register<P>(def: JobDefinition<P>, handler: JobHandler<P>): void {
    this.registry.register(def, handler);
  }

  async start(opts: { concurrency?: number } = {}): Promise<void> {
    if (this.worker) return;
    // A worker fails jobs it has no definition for, so one without any would fail them all.
    if (this.registry.size === 0) throw new Error("Register job handlers before start()");
    this.workerConnection = connect(this.options.redisUrl, this.logger);
    this.worker = new Worker<Stored, void, string>(QUEUE_NAME, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.prefix,
      concurrency: Math.max(1, Math.floor(opts.concurrency ?? 1)),
      settings: { backoffStrategy: (attemptsMade, _type, _error, job) => this.retryDelay(attemptsMade, job) },
    });
    this.worker.on("error", (error) => this.logger.error(`worker: ${describeError(error)}`));
    await this.worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    const connection = this.workerConnection;
    this.worker = undefined;
    this.workerConnection = undefined;
    await worker?.close();
    await connection?.quit();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.queue.close();
    await this.connection.quit();
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.queue.getJobCounts("waiting", "prioritized", "active");
      const pending = Object.values(counts).reduce((sum, n) => sum + n, 0);
      if (pending === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`Job queue did not drain within ${timeoutMs} ms: ${pending} jobs due or running`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async cancelShop(shop: string): Promise<number> {
    // BullMQ has no index by shop: scan the queued jobs in pages. Uninstalls are rare.
    const page = 500;
    const ids: string[] = [];
    for (let start = 0; ; start += page) {
      const jobs = await this.queue.getJobs([...QUEUED_STATES], start, start + page - 1, true);
      for (const job of jobs) {
        const stored = Stored.safeParse(job.data);
        if (stored.success && stored.data.shop === shop && job.id) ids.push(job.id);
      }
      if (jobs.length < page) break;
    }
    let removed = 0;
    // A job that became active meanwhile is locked and is not removed: it finishes.
    for (const id of ids) removed += await this.queue.remove(id);
    return removed;
  }

  async stats(): Promise<JobStats> {
    const counts = await this.queue.getJobCounts(...QUEUED_STATES, "active", "failed", "completed");
    const get = (key: string) => counts[key] ?? 0;
    return {
      queued: QUEUED_STATES.reduce((sum, state) => sum + get(state), 0),
      running: get("active"),
      failed: get("failed"),
      completed: get("completed"),
    };
  }

  private async process(job: Job<Stored, void, string>): Promise<void> {
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    try {
      const stored = Stored.safeParse(job.data);
      if (!stored.success) throw new PermanentJobError(`Job ${job.name}: stored data is not a job envelope`);
      await this.registry.run(job.name, stored.data.v, stored.data.payload, {
        jobId: job.id ?? "",
        attempt,
        shop: stored.data.shop,
      });
    } catch (error) {
      const permanent = error instanceof PermanentJobError || attempt >= maxAttempts;
      const message = describeError(error);
      this.logger.error(
        `job ${job.name} ${job.id ?? ""} attempt ${attempt}/${maxAttempts} ` +
          `${permanent ? "failed permanently" : "failed, will retry"}: ${message}`,
      );
      if (error instanceof PermanentJobError) throw new UnrecoverableError(message);
      throw error;
    }
  }

  private retryDelay(attemptsMade: number, job: unknown): number {
    const shape = z.object({ name: z.string(), data: z.object({ v: z.number().int() }) }).safeParse(job);
    const entry = shape.success ? this.registry.get(shape.data.name, shape.data.data.v) : undefined;
    return backoffDelay(attemptsMade, entry?.backoff ?? DEFAULT_BACKOFF, this.random);
  }
}

export function createBullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  return new BullmqJobQueue(options);
}
