// What one sink received: the last `capacity` entries for people to look at, and exact counters
// for tests. Deliveries are counted per idempotency key, so a test can assert that a message was
// sent again only with the same key. Keys are tracked up to `maxKeys` (then `keysTruncated`), so
// a long benchmark cannot grow memory without bound.

export interface SinkStats {
  /** requests the sink accepted (2xx / 250) */
  accepted: number;
  /** requests refused: injected faults, bad credentials, bad signatures, invalid input */
  rejected: number;
  /** distinct idempotency keys accepted */
  uniqueKeys: number;
  /** accepted requests whose key had been accepted before */
  duplicates: number;
  /** accepted requests without an idempotency key */
  unkeyed: number;
  keysTruncated: boolean;
}

export interface Rejection {
  at: string;
  status: number;
  reason: string;
  key: string | null;
}

export class SinkLog<E extends { key: string | null }> {
  private readonly ring: Array<E | undefined>;
  private next = 0;
  private readonly counts = new Map<string, number>();
  /** when each key was first accepted (ms since the epoch): when the provider had the message */
  private readonly firstAt = new Map<string, number>();
  private readonly rejections: Array<Rejection | undefined>;
  private nextRejection = 0;
  private totals = { accepted: 0, rejected: 0, duplicates: 0, unkeyed: 0, keysTruncated: false };

  constructor(
    private readonly capacity: number,
    private readonly maxKeys: number,
  ) {
    this.ring = new Array<E | undefined>(capacity);
    this.rejections = new Array<Rejection | undefined>(Math.min(capacity, 50));
  }

  /** How many times this key has been accepted so far (before this one). */
  seen(key: string | null): number {
    return key === null ? 0 : (this.counts.get(key) ?? 0);
  }

  /** Records an accepted delivery; returns how many times its key has now been accepted. */
  accept(entry: E): number {
    this.totals.accepted += 1;
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (entry.key === null) {
      this.totals.unkeyed += 1;
      return 1;
    }
    const before = this.counts.get(entry.key);
    if (before !== undefined) {
      this.totals.duplicates += 1;
      this.counts.set(entry.key, before + 1);
      return before + 1;
    }
    if (this.counts.size < this.maxKeys) {
      this.counts.set(entry.key, 1);
      this.firstAt.set(entry.key, Date.now());
    } else this.totals.keysTruncated = true;
    return 1;
  }

  reject(rejection: Rejection): void {
    this.totals.rejected += 1;
    this.rejections[this.nextRejection] = rejection;
    this.nextRejection = (this.nextRejection + 1) % this.rejections.length;
  }

  countFor(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  firstAcceptedAt(key: string): number | undefined {
    return this.firstAt.get(key);
  }

  /** Newest first. */
  recent(limit = this.capacity): E[] {
    return newestFirst(this.ring, this.next, limit);
  }

  recentRejections(limit = this.rejections.length): Rejection[] {
    return newestFirst(this.rejections, this.nextRejection, limit);
  }

  stats(): SinkStats {
    return { ...this.totals, uniqueKeys: this.counts.size };
  }

  reset(): void {
    this.ring.fill(undefined);
    this.rejections.fill(undefined);
    this.next = 0;
    this.nextRejection = 0;
    this.counts.clear();
    this.firstAt.clear();
    this.totals = { accepted: 0, rejected: 0, duplicates: 0, unkeyed: 0, keysTruncated: false };
  }
}

function newestFirst<T>(ring: Array<T | undefined>, next: number, limit: number): T[] {
  const out: T[] = [];
  for (let i = 1; i <= ring.length && out.length < limit; i += 1) {
    const entry = ring[(next - i + ring.length) % ring.length];
    if (entry !== undefined) out.push(entry);
  }
  return out;
}
