import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { rehearsalRecord } from "../support/rehearsal-record";
import { figureRows, formatMs, verdict } from "~/rehearsals/figures";

describe("formatMs", () => {
  it("reads as a person would say it", () => {
    expect(formatMs(null)).toBe("—");
    expect(formatMs(Number.NaN)).toBe("—");
    expect(formatMs(0)).toBe("0 ms");
    expect(formatMs(999)).toBe("999 ms");
    expect(formatMs(1_000)).toBe("1.0 s");
    expect(formatMs(1_849)).toBe("1.8 s");
    expect(formatMs(60_000)).toBe("1 min");
    expect(formatMs(347_000)).toBe("5 min 47 s");
  });

  it("never gets shorter as the duration grows", () => {
    const seconds = (text: string) => {
      const min = /^(\d+) min(?: (\d+) s)?$/.exec(text);
      if (min) return Number(min[1]) * 60 + Number(min[2] ?? 0);
      const s = /^([\d.]+) s$/.exec(text);
      if (s) return Number(s[1]);
      return Number(/^(\d+) ms$/.exec(text)?.[1]) / 1000;
    };
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(seconds(formatMs(lo))).toBeLessThanOrEqual(seconds(formatMs(hi)));
      }),
    );
  });
});

describe("verdict", () => {
  it("is met when the target is met and every check is zero", () => {
    const v = verdict(rehearsalRecord());
    expect(v).toEqual({
      met: true,
      failed: [],
      headline:
        "500 webhooks/s for 3 min (busiest minute 497/s): p99 step lateness 8.0 s less the time a provider refused, 41.0 s in all (target ≤ 1 min); every check 0",
    });
  });

  it("is not met when p99 lateness misses the target", () => {
    const record = rehearsalRecord();
    const own = record.report.stepLatenessOwnMs;
    if (!own) throw new Error("the fixture has the app's own lateness");
    own.p99 = 347_000;
    record.report.target.met = false;
    expect(verdict(record).met).toBe(false);
    expect(verdict(record).headline).toContain(
      "p99 step lateness 5 min 47 s less the time a provider refused",
    );
  });

  it("names each check that is not zero; a send already in a provider's hands does not count", () => {
    const record = rehearsalRecord();
    record.report.checks.duplicates = 2;
    record.report.checks.sendsAfterConversion = {
      total: 3,
      decidedAfter: 0,
      sentAfterTheLastLook: 0,
      inFlight: 3,
    };
    record.report.checks.soldOutRecommended = {
      total: 2,
      decidedAfter: 1,
      sentAfterTheLastLook: 0,
      inFlight: 1,
    };
    const v = verdict(record);
    expect(v.met).toBe(false);
    expect(v.failed).toEqual([
      { check: "duplicates", count: 2 },
      { check: "soldOutRecommended", count: 1 },
    ]);
    expect(v.headline).toMatch(/2 check\(s\) not 0$/);
  });
});

describe("figureRows", () => {
  it("shows each timing figure with its count and percentiles", () => {
    const rows = figureRows(rehearsalRecord().report);
    expect(rows[0]).toEqual({
      figure: "Flow step lateness (due → sent or skipped)",
      count: "1,000",
      p50: "1.8 s",
      p99: "41.0 s",
      max: "59.0 s",
    });
    expect(rows[1]).toMatchObject({ figure: "… less the time a provider refused", p99: "8.0 s" });
    expect(rows.map((r) => r.figure)).toHaveLength(7);
  });
});

describe("an early record", () => {
  it("reads without the busiest minute and the app's own lateness, and says nothing of them", () => {
    const record = rehearsalRecord();
    delete record.report.webhooks.busiestMinutePerSecond;
    delete record.report.stepLatenessOwnMs;
    expect(figureRows(record.report)).toHaveLength(6);
    expect(verdict(record).headline).toBe(
      "500 webhooks/s for 3 min: p99 step lateness 41.0 s (target ≤ 1 min); every check 0",
    );
  });
});
