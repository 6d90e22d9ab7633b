// What the workers of one deployment share while dispatching: the send slots of each per-shop,
// per-channel rate limit, and which chain owns each lane. Redis holds it in the scale mode
// (coordination-redis.server.ts); in the embedded mode there is one process and it lives in memory.
//
// Rate limits are a reservation form of GCRA: the limit keeps the time of its next free slot
// (`tat`); a caller takes up to n slots `interval` apart starting there, but never slots more than
// `HORIZON_MS` ahead of now, and sends each message no earlier than its slot. Slots never
// overlap, so any window of W ms holds at most W / interval + 1 sends, whoever sends them; late
// sends only lower the rate.

export interface Reservation {
  /** slots granted, 0 to the number asked */
  granted: number;
  /** the first slot, in ms from now; with nothing granted, when asking again is worthwhile */
  startInMs: number;
  /** the slots are this many ms apart */
  intervalMs: number;
}

/**
 * How far ahead slots are handed out. Short, so a worker that stalls (CPU contention, a long
 * query) holds little of the limit: slots it cannot use in time are lost, and what nobody holds
 * goes to whichever worker asks next.
 */
export const HORIZON_MS = 100;

/** Takes up to `n` slots from a limit whose next free slot is `tat` (ms). Pure. */
export function reserveSlots(
  tat: number,
  now: number,
  n: number,
  ratePerSecond: number,
  horizonMs = HORIZON_MS,
): { tat: number; reservation: Reservation } {
  const intervalMs = 1000 / Math.max(ratePerSecond, 0.001);
  const next = Math.max(tat, now);
  const room = Math.max(0, Math.ceil((now + horizonMs - next) / intervalMs));
  const granted = Math.max(0, Math.min(Math.floor(n), room));
  const startInMs = granted > 0 ? next - now : next - now - horizonMs + 1;
  return { tat: next + granted * intervalMs, reservation: { granted, startInMs, intervalMs } };
}

export interface Coordination {
  /** Up to `n` send slots of a limit (key: shop and channel), shared by every worker. */
  reserve(key: string, n: number, ratePerSecond: number): Promise<Reservation>;
  /** No slot of the limit within the next `ms` (the provider asked us to slow down). */
  hold(key: string, ms: number): Promise<void>;
  /** The sweep takes a lane nobody holds for a new chain; false when someone holds it. */
  claimLane(lane: string, chain: string, ttlMs: number): Promise<boolean>;
  /**
   * A tick of `chain`: true, and the lane held `ttlMs` from now, when the lane is the chain's or
   * nobody's; false when another chain holds it (this one was replaced and stops).
   */
  renewLane(lane: string, chain: string, ttlMs: number): Promise<boolean>;
  /** The chain ends: the lane is free for the sweep again. */
  releaseLane(lane: string, chain: string): Promise<void>;
  /** Which of these lanes are held right now. */
  heldLanes(lanes: readonly string[]): Promise<boolean[]>;
  close(): Promise<void>;
}

/** The embedded mode's coordination: one process, so plain maps. `now` in ms. */
export function createMemoryCoordination(
  now: () => number = () => performance.timeOrigin + performance.now(),
): Coordination {
  const limits = new Map<string, number>();
  const lanes = new Map<string, { chain: string; until: number }>();
  const holder = (lane: string) => {
    const entry = lanes.get(lane);
    return entry && entry.until > now() ? entry : undefined;
  };
  return {
    async reserve(key, n, ratePerSecond) {
      const result = reserveSlots(limits.get(key) ?? 0, now(), n, ratePerSecond);
      limits.set(key, result.tat);
      return result.reservation;
    },
    async hold(key, ms) {
      limits.set(key, Math.max(limits.get(key) ?? 0, now() + ms));
    },
    async claimLane(lane, chain, ttlMs) {
      if (holder(lane)) return false;
      lanes.set(lane, { chain, until: now() + ttlMs });
      return true;
    },
    async renewLane(lane, chain, ttlMs) {
      const current = holder(lane);
      if (current && current.chain !== chain) return false;
      lanes.set(lane, { chain, until: now() + ttlMs });
      return true;
    },
    async releaseLane(lane, chain) {
      if (lanes.get(lane)?.chain === chain) lanes.delete(lane);
    },
    async heldLanes(keys) {
      return keys.map((lane) => holder(lane) !== undefined);
    },
    async close() {
      limits.clear();
      lanes.clear();
    },
  };
}
