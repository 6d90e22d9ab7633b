import { describe, expect, it } from "vitest";
import { shownRecencyDays } from "./recency";

const T = new Date("2026-11-20T03:00:00.000Z");
const DAY = 86_400_000;

describe("shownRecencyDays", () => {
  it("is recency_days as of the scoring: whole days, rounded down", () => {
    expect(shownRecencyDays(T, new Date(T.getTime() - 200 * DAY))).toBe(200);
    expect(shownRecencyDays(T, new Date(T.getTime() - DAY + 1))).toBe(0);
    expect(shownRecencyDays(T, new Date(T.getTime() - 181 * DAY - 1))).toBe(181);
  });

  it("shows an order placed after the scoring as 0 days", () => {
    expect(shownRecencyDays(T, new Date(T.getTime() + 1))).toBe(0);
    expect(shownRecencyDays(T, new Date(T.getTime() + 3 * DAY))).toBe(0);
  });

  it("is null before any scoring and for customers without an order", () => {
    expect(shownRecencyDays(null, T)).toBeNull();
    expect(shownRecencyDays(T, null)).toBeNull();
  });
});
