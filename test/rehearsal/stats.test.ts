import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { busiestRate, lateness, overlapMs, percentile, queueLag, segmentFreshness, summary } from "./stats";

describe("percentile and summary", () => {
  it("take the nearest rank", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 0.5)).toBe(5);
    expect(percentile(sorted, 0.99)).toBe(10);
    expect(percentile([], 0.5)).toBeNaN();
    expect(summary([30, 10, 20])).toEqual({ count: 3, p50: 20, p99: 30, max: 30 });
  });

  it("a percentile is one of the values and grows with q", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sorted = [...values].sort((a, b) => a - b);
          const p = percentile(sorted, q);
          expect(values).toContain(p);
          expect(p).toBeLessThanOrEqual(percentile(sorted, 1));
        },
      ),
    );
  });
});

describe("queueLag", () => {
  it("is how long until everything received by a sample was processed", () => {
    const samples = [
      { at: 0, received: 10, done: 0 },
      { at: 1_000, received: 20, done: 10 },
      { at: 2_000, received: 20, done: 15 },
      { at: 3_000, received: 25, done: 20 },
    ];
    // 0 → done reaches 10 at 1 s; 1 s → 20 at 3 s; 2 s → 20 at 3 s; 3 s → 25 never: until the end (5 s)
    expect(queueLag(samples, 5_000)).toEqual([1_000, 2_000, 1_000, 2_000]);
  });
});

describe("segmentFreshness", () => {
  it("takes each order's customer's next segment change within 10 minutes", () => {
    const receipts = [
      { customerId: "1", receivedAt: 1_000 },
      { customerId: "2", receivedAt: 1_000 },
      { customerId: "3", receivedAt: 1_000 },
    ];
    const transitions = [
      { customerId: "1", at: 500 }, // before: not this order's
      { customerId: "1", at: 1_250 },
      { customerId: "2", at: 1_000 + 11 * 60_000 }, // too late to be this order's
    ];
    expect(segmentFreshness(receipts, transitions)).toEqual([250]);
  });
});

describe("lateness", () => {
  const step = { enrollmentId: "e1", sendKey: "first", dueAt: 10_000, smsDueAt: 50_000 };
  const row = {
    enrollmentId: "e1",
    sendKey: "first",
    channel: "email",
    status: "sent",
    createdAt: 10_400,
    sentAt: 11_000,
  };
  it("measures decided and done from the due time", () => {
    expect(lateness([step], [row], 99_000)).toEqual({
      decision: [400],
      outcome: [1_000],
      own: [1_000],
      notMeasured: 0,
      slowest: [
        {
          enrollmentId: "e1",
          sendKey: "first",
          dueAt: new Date(10_000).toISOString(),
          decidedMs: 400,
          lateMs: 1_000,
          outcome: "email sent",
        },
      ],
    });
  });
  it("an SMS that goes out is due inside the SMS hours; a skipped one at the due time", () => {
    const sms = { ...row, channel: "sms", createdAt: 50_200, sentAt: 50_500 };
    expect(lateness([step], [sms], 99_000)).toMatchObject({
      decision: [200],
      outcome: [500],
      notMeasured: 0,
    });
    const skipped = { ...row, channel: "sms", status: "skipped", createdAt: 10_300, sentAt: null };
    expect(lateness([step], [skipped], 99_000)).toMatchObject({
      decision: [300],
      outcome: [300],
      notMeasured: 0,
    });
  });
  it("a message still waiting counts until the end; a step without rows is not measured", () => {
    const queued = { ...row, status: "queued", sentAt: null };
    const other = { ...step, enrollmentId: "e2" };
    expect(lateness([step, other], [queued], 70_000)).toMatchObject({
      decision: [400],
      outcome: [60_000],
      notMeasured: 1,
      slowest: [{ enrollmentId: "e1", lateMs: 60_000, outcome: "email queued" }],
    });
  });
});

describe("overlapMs", () => {
  it("is the part of a span inside the windows", () => {
    const windows = [
      { from: 10, to: 20 },
      { from: 30, to: 40 },
    ];
    expect(overlapMs(0, 5, windows)).toBe(0);
    expect(overlapMs(15, 35, windows)).toBe(10);
    expect(overlapMs(0, 100, windows)).toBe(20);
    expect(overlapMs(12, 18, windows)).toBe(6);
    expect(overlapMs(0, 100, [])).toBe(0);
  });
});

describe("busiestRate", () => {
  it("is the most deliveries due within any minute, per second", () => {
    // 30 in the first second, then one a second for two minutes: the busiest minute holds 30 + 59.
    const times = [
      ...Array.from({ length: 30 }, () => 0),
      ...Array.from({ length: 120 }, (_, i) => 1_000 * (i + 1)),
    ];
    expect(busiestRate(times)).toBe(Math.round((89 / 60) * 10) / 10);
    expect(busiestRate([])).toBe(0);
    expect(busiestRate([5, 5, 5], 1_000)).toBe(3);
  });
});
