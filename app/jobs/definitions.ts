import { createHash } from "node:crypto";
import type { z } from "zod";

// Jobs are data: a name, a payload version and a zod schema per version. A handler is registered
// separately, so code that only enqueues never imports the handler's IO. To change a payload,
// define the same name with the next version and keep the old one registered until its jobs drain.

export interface Backoff {
  /** Delay ceiling of the first retry; doubles per attempt. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export interface JobDefinition<P> {
  readonly name: string;
  readonly version: number;
  /** Payloads must be plain JSON data: no transforms, dates or bigints (they are stored as JSON). */
  readonly payload: z.ZodType<P, z.ZodTypeDef, unknown>;
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  /** The part of the payload that makes two jobs the same work. Default: the whole payload. */
  readonly idOf?: (payload: P) => string;
  /**
   * Jobs of a lane run on workers of their own, so a backlog elsewhere never delays them (messages
   * due now must not wait behind a webhook peak). Default: the shared lane.
   */
  readonly lane?: JobLane;
}

/**
 * The lanes besides the shared one: messages due now, and calls to Shopify's Admin API that wait out
 * its throttle (a job sending a peak's segment changes can hold its worker for minutes; in the shared
 * lane, such jobs took every worker and webhooks waited).
 */
export const JOB_LANES = ["messages", "shopify"] as const;
export type JobLane = (typeof JOB_LANES)[number];

export interface JobDefinitionInput<P> {
  name: string;
  version: number;
  payload: z.ZodType<P, z.ZodTypeDef, unknown>;
  maxAttempts?: number;
  backoff?: Backoff;
  idOf?: (payload: P) => string;
  lane?: JobLane;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 5 * 60_000 };

// Letters, digits and . _ - /: no ':' (BullMQ reserves it in ids) and nothing that needs quoting.
const NAME = /^[a-z][a-z0-9._/-]{0,99}$/;

export function defineJob<P>(input: JobDefinitionInput<P>): JobDefinition<P> {
  if (!NAME.test(input.name)) {
    throw new Error(`Job name "${input.name}" must match ${NAME.source}`);
  }
  if (!Number.isInteger(input.version) || input.version < 1) {
    throw new Error(`Job "${input.name}": version must be a positive integer`);
  }
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`Job "${input.name}": maxAttempts must be a positive integer`);
  }
  const backoff = input.backoff ?? DEFAULT_BACKOFF;
  if (!(backoff.baseMs >= 0 && backoff.maxMs >= backoff.baseMs && Number.isFinite(backoff.maxMs))) {
    throw new Error(`Job "${input.name}": backoff needs 0 <= baseMs <= maxMs`);
  }
  return Object.freeze({ ...input, maxAttempts, backoff: { ...backoff } });
}

/** `name@vN`: how a definition is looked up when a job is read back. */
export const definitionKey = (name: string, version: number): string => `${name}@v${version}`;

/** JSON with object keys sorted, so equal payloads give equal ids whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("Job payloads must not hold NaN or Infinity");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const proto: unknown = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (typeof value === "object" && (proto === Object.prototype || proto === null)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`Job payloads must be plain JSON data (got ${typeof value})`);
}

/** The deterministic id of a job: enqueueing the same work twice yields the same id. */
export function jobIdFor<P>(def: JobDefinition<P>, payload: P): string {
  const key = def.idOf ? `key:${def.idOf(payload)}` : `payload:${canonicalJson(payload)}`;
  const hash = createHash("sha256").update(`${def.name}\n${def.version}\n${key}`).digest("hex");
  return `${def.name}.v${def.version}.${hash}`;
}

/**
 * Delay before retry number `attempt` (1 = first retry): exponential with full jitter, capped.
 * `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(ceiling * r), backoff.maxMs);
}

export class JobPayloadError extends Error {
  override name = "JobPayloadError";
}

/** Validates a payload; the error names each bad field, e.g. `shop: Required`. */
export function parsePayload<P>(def: JobDefinition<P>, payload: unknown): P {
  const result = def.payload.safeParse(payload);
  if (result.success) return result.data;
  const issues = result.error.issues
    // Zod quotes the received value in enum errors: not in a message that gets logged.
    .map(
      (issue) =>
        `${issue.path.length > 0 ? issue.path.join(".") : "(payload)"}: ${issue.message.replace(/, received '.*'$/, "")}`,
    )
    .join("; ");
  throw new JobPayloadError(`Invalid payload for job ${definitionKey(def.name, def.version)}: ${issues}`);
}
