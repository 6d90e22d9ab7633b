// Shopify's leaky bucket per app and shop: `maximumAvailable` points, refilled at
// `restoreRate` per second. Time comes from the emulator's clock so tests need no sleeps.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  enabled = true;
  maximumAvailable: number;
  restoreRate: number;
  private available: number;
  private at: number;

  constructor(private readonly now: () => Date, maximumAvailable = 2000, restoreRate = 100) {
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.available = maximumAvailable;
    this.at = now().getTime();
  }

  private refill(): void {
    const t = this.now().getTime();
    this.available = Math.min(this.maximumAvailable, this.available + (Math.max(0, t - this.at) / 1000) * this.restoreRate);
    this.at = t;
  }

  configure(opts: { enabled: boolean; maximumAvailable?: number; restoreRate?: number }): void {
    this.refill();
    this.enabled = opts.enabled;
    if (opts.maximumAvailable !== undefined) {
      this.maximumAvailable = opts.maximumAvailable;
      this.available = Math.min(this.available, opts.maximumAvailable);
    }
    if (opts.restoreRate !== undefined) this.restoreRate = opts.restoreRate;
  }

  /** Takes `cost` points; false (nothing taken) when throttling is on and they are not there. */
  take(cost: number): boolean {
    this.refill();
    if (this.enabled && cost > this.available) return false;
    this.available = Math.max(0, this.available - cost);
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    this.refill();
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }
}
