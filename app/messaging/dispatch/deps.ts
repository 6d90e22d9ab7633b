import type { PrismaClient } from "@prisma/client";
import type { JobQueue } from "../../jobs/queue";
import type { DispatchContext } from "./context.server";
import type { Coordination } from "./coordination";
import type { DispatchChannel } from "./jobs";
import type { MessageSource } from "./source";

// What the dispatch stage runs on, handed in (worker.server.ts builds it from the environment;
// tests build their own).

export interface DispatchOptions {
  /** lanes (concurrent jobs) per campaign and channel: workers share a campaign's sending */
  lanes: number;
  /** how long a claimed row stays ours; renewed while its batch runs */
  leaseMs: number;
  /** a lane whose chain has not ticked for this long is revived by the sweep */
  laneTtlMs: number;
  /** a tick sends batches for about this long, then the next tick is queued */
  tickBudgetMs: number;
  /** a lane's batch is this many seconds of the channel's rate (at most `maxBatch` rows) */
  batchSeconds: number;
  maxBatch: number;
  /** how stale a lane's view of its campaign's status may be (pause latency) */
  statusCheckMs: number;
  sweepMs: number;
  channelTimeoutMs: number;
  /** the longest a lane waits for a future send before looking again */
  maxDelayMs: number;
}

export const DEFAULT_DISPATCH_OPTIONS: DispatchOptions = Object.freeze({
  lanes: 2,
  leaseMs: 15_000,
  laneTtlMs: 20_000,
  tickBudgetMs: 3_000,
  batchSeconds: 2,
  maxBatch: 500,
  statusCheckMs: 200,
  sweepMs: 2_000,
  channelTimeoutMs: 10_000,
  maxDelayMs: 5 * 60_000,
});

export type DispatchLogFields = Record<string, string | number | boolean | null | undefined>;
/** Ids and counts only: never addresses, message content or settings. */
export type DispatchLog = (level: "info" | "warn", message: string, fields?: DispatchLogFields) => void;

export interface DispatchDeps {
  prisma: PrismaClient;
  queue: JobQueue;
  coordination: Coordination;
  context: DispatchContext;
  /** what queued the messages: their status, content and lifecycle */
  source: MessageSource;
  unsubscribeSecret: string | Uint8Array;
  /** signs messages' tracked links and open pixels; messages go untracked without it */
  trackingSecret?: Uint8Array;
  /** SHOPIFY_APP_URL: unsubscribe links are `${appUrl}/unsubscribe/<token>` */
  appUrl: string;
  log: DispatchLog;
  now: () => Date;
  random: () => number;
  options: DispatchOptions;
  /** consecutive retry answers per limit in this process */
  streaks: Map<string, { count: number }>;
}

export const laneKey = (campaignId: string, channel: DispatchChannel, lane: number) =>
  `${campaignId}:${channel}:${lane}`;
export const rateKey = (shop: string, channel: DispatchChannel) => `${shop}:${channel}`;
