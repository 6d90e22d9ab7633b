import type { PrismaClient } from "@prisma/client";
import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import { createBullmqJobQueue } from "./bullmq-queue.server";
import { createDbJobQueue } from "./db-queue.server";
import type { JobLogger, JobQueue } from "./queue";

export {
  defineJob,
  jobIdFor,
  backoffDelay,
  JobPayloadError,
  type JobDefinition,
  type Backoff,
} from "./definitions";
export {
  PermanentJobError,
  type JobQueue,
  type JobHandler,
  type JobContext,
  type JobLogger,
  type JobStats,
  type EnqueueOptions,
} from "./queue";

export interface CreateJobQueueOptions {
  prisma: PrismaClient;
  /** BullMQ on this Redis; without it, the durable queue in the database. */
  redisUrl?: string;
  /** BullMQ key prefix, so tests and apps sharing a Redis stay apart. Default `holiday`. */
  prefix?: string;
  logger?: JobLogger;
}

/** For tests and scripts. The app uses `getJobQueue()`. */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  if (options.redisUrl) {
    return createBullmqJobQueue({
      redisUrl: options.redisUrl,
      prefix: options.prefix,
      logger: options.logger,
    });
  }
  return createDbJobQueue({ prisma: options.prisma, logger: options.logger });
}

declare global {
  // Survives Vite dev HMR: one queue (and one set of workers) per process.
  var __holidaySegmentsJobQueue: JobQueue | undefined;
}

/** The process's queue: BullMQ when REDIS_URL is set, else the database queue on `prisma`. */
export function getJobQueue(): JobQueue {
  const env = getEnv();
  globalThis.__holidaySegmentsJobQueue ??= createJobQueue({
    prisma,
    redisUrl: env.REDIS_URL,
    prefix: env.REDIS_PREFIX,
  });
  return globalThis.__holidaySegmentsJobQueue;
}
