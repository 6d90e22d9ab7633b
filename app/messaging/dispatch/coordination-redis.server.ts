import { Redis } from "ioredis";
import { z } from "zod";
import { HORIZON_MS, type Coordination } from "./coordination";

// The scale mode's coordination (coordination.ts) in the queue's Redis, under `<prefix>:dispatch:`.
// Each rate limit is one key holding its next free slot; Redis's own clock (TIME) is the only
// clock, so workers on machines whose clocks disagree still share one schedule.

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0`;

const RESERVE = `${NOW}
local n = tonumber(ARGV[1])
local interval = 1000 / tonumber(ARGV[2])
local horizon = tonumber(ARGV[3])
if tat < now then tat = now end
local room = math.ceil((now + horizon - tat) / interval)
if room < 0 then room = 0 end
local granted = math.min(n, room)
local start = tat - now
if granted == 0 then start = tat - now - horizon + 1 end
local nextTat = tat + granted * interval
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now + 60000))
return {granted, string.format('%.3f', start)}`;

const HOLD = `${NOW}
local want = now + tonumber(ARGV[1])
if want > tat then tat = want end
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now + 60000))
return 1`;

const RENEW = `local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

const Reserved = z.tuple([z.coerce.number().int().nonnegative(), z.coerce.number()]);

export interface RedisCoordinationOptions {
  redisUrl: string;
  /** the queue's prefix (REDIS_PREFIX), so deployments sharing a Redis stay apart */
  prefix: string;
  onError?: (message: string) => void;
}

export function createRedisCoordination(options: RedisCoordinationOptions): Coordination {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on("error", (error: unknown) =>
    options.onError?.(`dispatch redis: ${error instanceof Error ? error.message : String(error)}`),
  );
  const key = (name: string) => `${options.prefix}:dispatch:${name}`;
  return {
    async reserve(name, n, ratePerSecond) {
      const rate = Math.max(ratePerSecond, 0.001);
      const raw = await redis.eval(RESERVE, 1, key(`rate:${name}`), Math.floor(n), rate, HORIZON_MS);
      const [granted, startInMs] = Reserved.parse(raw);
      return { granted, startInMs, intervalMs: 1000 / rate };
    },
    async hold(name, ms) {
      await redis.eval(HOLD, 1, key(`rate:${name}`), Math.max(0, Math.round(ms)));
    },
    async claimLane(lane, chain, ttlMs) {
      return (await redis.set(key(`lane:${lane}`), chain, "PX", Math.round(ttlMs), "NX")) === "OK";
    },
    async renewLane(lane, chain, ttlMs) {
      return (await redis.eval(RENEW, 1, key(`lane:${lane}`), chain, Math.round(ttlMs))) === 1;
    },
    async releaseLane(lane, chain) {
      await redis.eval(RELEASE, 1, key(`lane:${lane}`), chain);
    },
    async heldLanes(lanes) {
      if (lanes.length === 0) return [];
      const values = await redis.mget(...lanes.map((lane) => key(`lane:${lane}`)));
      return values.map((value) => value !== null);
    },
    async close() {
      await redis.quit();
    },
  };
}
