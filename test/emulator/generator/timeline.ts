import { Rng } from "./prng";

// Who ordered when. Built once per store in typed arrays (about 12 bytes per order and
// 24 per customer), so a million customers with three million orders stay well under 100 MB.
// Order indices are chronological, like Shopify's ids.

const MINUTE = 60_000;
const SLOT_BITS = 2 ** 22; // customer slot (index + 1; 0 = guest) packed under the minute
export const MAX_CUSTOMERS = SLOT_BITS - 2;
const STREAM_ALLOC = 1;
const STREAM_TIME = 2;

export interface Timeline {
  startMs: number;
  untilMs: number;
  /** minute offset of order j since start */
  orderMinute: Uint32Array;
  /** customer index of order j, -1 for guest */
  orderCustomer: Int32Array;
  /** CSR: orders of customer i are customerOrders[offsets[i] .. offsets[i+1]) */
  offsets: Uint32Array;
  customerOrders: Uint32Array;
}

/** Seasonal weight of a moment: Q4 peaks (Black Friday/Cyber Monday, Christmas), quiet January. */
export function seasonWeight(ms: number): number {
  const d = new Date(ms);
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  if (month === 10 && day >= 20) return 3.2;
  if (month === 10) return 1.6;
  if (month === 11 && day <= 20) return 2.4;
  if (month === 11) return 1.3;
  if (month === 0) return 0.7;
  return 1;
}

/** A moment in [fromMs, untilMs), busier in peak season. */
export function seasonalTime(rng: Rng, fromMs: number, untilMs: number): number {
  for (let tries = 0; tries < 16; tries++) {
    const t = fromMs + rng.next() * (untilMs - fromMs);
    if (rng.next() * 3.2 < seasonWeight(t)) return t;
  }
  return fromMs + rng.next() * (untilMs - fromMs);
}

export function customerCreatedMs(i: number, customers: number, startMs: number, untilMs: number, seed: number): number {
  const jitter = Rng.for(seed, STREAM_TIME, i).next();
  return Math.floor(startMs + ((i + jitter) / Math.max(1, customers)) * (untilMs - startMs));
}

/** Orders per customer: ~10% none, most exactly one, a geometric tail of repeat buyers. */
function allocate(seed: number, customers: number, customerOrders: number): Uint32Array {
  const counts = new Uint32Array(customers);
  const perCustomer = customerOrders / Math.max(1, customers);
  const tailMean = Math.max(0, (perCustomer - 0.55) / 0.35 - 1.5); // floor() loses ~0.5
  let sum = 0;
  for (let i = 0; i < customers; i++) {
    const rng = Rng.for(seed, STREAM_ALLOC, i);
    const u = rng.next();
    let k = u < 0.1 ? 0 : u < 0.65 ? 1 : 2 + Math.floor(-Math.log(1 - rng.next()) * tailMean);
    if (tailMean === 0 && k > 0) k = rng.next() < perCustomer / 0.9 ? 1 : 0;
    counts[i] = k;
    sum += k;
  }
  // Nudge to the exact total, walking customers from a seeded start.
  const rng = Rng.for(seed, STREAM_ALLOC, -1);
  let cursor = Math.floor(rng.next() * Math.max(1, customers));
  let guard = 0;
  while (sum !== customerOrders && customers > 0 && guard++ < customers * 64) {
    cursor = (cursor + 7919) % customers;
    const k = counts[cursor] ?? 0;
    if (sum < customerOrders && k >= 2) {
      counts[cursor] = k + 1;
      sum++;
    } else if (sum > customerOrders && k >= 3) {
      counts[cursor] = k - 1;
      sum--;
    } else if (guard > customers * 8) {
      // fall back to any customer when the shaped choices are exhausted
      if (sum < customerOrders) {
        counts[cursor] = k + 1;
        sum++;
      } else if (k >= 1) {
        counts[cursor] = k - 1;
        sum--;
      }
    }
  }
  return counts;
}

export function buildTimeline(seed: number, customers: number, orders: number, startMs: number, untilMs: number): Timeline {
  if (customers > MAX_CUSTOMERS) throw new Error(`at most ${MAX_CUSTOMERS} customers`);
  const guests = customers === 0 ? orders : Math.round(orders * 0.04);
  const counts = allocate(seed, customers, orders - guests);
  const keys = new Float64Array(orders);
  let n = 0;
  const spanMinutes = Math.floor((untilMs - startMs) / MINUTE);
  const toKey = (ms: number, slot: number): number =>
    Math.min(spanMinutes, Math.max(0, Math.floor((ms - startMs) / MINUTE))) * SLOT_BITS + slot;
  for (let i = 0; i < customers; i++) {
    const k = counts[i] ?? 0;
    if (k === 0) continue;
    const rng = Rng.for(seed, STREAM_TIME, i + customers);
    const created = customerCreatedMs(i, customers, startMs, untilMs, seed);
    keys[n++] = toKey(created + rng.next() * 20 * MINUTE, i + 1);
    for (let o = 1; o < k; o++) keys[n++] = toKey(seasonalTime(rng, created + MINUTE * 30, untilMs), i + 1);
  }
  const guestRng = Rng.for(seed, STREAM_TIME, -2);
  while (n < orders) keys[n++] = toKey(seasonalTime(guestRng, startMs, untilMs), 0);
  keys.sort();

  const orderMinute = new Uint32Array(orders);
  const orderCustomer = new Int32Array(orders);
  const offsets = new Uint32Array(customers + 1);
  for (let j = 0; j < orders; j++) {
    const key = keys[j] ?? 0;
    const slot = key % SLOT_BITS;
    orderMinute[j] = (key - slot) / SLOT_BITS;
    orderCustomer[j] = slot - 1;
    if (slot > 0) offsets[slot] = (offsets[slot] ?? 0) + 1;
  }
  for (let i = 1; i <= customers; i++) offsets[i] = (offsets[i] ?? 0) + (offsets[i - 1] ?? 0);
  const fill = offsets.slice(0, customers);
  const customerOrders = new Uint32Array(offsets[customers] ?? 0);
  for (let j = 0; j < orders; j++) {
    const c = orderCustomer[j] ?? -1;
    if (c >= 0) customerOrders[(fill[c] = (fill[c] ?? 0) + 1) - 1] = j;
  }
  return { startMs, untilMs, orderMinute, orderCustomer, offsets, customerOrders };
}
