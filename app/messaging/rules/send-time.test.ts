import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZONES } from "./test-fixtures";
import { chooseTimeZone, localSendTime } from "./send-time";
import { formatLocalIso, instantAt, isValidTimeZone, possibleInstants, wallAt } from "./time-zone";

const send = (
  localDate: string,
  localTime: string,
  timeZone: string | null,
  fallbackTimeZone = "America/New_York",
) => localSendTime({ localDate, localTime, timeZone, fallbackTimeZone });

const at = (localDate: string, localTime: string, timeZone: string) => {
  const s = send(localDate, localTime, timeZone);
  return {
    utc: s.at.toISOString(),
    local: formatLocalIso(s.at.getTime(), timeZone),
    adjustment: s.localTimeAdjustment,
  };
};

describe("localSendTime across DST", () => {
  // Expected values worked out by hand from the 2026 transition dates of each zone.
  it.each([
    // zone, date, time, UTC, local, adjustment
    [
      "America/New_York",
      "2026-11-27",
      "10:00",
      "2026-11-27T15:00:00.000Z",
      "2026-11-27T10:00:00-05:00",
      "exact",
    ],
    [
      "America/New_York",
      "2026-07-04",
      "10:00",
      "2026-07-04T14:00:00.000Z",
      "2026-07-04T10:00:00-04:00",
      "exact",
    ],
    [
      "America/New_York",
      "2026-03-08",
      "02:30",
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T03:00:00-04:00",
      "gap_moved_forward",
    ],
    [
      "America/New_York",
      "2026-03-08",
      "03:00",
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T03:00:00-04:00",
      "exact",
    ],
    [
      "America/New_York",
      "2026-11-01",
      "01:30",
      "2026-11-01T05:30:00.000Z",
      "2026-11-01T01:30:00-04:00",
      "ambiguous_first_occurrence",
    ],
    [
      "Europe/London",
      "2026-11-27",
      "10:00",
      "2026-11-27T10:00:00.000Z",
      "2026-11-27T10:00:00+00:00",
      "exact",
    ],
    [
      "Europe/London",
      "2026-03-29",
      "01:30",
      "2026-03-29T01:00:00.000Z",
      "2026-03-29T02:00:00+01:00",
      "gap_moved_forward",
    ],
    [
      "Europe/London",
      "2026-10-25",
      "01:30",
      "2026-10-25T00:30:00.000Z",
      "2026-10-25T01:30:00+01:00",
      "ambiguous_first_occurrence",
    ],
    [
      "Australia/Sydney",
      "2026-11-27",
      "10:00",
      "2026-11-26T23:00:00.000Z",
      "2026-11-27T10:00:00+11:00",
      "exact",
    ],
    [
      "Australia/Sydney",
      "2026-10-04",
      "02:30",
      "2026-10-03T16:00:00.000Z",
      "2026-10-04T03:00:00+11:00",
      "gap_moved_forward",
    ],
    [
      "Australia/Sydney",
      "2026-04-05",
      "02:30",
      "2026-04-04T15:30:00.000Z",
      "2026-04-05T02:30:00+11:00",
      "ambiguous_first_occurrence",
    ],
    ["Asia/Kolkata", "2026-11-27", "10:00", "2026-11-27T04:30:00.000Z", "2026-11-27T10:00:00+05:30", "exact"],
    ["Asia/Kolkata", "2026-03-08", "02:30", "2026-03-07T21:00:00.000Z", "2026-03-08T02:30:00+05:30", "exact"],
    [
      "Pacific/Chatham",
      "2026-11-27",
      "10:00",
      "2026-11-26T20:15:00.000Z",
      "2026-11-27T10:00:00+13:45",
      "exact",
    ],
    [
      "Pacific/Chatham",
      "2026-07-01",
      "10:00",
      "2026-06-30T21:15:00.000Z",
      "2026-07-01T10:00:00+12:45",
      "exact",
    ],
    [
      "Pacific/Chatham",
      "2026-09-27",
      "03:00",
      "2026-09-26T14:00:00.000Z",
      "2026-09-27T03:45:00+13:45",
      "gap_moved_forward",
    ],
    [
      "Pacific/Chatham",
      "2026-04-05",
      "03:00",
      "2026-04-04T13:15:00.000Z",
      "2026-04-05T03:00:00+13:45",
      "ambiguous_first_occurrence",
    ],
  ])("%s %s %s", (zone, date, time, utc, local, adjustment) => {
    expect(at(date, time, zone)).toEqual({ utc, local, adjustment });
  });

  it("refuses malformed dates and times", () => {
    expect(() => send("2026-02-30", "10:00", "UTC")).toThrow(RangeError);
    expect(() => send("2026-11-27", "24:00", "UTC")).toThrow(RangeError);
    expect(() => send("27/11/2026", "10:00", "UTC")).toThrow(/YYYY-MM-DD/);
  });
});

describe("chooseTimeZone", () => {
  it("falls back to the shop's zone with the reason, and to UTC when the shop's is unusable", () => {
    expect(chooseTimeZone("Europe/Paris", "America/New_York")).toEqual({
      timeZone: "Europe/Paris",
      timeZoneFallback: null,
    });
    expect(chooseTimeZone(null, "America/New_York")).toEqual({
      timeZone: "America/New_York",
      timeZoneFallback: "customer_zone_missing",
    });
    expect(chooseTimeZone("  ", "America/New_York")).toEqual({
      timeZone: "America/New_York",
      timeZoneFallback: "customer_zone_missing",
    });
    expect(chooseTimeZone("Mars/Olympus", "America/New_York")).toEqual({
      timeZone: "America/New_York",
      timeZoneFallback: "customer_zone_invalid",
    });
    expect(chooseTimeZone("Mars/Olympus", "Nowhere")).toEqual({
      timeZone: "UTC",
      timeZoneFallback: "shop_zone_invalid",
    });
  });
  it("uses the fallback for the send time", () => {
    const s = send("2026-11-27", "10:00", "not a zone", "Asia/Kolkata");
    expect(s.at.toISOString()).toBe("2026-11-27T04:30:00.000Z");
    expect(s.timeZoneFallback).toBe("customer_zone_invalid");
  });
});

describe("time-zone properties", () => {
  const instant = fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2060, 0, 1) });
  it("every zone in the test list is known", () => {
    for (const z of ZONES) expect(isValidTimeZone(z)).toBe(true);
  });
  it("an instant is one of the readings of its own wall clock, and instantAt picks the earliest", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (t, zone) => {
        const wall = wallAt(t, zone);
        const readings = possibleInstants(wall, zone);
        expect(readings).toContain(t);
        expect(instantAt(wall, zone).instant).toBe(readings[0]);
      }),
      { numRuns: 2000 },
    );
  });
  it("instantAt never lands before the wall time asked for, on the zone's own clock", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (w, zone) => {
        const wall = Math.floor(w / 60_000) * 60_000;
        const { instant: i, adjustment } = instantAt(wall, zone);
        const reads = wallAt(i, zone);
        if (adjustment === "gap_moved_forward") expect(reads).toBeGreaterThan(wall);
        else expect(reads).toBe(wall);
      }),
      { numRuns: 2000 },
    );
  });
});
