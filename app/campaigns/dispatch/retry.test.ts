import { describe, expect, it } from "vitest";
import { boundedError, holdMs, MAX_SEND_ATTEMPTS, RETRY_BASE_MS, RETRY_MAX_MS, retryDelayMs } from "./retry";

describe("retryDelayMs", () => {
  it("doubles per attempt, keeping at least half of each step", () => {
    expect(retryDelayMs(1, undefined, () => 0)).toBe(RETRY_BASE_MS / 2);
    expect(retryDelayMs(1, undefined, () => 0.999999)).toBeCloseTo(RETRY_BASE_MS, -1);
    expect(retryDelayMs(3, undefined, () => 0)).toBe((RETRY_BASE_MS * 4) / 2);
    expect(retryDelayMs(40, undefined, () => 1)).toBe(RETRY_MAX_MS);
  });

  it("spans minutes over every attempt, so an outage of a minute or two loses nothing", () => {
    let least = 0;
    for (let attempt = 1; attempt < MAX_SEND_ATTEMPTS; attempt++)
      least += retryDelayMs(attempt, undefined, () => 0);
    expect(least).toBeGreaterThan(5 * 60_000);
  });

  it("honours Retry-After with a little jitter on top, never less", () => {
    expect(retryDelayMs(1, 3_000, () => 0)).toBe(3_000);
    expect(retryDelayMs(7, 3_000, () => 0.5)).toBe(3_150);
    expect(retryDelayMs(1, 10 * 3600_000, () => 0)).toBe(3600_000);
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
