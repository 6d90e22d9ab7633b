import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAllowedAt, nextAllowedSend, nextInWindow, quietHoursFor, type QuietHours } from "./quiet-hours";
import { DEFAULT_AUDIENCE_SETTINGS } from "./settings";
import { localClock, ZONES } from "./test-fixtures";

const ny = (over: Partial<QuietHours> = {}): QuietHours => ({
  timeZone: "America/New_York",
  startMinute: 8 * 60,
  endMinute: 21 * 60,
  ...over,
});
const iso = (ms: number) => new Date(ms).toISOString();
const utc = (s: string) => Date.parse(s);

describe("quietHoursFor", () => {
  const s = DEFAULT_AUDIENCE_SETTINGS;
  it("uses 08:00–21:00, narrowed by the state's hours", () => {
    expect(quietHoursFor({ countryCode: "US", provinceCode: "NY" }, "America/New_York", s)).toEqual(ny());
    expect(quietHoursFor({ countryCode: "US", provinceCode: "FL" }, "America/New_York", s)).toEqual(
      ny({ endMinute: 20 * 60 }),
    );
    expect(
      quietHoursFor({ countryCode: "us", provinceCode: " wa " }, "America/Los_Angeles", s).endMinute,
    ).toBe(20 * 60);
    expect(quietHoursFor({ countryCode: null, provinceCode: "FL" }, "UTC", s).endMinute).toBe(21 * 60);
  });
  it("finds a province that Shopify already gives with its country (Japan's JP-13)", () => {
    const tokyo = { ...s, stateQuietHours: { "JP-13": { start: "09:00", end: "20:00" } } };
    const hours = quietHoursFor({ countryCode: "JP", provinceCode: "JP-13" }, "Asia/Tokyo", tokyo);
    expect(hours).toMatchObject({ startMinute: 540, endMinute: 1200 });
    expect(quietHoursFor({ countryCode: "JP", provinceCode: "13" }, "Asia/Tokyo", tokyo).startMinute).toBe(540);
  });
  it("never widens the general window", () => {
    const wide = {
      ...s,
      stateQuietHours: {
        "US-TX": { start: "07:00", end: "21:30" },
        "US-MD": { start: "09:00", end: "20:00" },
      },
    };
    expect(quietHoursFor({ countryCode: "US", provinceCode: "TX" }, "UTC", wide)).toMatchObject({
      startMinute: 480,
      endMinute: 1260,
    });
    expect(quietHoursFor({ countryCode: "US", provinceCode: "MD" }, "UTC", wide)).toMatchObject({
      startMinute: 540,
      endMinute: 1200,
    });
  });
});

describe("nextInWindow", () => {
  it("keeps an allowed moment and moves a quiet one to the next opening", () => {
    expect(iso(nextInWindow(utc("2026-11-27T12:59:59Z"), ny()))).toBe("2026-11-27T13:00:00.000Z"); // 07:59:59 EST → 08:00
    expect(iso(nextInWindow(utc("2026-11-27T13:00:00Z"), ny()))).toBe("2026-11-27T13:00:00.000Z");
    expect(iso(nextInWindow(utc("2026-11-28T01:59:59Z"), ny()))).toBe("2026-11-28T01:59:59.000Z"); // 20:59:59 allowed
    expect(iso(nextInWindow(utc("2026-11-28T02:00:00Z"), ny()))).toBe("2026-11-28T13:00:00.000Z"); // 21:00 → next 08:00
    expect(iso(nextInWindow(utc("2026-11-28T04:30:00Z"), ny()))).toBe("2026-11-28T13:00:00.000Z"); // 23:30 → next 08:00
  });
  it("opens at 08:00 local on the other side of a DST change", () => {
    // 22:00 EST on 2026-03-07; the night loses an hour, so 08:00 EDT is only 9 h later
    expect(iso(nextInWindow(utc("2026-03-08T03:00:00Z"), ny()))).toBe("2026-03-08T12:00:00.000Z");
    expect(iso(nextInWindow(utc("2026-10-31T21:30:00Z"), ny({ timeZone: "Pacific/Chatham" })))).toBe(
      "2026-10-31T21:30:00.000Z",
    );
    expect(iso(nextInWindow(utc("2026-11-01T09:00:00Z"), ny({ timeZone: "Pacific/Chatham" })))).toBe(
      "2026-11-01T18:15:00.000Z",
    );
    // Havana springs forward at midnight: a window opening at 00:30 that night opens at 01:00, when the gap ends
    const havana = { timeZone: "America/Havana", startMinute: 30, endMinute: 120 };
    expect(iso(nextInWindow(utc("2026-03-08T04:00:00Z"), havana))).toBe("2026-03-08T05:00:00.000Z");
  });
});

