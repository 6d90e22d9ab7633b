// How many test sends a shop may make: at most `max` in any `windowMs` (10 an hour), counted in this
// process. Pure (the caller hands in the time). A test goes to an address the merchant types, so the
// bound keeps the shop's email and SMS accounts from becoming a way to message anyone, at cost,
// without consent. In memory on purpose: no table for it, and with several web processes the bound is
// per process (10 × processes an hour) — still a bound, which is what it is for.

export const TEST_SENDS_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

export type TestSendSlot = { ok: true } | { ok: false; retryInMs: number };

export class TestSendLimit {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly max = TEST_SENDS_PER_HOUR,
    private readonly windowMs = HOUR_MS,
  ) {}

  /** Takes a slot for the shop at `now` (ms), or says how long until one frees. */
  take(shop: string, now: number): TestSendSlot {
    const recent = (this.sent.get(shop) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.max) {
      this.sent.set(shop, recent);
      return { ok: false, retryInMs: Math.max(1, (recent[0] ?? now) + this.windowMs - now) };
    }
    recent.push(now);
    this.sent.set(shop, recent);
    return { ok: true };
  }
}
