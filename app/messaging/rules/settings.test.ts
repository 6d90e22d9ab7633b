import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quietHoursFor } from "./quiet-hours";
import { AudienceSettings, DEFAULT_AUDIENCE_SETTINGS, parseAudienceSettings } from "./settings";

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

describe("AudienceSettings", () => {
  it("defaults to the issue's numbers", () => {
    expect(DEFAULT_AUDIENCE_SETTINGS).toEqual({
      holdoutShare: 0.1,
      caps: { email: 16, sms: 24, webhook: null },
      smsQuietHours: { start: "08:00", end: "21:00" },
      stateQuietHours: {
        "US-FL": { start: "08:00", end: "20:00" },
        "US-OK": { start: "08:00", end: "20:00" },
        "US-WA": { start: "08:00", end: "20:00" },
      },
    });
    expect(AudienceSettings.parse({ caps: { sms: 48 } }).caps).toEqual({ email: 16, sms: 48, webhook: null });
    expect(AudienceSettings.parse({ caps: { email: null, webhook: 1 } }).caps).toEqual({
      email: null,
      sms: 24,
      webhook: 1,
    });
    expect(AudienceSettings.parse({ stateQuietHours: {} }).stateQuietHours).toEqual({});
  });

  it("refuses bad values with the path and a clear message", () => {
    const errors = (v: unknown) => {
      const r = parseAudienceSettings(v);
      return r.ok ? [] : r.errors;
    };
    expect(errors({ holdoutShare: 0.6 })).toEqual([
      "holdoutShare: Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)",
    ]);
    expect(errors({ holdoutShare: -0.1 })).toEqual([
      "holdoutShare: Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)",
    ]);
    expect(errors({ holdoutShare: "10%" })).toEqual(["holdoutShare: Holdout share must be a number"]);
    expect(errors({ caps: { email: -1 } })).toEqual(["caps.email: Email cap must be 0 hours or more"]);
    expect(errors({ caps: { sms: "daily" } })).toEqual([
      "caps.sms: SMS cap must be a number of hours or null for no cap",
    ]);
    expect(errors({ caps: { push: 3 } })).toEqual(["caps: Unrecognized key(s) in object: 'push'"]);
    expect(errors({ smsQuietHours: { start: "8:00", end: "21:00" } })).toEqual([
      'smsQuietHours.start: Start must be a time from 00:00 to 23:59, like "08:00"',
    ]);
    expect(errors({ smsQuietHours: { start: "21:00", end: "08:00" } })).toEqual([
      "smsQuietHours.end: End (08:00) must be later than start (21:00) on the same day",
    ]);
    expect(errors({ stateQuietHours: { "US-FL": { start: "08:00", end: "24:00" } } })).toEqual([
      'stateQuietHours.US-FL.end: End must be a time from 00:00 to 23:59, like "08:00"',
    ]);
    expect(errors({ stateQuietHours: { Florida: { start: "08:00", end: "20:00" } } })).toEqual([
      'stateQuietHours.Florida: Region must be a country and province code like "US-FL"',
    ]);
    expect(errors({ stateQuietHours: { "US-TX": { start: "21:30", end: "23:00" } } })).toEqual([
      "stateQuietHours.US-TX: US-TX hours 21:30–23:00 do not overlap the SMS hours 08:00–21:00",
    ]);
    expect(errors({ holdout: 0.1 })).toEqual(["(settings): Unrecognized key(s) in object: 'holdout'"]);
  });

  it("never lets SMS hours reach outside 08:00–21:00, whatever the merchant types", () => {
    const errors = (v: unknown) => {
      const r = parseAudienceSettings(v);
      return r.ok ? [] : r.errors;
    };
    expect(errors({ smsQuietHours: { start: "07:59", end: "21:00" } })).toEqual([
      "smsQuietHours.start: SMS may not go out before 08:00 local time (got 07:59)",
    ]);
    expect(errors({ smsQuietHours: { start: "06:00", end: "23:00" } })).toEqual([
      "smsQuietHours.start: SMS may not go out before 08:00 local time (got 06:00)",
      "smsQuietHours.end: SMS may not go out after 21:00 local time (got 23:00)",
    ]);
    expect(errors({ smsQuietHours: { start: "09:00", end: "20:00" } })).toEqual([]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 0, max: 1439 }),
        (start, end, stateStart, stateEnd) => {
          const parsed = parseAudienceSettings({
            smsQuietHours: { start: hhmm(start), end: hhmm(end) },
            stateQuietHours: { "US-TX": { start: hhmm(stateStart), end: hhmm(stateEnd) } },
          });
          if (!parsed.ok) return;
          for (const province of ["TX", "CA"]) {
            const window = quietHoursFor({ countryCode: "US", provinceCode: province }, "America/Chicago", parsed.settings);
            expect(window.startMinute).toBeGreaterThanOrEqual(8 * 60);
            expect(window.endMinute).toBeLessThanOrEqual(21 * 60);
            expect(window.startMinute).toBeLessThan(window.endMinute);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
