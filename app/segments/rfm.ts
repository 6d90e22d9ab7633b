import { segmentFor, type Segment, type SegmentThresholds } from "./rules";

// R, F and M scores as issue 4 defines them. Pure: T and the thresholds are arguments.
// Among the n customers with frequency ≥ 1, `less` is how many have a strictly smaller value;
// score = min(5, 1 + ⌊5·less/(n−1)⌋). Each metric is sorted once (a typed array, native numeric
// sort) and `less` is the lower bound of a value in it: O(n log n), three arrays of n numbers.

const DAY_MS = 86_400_000;

/** Whole days from the last order to T, rounded down (negative if the order is after T). */
export function recencyDays(asOf: Date, lastOrderAt: Date): number {
  const ms = asOf.getTime() - lastOrderAt.getTime();
  const rest = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  return (ms - rest) / DAY_MS;
}

/** min(5, 1 + ⌊5·less/(n−1)⌋) in integer arithmetic; 1 when n = 1. */
export function quintileScore(less: number, n: number): number {
  if (n <= 1) return 1;
  const a = 5 * less;
  const b = n - 1;
  return Math.min(5, 1 + (a - (a % b)) / b);
}

/** Index of the first element ≥ v in ascending `sorted`. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > v in ascending `sorted`. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A table of customers, one index per customer (what a streaming reader keeps). */
export interface RfmColumns {
  count: number;
  frequency: ArrayLike<number>;
  /** read only where frequency ≥ 1 */
  recencyDays: ArrayLike<number>;
  /** integers within ±2^53 (exact as doubles) */
  monetaryMinor: ArrayLike<number>;
}

/** R, F, M per index; 0 where frequency = 0 (a prospect has no score). */
export interface RfmColumnScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** customers with frequency ≥ 1 */
  scored: number;
}

function sortedValuesOf(cols: RfmColumns, n: number, pick: ArrayLike<number>): Float64Array {
  const values = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < cols.count; i++) if ((cols.frequency[i] ?? 0) >= 1) values[k++] = pick[i] ?? 0;
  return values.sort();
}

/** The scores of a columnar table. */
export function scoreColumns(cols: RfmColumns): RfmColumnScores {
  const { count, frequency } = cols;
  let n = 0;
  for (let i = 0; i < count; i++) if ((frequency[i] ?? 0) >= 1) n++;
  const r = new Uint8Array(count);
  const f = new Uint8Array(count);
  const m = new Uint8Array(count);
  if (n === 0) return { r, f, m, scored: 0 };
  const byRecency = sortedValuesOf(cols, n, cols.recencyDays);
  const byFrequency = sortedValuesOf(cols, n, frequency);
  const byMonetary = sortedValuesOf(cols, n, cols.monetaryMinor);
  for (let i = 0; i < count; i++) {
    const freq = frequency[i] ?? 0;
    if (freq < 1) continue;
    // R scores −recency: `less` counts the customers with a strictly larger recency_days.
    r[i] = quintileScore(n - upperBound(byRecency, cols.recencyDays[i] ?? 0), n);
    f[i] = quintileScore(lowerBound(byFrequency, freq), n);
    m[i] = quintileScore(lowerBound(byMonetary, cols.monetaryMinor[i] ?? 0), n);
  }
  return { r, f, m, scored: n };
}

export interface RfmCustomer {
  id: string;
  frequency: number;
  monetaryMinor: bigint;
  lastOrderAt: Date | null;
  discountedOrders: number;
}

export interface RfmScore {
  id: string;
  recencyDays: number | null;
  frequency: number;
  monetaryMinor: bigint;
  r: number | null;
  f: number | null;
  m: number | null;
  /** discounted / frequency, for display; the rules compare it exactly */
  discountShare: number | null;
  segment: Segment;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** M scores by exact bigint comparison: only for sums beyond 2^53 minor units. */
function bigMonetaryScores(customers: readonly RfmCustomer[], n: number, m: Uint8Array): void {
  const sorted = customers.filter((c) => c.frequency >= 1).map((c) => c.monetaryMinor);
  sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  customers.forEach((c, i) => {
    if (c.frequency < 1) return;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] ?? 0n) < c.monetaryMinor) lo = mid + 1;
      else hi = mid;
    }
    m[i] = quintileScore(lo, n);
  });
}

/** Every customer's recency, scores and segment as of `asOf`. Prospects (no order) have null scores. */
export function scoreCustomers(customers: readonly RfmCustomer[], asOf: Date, t: SegmentThresholds): RfmScore[] {
  const count = customers.length;
  const frequency = new Float64Array(count);
  const recency = new Float64Array(count);
  const monetary = new Float64Array(count);
  let exact = true;
  for (let i = 0; i < count; i++) {
    const c = customers[i];
    if (!c) continue;
    // A customer with orders but no last order date is inconsistent input: treat as a prospect.
    if (c.frequency < 1 || c.lastOrderAt === null) continue;
    frequency[i] = c.frequency;
    recency[i] = recencyDays(asOf, c.lastOrderAt);
    if (c.monetaryMinor > SAFE || c.monetaryMinor < -SAFE) exact = false;
    monetary[i] = Number(c.monetaryMinor);
  }
  const scores = scoreColumns({ count, frequency, recencyDays: recency, monetaryMinor: monetary });
  if (!exact) bigMonetaryScores(customers, scores.scored, scores.m);
  const out = new Array<RfmScore>(count);
  for (let i = 0; i < count; i++) {
    const c = customers[i];
    if (!c) continue;
    const scored = (frequency[i] ?? 0) >= 1;
    const r = scored ? (scores.r[i] ?? null) : null;
    const f = scored ? (scores.f[i] ?? null) : null;
    const m = scored ? (scores.m[i] ?? null) : null;
    const days = scored ? (recency[i] ?? null) : null;
    const freq = scored ? c.frequency : 0;
    out[i] = {
      id: c.id,
      recencyDays: days,
      frequency: c.frequency,
      monetaryMinor: c.monetaryMinor,
      r,
      f,
      m,
      discountShare: freq > 0 ? c.discountedOrders / freq : null,
      segment: segmentFor({ frequency: freq, recencyDays: days, f, m, discountedOrders: c.discountedOrders }, t),
    };
  }
  return out;
}
