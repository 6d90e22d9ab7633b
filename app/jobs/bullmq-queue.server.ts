import { randomUUID } from "node:crypto";
import { Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  JOB_LANES,
  jobIdFor,
  parsePayload,
  type JobDefinition,
  type JobLane,
} from "./definitions";
import { toJson } from "./json";
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

// The scale mode: the same definitions on BullMQ, any number of worker processes. BullMQ dedupes
// by jobId, which is the definition's deterministic id. Failed jobs stay in Redis; completed ones
// stay a week, so a redelivered webhook within Shopify's 4-hour retry window is still a no-op.
// Each lane is a BullMQ queue of its own (`jobs-messages`) with its own workers.

export interface BullmqJobQueueOptions {
  redisUrl: string;
  /** Namespaces every key: tests and apps sharing one Redis stay apart. Default `holiday`. */
  prefix?: string;
  logger?: JobLogger;
  /** In [0, 1): backoff jitter. */
  random?: () => number;
}

const QUEUE_NAME = "jobs";
/** The BullMQ queue a lane's jobs go to. */
export const queueNameOf = (lane?: JobLane): string => (lane ? `${QUEUE_NAME}-${lane}` : QUEUE_NAME);
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
  private readonly queues = new Map<string, Queue<Stored, void, string>>();
  private workers: Array<{ worker: Worker<Stored, void, string>; connection: Redis }> = [];

  constructor(options: BullmqJobQueueOptions) {
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.prefix = options.prefix ?? "holiday";
    this.connection = connect(options.redisUrl, this.logger);
    for (const name of [queueNameOf(), ...JOB_LANES.map(queueNameOf)]) {
      const queue = new Queue<Stored, void, string>(name, {
        connection: this.connection,
        prefix: this.prefix,
      });
      queue.on("error", (error) => this.logger.error(`queue ${name}: ${describeError(error)}`));
      this.queues.set(name, queue);
    }
  }

  private queueOf(lane?: JobLane): Queue<Stored, void, string> {
    const queue = this.queues.get(queueNameOf(lane));
    if (!queue) throw new Error(`No job queue for lane ${lane ?? "shared"}`);
    return queue;
  }

  async enqueue<P>(def: JobDefinition<P>, payload: P, opts: EnqueueOptions = {}) {
    const parsed = parsePayload(def, payload);
    const id = jobIdFor(def, parsed);
    const queue = this.queueOf(def.lane);
    if (opts.rerun) {
      const existing = await queue.getJob(id);
      const state = existing ? await existing.getState() : undefined;
      if (existing && (state === "completed" || state === "failed")) await existing.remove();
    }
    // A nonce tells whether this add stored the job or BullMQ kept an existing one with that id.
    const nonce = randomUUID();
    await queue.add(
      def.name,
      { v: def.version, shop: opts.shop, payload: toJson(parsed), nonce },
      jobOptions(def, id, opts.delayMs),
    );
    const stored = Stored.safeParse((await queue.getJob(id))?.data);
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
    await this.queueOf(def.lane).addBulk(jobs);
  }

  register<P>(def: JobDefinition<P>, handler: JobHandler<P>): void {
    this.registry.register(def, handler);
  }

  async start(opts: StartOptions = {}): Promise<void> {
    if (this.workers.length > 0) return;
    // A worker fails jobs it has no definition for, so one without any would fail them all.
    if (this.registry.size === 0) throw new Error("Register job handlers before start()");
    const lanes: Array<JobLane | undefined> = [undefined, ...this.registry.lanes().keys()];
    for (const lane of lanes) {
      const name = queueNameOf(lane);
      const connection = connect(this.options.redisUrl, this.logger);
      const worker = new Worker<Stored, void, string>(name, (job) => this.process(job), {
        connection,
        prefix: this.prefix,
        concurrency: laneConcurrency(opts, lane),
        settings: {
          backoffStrategy: (attemptsMade, _type, _error, job) => this.retryDelay(attemptsMade, job),
        },
      });
      worker.on("error", (error) => this.logger.error(`worker ${name}: ${describeError(error)}`));
      this.workers.push({ worker, connection });
    }
    await Promise.all(this.workers.map(({ worker }) => worker.waitUntilReady()));
  }

  async stop(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map(({ worker }) => worker.close()));
    await Promise.all(workers.map(({ connection }) => connection.quit()));
  }

  async close(): Promise<void> {
    await this.stop();
    for (const queue of this.queues.values()) await queue.close();
    await this.connection.quit();
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let pending = 0;
      for (const queue of this.queues.values()) {
        const counts = await queue.getJobCounts("waiting", "prioritized", "active");
        pending += Object.values(counts).reduce((sum, n) => sum + n, 0);
      }
      if (pending === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`Job queue did not drain within ${timeoutMs} ms: ${pending} jobs due or running`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async cancelShop(shop: string): Promise<number> {
    let removed = 0;
    for (const queue of this.queues.values()) removed += await cancelShopIn(queue, shop);
    return removed;
  }

  async stats(): Promise<JobStats> {
    const total: JobStats = { queued: 0, running: 0, failed: 0, completed: 0 };
    for (const queue of this.queues.values()) {
      const counts = await queue.getJobCounts(...QUEUED_STATES, "active", "failed", "completed");
      const get = (key: string) => counts[key] ?? 0;
      total.queued += QUEUED_STATES.reduce((sum, state) => sum + get(state), 0);
      total.running += get("active");
      total.failed += get("failed");
      total.completed += get("completed");
    }
    return total;
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

/** Removes one queue's queued jobs of a shop; BullMQ has no index by shop, so it scans in pages. */
async function cancelShopIn(queue: Queue<Stored, void, string>, shop: string): Promise<number> {
  const page = 500;
  const ids: string[] = [];
  for (let start = 0; ; start += page) {
    const jobs = await queue.getJobs([...QUEUED_STATES], start, start + page - 1, true);
    for (const job of jobs) {
      const stored = Stored.safeParse(job.data);
      if (stored.success && stored.data.shop === shop && job.id) ids.push(job.id);
    }
    if (jobs.length < page) break;
  }
  let removed = 0;
  // A job that became active meanwhile is locked and is not removed: it finishes.
  for (const id of ids) removed += await queue.remove(id);
  return removed;
}

export function createBullmqJobQueue(options: BullmqJobQueueOptions): JobQueue {
  return new BullmqJobQueue(options);
}
