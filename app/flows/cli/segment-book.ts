import { quintileScore, recencyDays } from "../../segments/rfm";
import { segmentFor, type Segment, type SegmentThresholds } from "../../segments/rules";

// Customers' segments on the replay's moving clock: the RFM aggregates of the orders placed so far
// and, per metric, the buyers' values kept sorted, so one customer is scored against everyone as of
// any moment in O(log n) — what the app's rescore of one customer after an order does — instead of
// rescoring the whole table at each order. The scores are the segments command's (rfm.ts): among
// the n buyers, `less` = buyers with a strictly smaller value, score = min(5, 1 + ⌊5·less/(n−1)⌋).
// Only F and M decide a segment (with recency and the discount share), so R is never computed. Pure.

/** Ascending numbers with repeats, in one growable typed array. */
class SortedValues {
  private values = new Float64Array(64);
  size = 0;

  /** How many values are < v. */
  below(v: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.values[mid] ?? 0) < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many values are ≤ v. */
  atMost(v: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.values[mid] ?? 0) <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(v: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const at = this.atMost(v);
    this.values.copyWithin(at + 1, at, this.size);
    this.values[at] = v;
    this.size++;
  }

  remove(v: number): void {
    const at = this.below(v);
    if (at >= this.size || this.values[at] !== v) throw new RangeError(`no value ${v} to remove`);
    this.values.copyWithin(at, at + 1, this.size);
    this.size--;
  }
}

export class SegmentBook {
  private readonly slots = new Map<string, number>();
  private readonly frequency: number[] = [];
  private readonly monetary: number[] = [];
  private readonly discounted: number[] = [];
  private readonly lastMs: number[] = [];
  private readonly byFrequency = new SortedValues();
  private readonly byMonetary = new SortedValues();

  constructor(private readonly thresholds: SegmentThresholds) {}

  /** false when the customer is already in the book */
  addCustomer(id: string): boolean {
    if (this.slots.has(id)) return false;
    this.slots.set(id, this.frequency.length);
    this.frequency.push(0);
    this.monetary.push(0);
    this.discounted.push(0);
    this.lastMs.push(Number.NEGATIVE_INFINITY);
    return true;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Folds in a counted order (not a test, not cancelled) of a customer in the book. */
  addOrder(id: string, totalMinor: number, discounted: boolean, placedMs: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) throw new RangeError(`no customer ${id} in the book`);
    const frequency = this.frequency[slot] ?? 0;
    const monetary = this.monetary[slot] ?? 0;
    const last = this.lastMs[slot] ?? Number.NEGATIVE_INFINITY;
    const sum = monetary + totalMinor;
    if (!Number.isSafeInteger(sum)) throw new RangeError(`customer ${id}: total beyond 2^53 minor units`);
    if (frequency > 0) {
      this.byFrequency.remove(frequency);
      this.byMonetary.remove(monetary);
    }
    this.frequency[slot] = frequency + 1;
    this.monetary[slot] = sum;
    this.lastMs[slot] = Math.max(last, placedMs);
    if (discounted) this.discounted[slot] = (this.discounted[slot] ?? 0) + 1;
    this.byFrequency.insert(frequency + 1);
    this.byMonetary.insert(sum);
  }

  /** The customer's segment as of `at`, scored against every customer's orders so far. */
  segmentAt(id: string, at: Date): Segment {
    const slot = this.slots.get(id);
    if (slot === undefined) throw new RangeError(`no customer ${id} in the book`);
    const frequency = this.frequency[slot] ?? 0;
    const discountedOrders = this.discounted[slot] ?? 0;
    if (frequency === 0)
      return segmentFor(
        { frequency, recencyDays: null, f: null, m: null, discountedOrders },
        this.thresholds,
      );
    const n = this.byFrequency.size;
    const days = recencyDays(at, new Date(this.lastMs[slot] ?? 0));
    const f = quintileScore(this.byFrequency.below(frequency), n);
    const m = quintileScore(this.byMonetary.below(this.monetary[slot] ?? 0), n);
    return segmentFor({ frequency, recencyDays: days, f, m, discountedOrders }, this.thresholds);
  }
}
