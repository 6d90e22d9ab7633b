import fc from "fast-check";
import Holidays from "date-holidays";
import { describe, expect, it } from "vitest";
import { addDays, dayNumber, daysBetween, easterSunday, formatLocalDate, fromDayNumber, isLocalDate, LocalDate, localDate, nthWeekday, weekdayOf } from "./local-dates";

describe("local dates", () => {
  it("tells real calendar dates from look-alikes", () => {
    expect(isLocalDate("2028-02-29")).toBe(true);
    expect(isLocalDate("2026-02-29")).toBe(false);
    expect(isLocalDate("2026-13-01")).toBe(false);
    expect(isLocalDate("2026-1-01")).toBe(false);
    expect(isLocalDate("2026-11-27T00:00:00Z")).toBe(false);
    expect(LocalDate.safeParse("2026-04-31").error?.issues[0]?.message).toBe('"2026-04-31" is not a calendar date like 2026-11-27 (YYYY-MM-DD)');
    expect(() => localDate(2026, 2, 30)).toThrow(RangeError);
  });

  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(daysBetween("2026-11-27", "2026-11-30")).toBe(3);
    expect(weekdayOf("1970-01-01")).toBe(4);
    expect(weekdayOf("2026-11-27")).toBe(5);
    expect(weekdayOf("1969-12-31")).toBe(3);
    expect(nthWeekday(2026, 11, 4, 4)).toBe("2026-11-26");
    expect(formatLocalDate("2026-12-15")).toBe("Tue, Dec 15");
  });

  it("round-trips day numbers and agrees with Date on weekdays", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber("1900-01-01"), max: dayNumber("2200-12-31") }), (n) => {
        const date = fromDayNumber(n);
        expect(dayNumber(date)).toBe(n);
        expect(weekdayOf(date)).toBe(new Date(`${date}T12:00:00Z`).getUTCDay());
        expect(addDays(date, 1) > date).toBe(true);
      }),
    );
  });

  it("computes Western Easter as date-holidays does", () => {
    expect([2024, 2025, 2026, 2027, 2028, 2029, 2030].map(easterSunday)).toEqual([
      "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01", "2030-04-21",
    ]);
    const gb = new Holidays("GB");
    for (let year = 1990; year <= 2100; year++) {
      const easter = gb.getHolidays(year, "en").find((h) => h.name === "Easter Sunday");
      expect(easter?.date.slice(0, 10), String(year)).toBe(easterSunday(year));
    }
  });
});
