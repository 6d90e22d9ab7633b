import { definitionKey, parsePayload, type Backoff, type JobDefinition, type JobLane } from "./definitions";

export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  shop?: string;
}

export type JobHandler<P> = (payload: P, ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  delayMs?: number;
  /** Lets `cancelShop` find the job. */
  shop?: string;
  /**
   * Run again if the same job already completed or failed (periodic reconciliation). Never for
   * webhook work: there, a completed job must stay done. A queued or running job is never duplicated.
   */
  rerun?: boolean;
}

export interface StartOptions {
  /** jobs of the shared lane run at once; default 1 */
  concurrency?: number;
  /** jobs of each other lane run at once, on workers of their own; default `concurrency` */
  lanes?: Partial<Record<JobLane, number>>;
}

export interface JobStats {
  queued: number;
  running: number;
  failed: number;
  completed: number;
}

export interface JobQueue {
  enqueue<P>(
    def: JobDefinition<P>,
    payload: P,
    opts?: EnqueueOptions,
  ): Promise<{ id: string; enqueued: boolean }>;
  /**
   * Many jobs of one definition in one round trip (the webhook intake). As `enqueue` without
   * `rerun`: a job whose id is already queued, running or finished is left as it is.
   */
  enqueueMany<P>(
    def: JobDefinition<P>,
    payloads: readonly P[],
    opts?: Pick<EnqueueOptions, "shop">,
  ): Promise<void>;
  register<P>(def: JobDefinition<P>, handler: JobHandler<P>): void;
  /** Begin processing registered jobs: the shared lane, and each lane a registered job names. */
  start(opts?: StartOptions): Promise<void>;
  /** Finish in-flight jobs, then stop processing. Enqueueing still works. */
  stop(): Promise<void>;
  /** Wait until nothing queued is due and nothing is running (tests, demo). Rejects on timeout. */
  drain(timeoutMs?: number): Promise<void>;
  /** app/uninstalled: drop a shop's queued jobs (running ones finish). Returns how many. */
  cancelShop(shop: string): Promise<number>;
  stats(): Promise<JobStats>;
  /** `stop()`, then release what the queue itself opened (Redis connections). */
  close(): Promise<void>;
}

/** Workers for one lane: the option, else the shared lane's, at least 1. */
export function laneConcurrency(opts: StartOptions, lane?: JobLane): number {
  const wanted = (lane ? opts.lanes?.[lane] : undefined) ?? opts.concurrency ?? 1;
  return Math.max(1, Math.floor(wanted));
}

/** Where failures go. Messages never hold payloads, which may carry personal data. */
export interface JobLogger {
  error(message: string): void;
  info?(message: string): void;
}

export const stderrLogger: JobLogger = {
  error: (message) => {
    process.stderr.write(`[jobs] ${message}\n`);
  },
};

/** A job that must not be retried: unknown definition or a payload that fails its schema. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

export const ERROR_MAX_CHARS = 2_000;

/** One line, bounded: what is kept in `lastError` and logged. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, " ").slice(0, ERROR_MAX_CHARS);
}

export interface RegisteredJob {
  lane?: JobLane;
  maxAttempts: number;
  backoff: Backoff;
  /** Validates the stored payload (PermanentJobError when it fails), then runs the handler. */
  run(payload: unknown, ctx: JobContext): Promise<void>;
}

/** Definitions and handlers by name and version, as both adapters read jobs back. */
export class JobRegistry {
  private readonly entries = new Map<string, RegisteredJob>();

  register<P>(def: JobDefinition<P>, handler: JobHandler<P>): void {
    const key = definitionKey(def.name, def.version);
    if (this.entries.has(key)) throw new Error(`Job ${key} is already registered`);
    this.entries.set(key, {
      lane: def.lane,
      maxAttempts: def.maxAttempts,
      backoff: def.backoff,
      async run(payload, ctx) {
        let parsed: P;
        try {
          parsed = parsePayload(def, payload);
        } catch (error) {
          throw new PermanentJobError(describeError(error));
        }
        await handler(parsed, ctx);
      },
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The lanes of registered jobs besides the shared one, with the job names of each. */
  lanes(): Map<JobLane, string[]> {
    const lanes = new Map<JobLane, string[]>();
    for (const [key, entry] of this.entries) {
      if (!entry.lane) continue;
      const name = key.slice(0, key.lastIndexOf("@"));
      const names = lanes.get(entry.lane) ?? [];
      if (!names.includes(name)) names.push(name);
      lanes.set(entry.lane, names);
    }
    return lanes;
  }

  get(name: string, version: number): RegisteredJob | undefined {
    return this.entries.get(definitionKey(name, version));
  }

  /** Runs a stored job. An unknown definition or a bad payload throws PermanentJobError. */
  async run(name: string, version: number, payload: unknown, ctx: JobContext): Promise<void> {
    const entry = this.get(name, version);
    if (!entry) {
      throw new PermanentJobError(`Unknown job ${definitionKey(name, version)}: no definition registered`);
    }
    await entry.run(payload, ctx);
  }
}
