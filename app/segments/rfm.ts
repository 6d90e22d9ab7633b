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

/**
 * For each scored index (frequency ≥ 1), `less` = how many scored values are strictly below its own
 * value (sign · pick[i]), turned into its quintile score in `out`. Integers in a range a few times n
 * wide are counted; other integers are sorted once with their index packed beside them; anything
 * else (fractions, wider sums) is sorted and each value found by binary search.
 */
function quintilesOf(
  cols: RfmColumns,
  n: number,
  pick: ArrayLike<number>,
  sign: 1 | -1,
  out: Uint8Array,
): void {
  const { count, frequency } = cols;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < count; i++) {
    if ((frequency[i] ?? 0) < 1) continue;
    const v = sign * (pick[i] ?? 0);
    if (v < min) min = v;
    if (v > max) max = v;
    if (!Number.isSafeInteger(v)) integers = false;
  }
  const range = max - min;
  if (integers && range <= 4 * n + 1024) {
    const below = new Int32Array(range + 2);
    for (let i = 0; i < count; i++) if ((frequency[i] ?? 0) >= 1) below[sign * (pick[i] ?? 0) - min + 1]!++;
    for (let v = 1; v <= range + 1; v++) below[v]! += below[v - 1]!;
    for (let i = 0; i < count; i++)
      if ((frequency[i] ?? 0) >= 1) out[i] = quintileScore(below[sign * (pick[i] ?? 0) - min]!, n);
    return;
  }
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  if (integers && range < 2 ** (53 - indexBits)) {
    // value above, index below: one native sort orders by value, ties by index
    const packed = new Float64Array(n);
    const shift = 2 ** indexBits;
    let k = 0;
    for (let i = 0; i < count; i++)
      if ((frequency[i] ?? 0) >= 1) packed[k++] = (sign * (pick[i] ?? 0) - min) * shift + i;
    packed.sort();
    let runStart = 0;
    let runValue = -1;
    for (let j = 0; j < n; j++) {
      const key = packed[j]!;
      const value = Math.floor(key / shift);
      if (value !== runValue) [runStart, runValue] = [j, value];
      out[key - value * shift] = quintileScore(runStart, n);
    }
    return;
  }
  const sorted = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < count; i++) if ((frequency[i] ?? 0) >= 1) sorted[k++] = sign * (pick[i] ?? 0);
  sorted.sort();
  for (let i = 0; i < count; i++)
    if ((frequency[i] ?? 0) >= 1) out[i] = quintileScore(lowerBound(sorted, sign * (pick[i] ?? 0)), n);
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
  // R scores −recency: `less` counts the customers with a strictly larger recency_days.
  quintilesOf(cols, n, cols.recencyDays, -1, r);
  quintilesOf(cols, n, frequency, 1, f);
  quintilesOf(cols, n, cols.monetaryMinor, 1, m);
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
export function scoreCustomers(
  customers: readonly RfmCustomer[],
  asOf: Date,
  t: SegmentThresholds,
): RfmScore[] {
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
      segment: segmentFor(
        { frequency: freq, recencyDays: days, f, m, discountedOrders: c.discountedOrders },
        t,
      ),
    };
  }
  return out;
}