describe("nextAllowedSend", () => {
  const now = new Date("2026-11-27T18:00:00Z"); // 13:00 in New York
  it("keeps a future time, and moves a passed one to now, or to the next opening", () => {
    const future = new Date("2026-11-28T15:00:00Z");
    expect(nextAllowedSend({ desired: future, now, quietHours: ny() })).toEqual(future);
    expect(nextAllowedSend({ desired: new Date("2026-11-27T15:00:00Z"), now, quietHours: ny() })).toEqual(
      now,
    );
    const late = new Date("2026-11-28T03:00:00Z"); // 22:00 New York
    expect(
      nextAllowedSend({
        desired: new Date("2026-11-27T15:00:00Z"),
        now: late,
        quietHours: ny(),
      }).toISOString(),
    ).toBe("2026-11-28T13:00:00.000Z");
    expect(
      nextAllowedSend({ desired: new Date("2026-11-27T15:00:00Z"), now: late, quietHours: null }),
    ).toEqual(late);
  });
  it("rounds up to whole seconds", () => {
    expect(
      nextAllowedSend({
        desired: new Date(0),
        now: new Date("2026-11-27T18:00:00.001Z"),
        quietHours: null,
      }).toISOString(),
    ).toBe("2026-11-27T18:00:01.000Z");
  });

  const windows = fc
    .tuple(fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 1, max: 24 * 60 - 1 }))
    .filter(([a, b]) => a < b)
    .map(([startMinute, endMinute]) => ({ startMinute, endMinute }));
  const moment = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2050, 0, 1) });

  it("property: SMS never goes out in quiet hours, in any zone", () => {
    fc.assert(
      fc.property(
        moment,
        moment,
        fc.constantFrom(...ZONES),
        fc.constantFrom({ startMinute: 480, endMinute: 1260 }, { startMinute: 480, endMinute: 1200 }),
        (desired, now, timeZone, w) => {
          const qh = { timeZone, ...w };
          const at = nextAllowedSend({
            desired: new Date(desired),
            now: new Date(now),
            quietHours: qh,
          }).getTime();
          const { hour, minute } = localClock(at, timeZone);
          const m = hour * 60 + minute;
          expect(m).toBeGreaterThanOrEqual(w.startMinute);
          expect(m).toBeLessThan(w.endMinute);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("property: a time is moved forward, never back, by less than two days, and to the earliest allowed second", () => {
    fc.assert(
      fc.property(moment, moment, fc.constantFrom(...ZONES), windows, (desired, now, timeZone, w) => {
        const qh = { timeZone, ...w };
        const from = Math.ceil(Math.max(desired, now) / 1000) * 1000;
        const at = nextAllowedSend({
          desired: new Date(desired),
          now: new Date(now),
          quietHours: qh,
        }).getTime();
        expect(at).toBeGreaterThanOrEqual(desired);
        expect(at).toBeGreaterThanOrEqual(now);
        expect(at - from).toBeLessThan(2 * 86_400_000);
        expect(isAllowedAt(at, qh)).toBe(true);
        // Earliest: the second before was quiet (or was before the earliest possible moment).
        if (at > from) expect(isAllowedAt(at - 1000, qh)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
