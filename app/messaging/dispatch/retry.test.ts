import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  boundedError,
  holdMs,
  leastRetrySpanMs,
  MAX_SEND_ATTEMPTS,
  minRetryDelayMs,
  RETRY_BASE_MS,
  RETRY_MAX_MS,
  RETRY_WINDOW_MS,
  retryDelayMs,
} from "./retry";

const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
// What a provider's Retry-After may come to: nothing, nonsense, seconds, hours.
const retryAfter = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0),
  fc.integer({ min: 1, max: 10 * 3600_000 }),
);
const attempt = fc.integer({ min: 1, max: MAX_SEND_ATTEMPTS + 50 });

describe("retryDelayMs", () => {
  it("doubles per attempt, keeping at least half of each step, up to the cap", () => {
    expect(retryDelayMs(1, undefined, () => 0)).toBe(RETRY_BASE_MS / 2);
    expect(retryDelayMs(1, undefined, () => 0.999999)).toBeCloseTo(RETRY_BASE_MS, -1);
    expect(retryDelayMs(3, undefined, () => 0)).toBe((RETRY_BASE_MS * 4) / 2);
    expect(retryDelayMs(40, undefined, () => 1)).toBe(RETRY_MAX_MS);
  });

  it("honours Retry-After, with a little jitter on top, and never goes below the backoff", () => {
    expect(retryDelayMs(1, 3_000, () => 0)).toBe(3_000);
    expect(retryDelayMs(2, 3_000, () => 0.5)).toBe(3_150);
    expect(retryDelayMs(1, 10 * 3600_000, () => 0)).toBe(3600_000);
    // "Retry-After: 1" on the 8th attempt: the backoff (128–256 s) wins
    expect(retryDelayMs(8, 1_000, () => 0)).toBe(128_000);
  });

  it("property: at least the schedule's floor and Retry-After (up to an hour), at most the larger of the step and Retry-After plus 5 s", () => {
    fc.assert(
      fc.property(attempt, retryAfter, random, (n, after, r) => {
        const delay = retryDelayMs(n, after, () => r);
        const honoured =
          after !== undefined && Number.isFinite(after) && after > 0 ? Math.min(after, 3600_000) : 0;
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(minRetryDelayMs(n));
        expect(delay).toBeGreaterThanOrEqual(honoured);
        expect(delay).toBeLessThanOrEqual(Math.max(2 * minRetryDelayMs(n), honoured + 5_000) + 1);
      }),
    );
  });

  it("property: the floor never shrinks from one attempt to the next and never exceeds half the cap", () => {
    fc.assert(
      fc.property(attempt, (n) => {
        expect(minRetryDelayMs(n + 1)).toBeGreaterThanOrEqual(minRetryDelayMs(n));
        expect(minRetryDelayMs(n)).toBeLessThanOrEqual(RETRY_MAX_MS / 2);
      }),
    );
  });
});

describe("the retry window", () => {
  it("gives up only after a day of retrying, about three hundred attempts", () => {
    expect(leastRetrySpanMs(MAX_SEND_ATTEMPTS)).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
    expect(leastRetrySpanMs(MAX_SEND_ATTEMPTS - 1)).toBeLessThan(RETRY_WINDOW_MS);
    expect(MAX_SEND_ATTEMPTS).toBeGreaterThan(250);
    expect(MAX_SEND_ATTEMPTS).toBeLessThan(350);
  });

  // An outage is any run of retry answers, each with or without a Retry-After, with any jitter:
  // however it goes, the attempt that gives up comes a day or more after the first.
  it("property: no sequence of retry answers uses up the attempts in less than the window", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(retryAfter, random), {
          minLength: MAX_SEND_ATTEMPTS,
          maxLength: MAX_SEND_ATTEMPTS,
        }),
        (answers) => {
          let at = 0;
          for (let n = 1; n < MAX_SEND_ATTEMPTS; n++) {
            const [after, r] = answers[n - 1] ?? [undefined, 0];
            at += retryDelayMs(n, after, () => r);
          }
          // `at` is when attempt MAX_SEND_ATTEMPTS goes out: only its retry answer fails the message
          expect(at).toBeGreaterThanOrEqual(RETRY_WINDOW_MS);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("property: a minute of 429s with Retry-After: 1 takes at most 7 attempts of a message", () => {
    fc.assert(
      fc.property(fc.array(random, { minLength: 10, maxLength: 10 }), (jitter) => {
        // attempt 1 at 0 s; attempt n + 1 after attempt n's delay
        let at = 0;
        let within = 0;
        for (let n = 1; at < 60_000; n++) {
          within = n;
          at += retryDelayMs(n, 1_000, () => jitter[n - 1] ?? 0);
        }
        expect(within).toBeLessThanOrEqual(7);
        expect(within).toBeLessThan(MAX_SEND_ATTEMPTS);
      }),
    );
  });
});

describe("holdMs and boundedError", () => {
  it("holds a limit for Retry-After, else 1 s doubling per troubled batch up to 30 s", () => {
    expect(holdMs(1, 2_500)).toBe(2_500);
    expect([1, 2, 3, 6, 20].map((streak) => holdMs(streak, undefined))).toEqual([
      1_000, 2_000, 4_000, 30_000, 30_000,
    ]);
  });

  it("keeps one bounded line", () => {
    expect(boundedError("HTTP 400:\n  bad\tfield ")).toBe("HTTP 400: bad field");
    expect(boundedError("x".repeat(600))).toHaveLength(500);
  });
});
