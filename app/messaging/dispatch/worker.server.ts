import type { PrismaClient } from "@prisma/client";
import { prisma } from "../../db.server";
import { getEnv } from "../../env.server";
import type { JobQueue } from "../../jobs/queue";
import { logger } from "../../logger.server";
import { getSecretBox, getTrackingSecret, getUnsubscribeSecret } from "../../secrets.server";
import type { NetworkPolicy } from "../channels/destination";
import { channelNetworkPolicy } from "../channels/network-policy.server";
import { DispatchContext } from "./context.server";
import { createMemoryCoordination, type Coordination } from "./coordination";
import { createRedisCoordination } from "./coordination-redis.server";
import { DEFAULT_DISPATCH_OPTIONS, type DispatchDeps, type DispatchLog, type DispatchOptions } from "./deps";
import { dispatchLaneJob } from "./jobs";
import { runLaneTick } from "./lane.server";
import type { MessageSource } from "./source";
import { reviveCampaign, sweep, type SweepReport } from "./sweep.server";

// The dispatcher of one process: registers the `campaign.dispatch` handler on the queue and runs
// the sweep every `sweepMs`. `startDispatch` builds it from the environment for
// app/worker.server.ts; tests and benchmarks use `createDispatcher` with their own parts.

export interface DispatcherInput {
  prisma: PrismaClient;
  queue: JobQueue;
  coordination: Coordination;
  /** what queued the messages (campaigns) */
  source: MessageSource;
  /** opens ChannelConfig.sealed with the context `${shop}:${channel}` */
  openSealed: (sealed: string, context: string) => string;
  unsubscribeSecret: string | Uint8Array;
  /** signs tracked links and open pixels; messages go untracked without it */
  trackingSecret?: Uint8Array;
  appUrl: string;
  /** where channels may connect (network-policy.server.ts) */
  network: NetworkPolicy;
  log?: DispatchLog;
  now?: () => Date;
  random?: () => number;
  options?: Partial<DispatchOptions>;
}

export interface Dispatcher {
  readonly deps: DispatchDeps;
  /** registers the job handler: before `queue.start()` */
  register(): void;
  /** starts the periodic sweep (and runs one now) */
  start(): void;
  sweep(): Promise<SweepReport>;
  /** starts a campaign's lanes now (after scheduling or resuming) */
  kick(shop: string, campaignId: string): Promise<unknown>;
  /** stops sweeping and closes channels and the coordination store; stop the queue first */
  stop(): Promise<void>;
}

export function createDispatcher(input: DispatcherInput): Dispatcher {
  const options = { ...DEFAULT_DISPATCH_OPTIONS, ...input.options };
  const deps: DispatchDeps = {
    prisma: input.prisma,
    queue: input.queue,
    coordination: input.coordination,
    source: input.source,
    context: new DispatchContext({
      prisma: input.prisma,
      openSealed: input.openSealed,
      channelTimeoutMs: options.channelTimeoutMs,
      network: input.network,
      appUrl: input.appUrl,
    }),
    unsubscribeSecret: input.unsubscribeSecret,
    ...(input.trackingSecret ? { trackingSecret: input.trackingSecret } : {}),
    appUrl: input.appUrl,
    log: input.log ?? (() => undefined),
    now: input.now ?? (() => new Date()),
    random: input.random ?? Math.random,
    options,
    streaks: new Map(),
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const runSweep = () => {
    running = sweep(deps).catch((error: unknown) =>
      deps.log("warn", "dispatch sweep failed", {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    return running;
  };
  return {
    deps,
    register() {
      input.queue.register(dispatchLaneJob, async (payload) => {
        await runLaneTick(deps, payload);
      });
    },
    start() {
      if (timer) return;
      void runSweep();
      timer = setInterval(() => void running.then(runSweep), options.sweepMs);
      timer.unref();
    },
    sweep: () => sweep(deps),
    kick: (shop, campaignId) => reviveCampaign(deps, shop, campaignId),
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      await deps.context.close();
      await deps.coordination.close();
    },
  };
}

let current: Dispatcher | undefined;

/** The process's dispatcher on the app's database, queue and secrets; registers its handler. */
export function startDispatch(queue: JobQueue, source: MessageSource): Dispatcher {
  if (current) return current;
  const env = getEnv();
  const log: DispatchLog = (level, message, fields) => logger[level](message, fields);
  current = createDispatcher({
    prisma,
    queue,
    source,
    coordination: env.REDIS_URL
      ? createRedisCoordination({
          redisUrl: env.REDIS_URL,
          prefix: env.REDIS_PREFIX,
          onError: (message) => logger.warn(message),
        })
      : createMemoryCoordination(),
    openSealed: (sealed, context) => getSecretBox().decrypt(sealed, context),
    unsubscribeSecret: getUnsubscribeSecret(),
    trackingSecret: getTrackingSecret(),
    appUrl: env.SHOPIFY_APP_URL,
    network: channelNetworkPolicy(env),
    log,
  });
  current.register();
  return current;
}

export async function stopDispatch(): Promise<void> {
  const dispatcher = current;
  current = undefined;
  await dispatcher?.stop();
}

/** The running dispatcher, for routes that pause, resume or schedule campaigns (may be none). */
export function currentDispatcher(): Dispatcher | undefined {
  return current;
}
