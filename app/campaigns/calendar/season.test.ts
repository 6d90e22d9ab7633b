import fc from "fast-check";
import Holidays from "date-holidays";
import { describe, expect, it } from "vitest";
import { addDays, weekdayOf } from "../../messaging/rules/local-dates";
import { InvalidSettingsError } from "./issues";
import { compareEvents, eventOn, type SeasonCalendar } from "./events";
import { seasonCalendar } from "./season";

const dateOf = (calendar: SeasonCalendar, key: string) => eventOn(calendar, key).date;
const fixedDates = (calendar: SeasonCalendar) =>
  Object.fromEntries(calendar.events.filter((e) => e.source !== "country").map((e) => [e.key, e.date]));

describe("seasonCalendar", () => {
  it("lists the US season of 2026", () => {
    const calendar = seasonCalendar({ year: 2026, countryCode: "US" });
    expect(calendar.notes).toEqual([]);
    expect(fixedDates(calendar)).toEqual({
      "new-years-day": "2026-01-01",
      "valentines-day": "2026-02-14",
      "mothers-day": "2026-05-10",
      "fathers-day": "2026-06-21",
      "singles-day": "2026-11-11",
      "black-friday": "2026-11-27",
      "small-business-saturday": "2026-11-28",
      "cyber-monday": "2026-11-30",
      "green-monday": "2026-12-14",
      "standard-shipping-cutoff": "2026-12-15",
      "express-shipping-cutoff": "2026-12-20",
      "christmas-eve": "2026-12-24",
      "christmas-day": "2026-12-25",
      "boxing-day": "2026-12-26",
      "new-years-eve": "2026-12-31",
    });
    const holidays = calendar.events
      .filter((e) => e.kind === "public_holiday")
      .map((e) => `${e.date} ${e.name}`);
    expect(holidays).toContain("2026-11-26 Thanksgiving Day");
    expect(holidays).toContain("2026-07-03 Independence Day (substitute day)");
    expect(holidays).toContain("2026-09-07 Labor Day");
    // Christmas and New Year are the fixed events, marked as public holidays, not listed twice.
    expect(holidays.filter((h) => /Christmas|New Year/.test(h))).toEqual([]);
    expect(eventOn(calendar, "christmas-day").publicHoliday).toBe(true);
    expect(eventOn(calendar, "christmas-eve").publicHoliday).toBe(false); // "optional" in the US, not public
    expect(eventOn(calendar, "black-friday")).toMatchObject({
      kind: "retail",
      name: "Black Friday",
      source: "fixed",
    });
    expect(eventOn(calendar, "standard-shipping-cutoff")).toMatchObject({
      kind: "shipping",
      source: "shop_settings",
    });
  });

  it("uses Mothering Sunday in the UK and the country's own Mother's and Father's Day elsewhere", () => {
    for (const year of [2024, 2025, 2026, 2027, 2028, 2029, 2030]) {
      const gb = new Holidays("GB").getHolidays(year, "en");
      expect(dateOf(seasonCalendar({ year, countryCode: "GB" }), "mothers-day")).toBe(
        gb.find((h) => h.name === "Mother's Day")?.date.slice(0, 10),
      );
    }
    expect(eventOn(seasonCalendar({ year: 2026, countryCode: "gb" }), "mothers-day")).toMatchObject({
      date: "2026-03-15",
      name: "Mother's Day (Mothering Sunday)",
    });
    expect(dateOf(seasonCalendar({ year: 2026, countryCode: "UK" }), "mothers-day")).toBe("2026-03-15");
    expect(dateOf(seasonCalendar({ year: 2026, countryCode: "US" }), "mothers-day")).toBe("2026-05-10");
    expect(eventOn(seasonCalendar({ year: 2026, countryCode: "FR" }), "mothers-day")).toMatchObject({
      date: "2026-05-31",
      rule: "as observed in FR",
    });
    expect(dateOf(seasonCalendar({ year: 2026, countryCode: "MX" }), "mothers-day")).toBe("2026-05-10");
    expect(eventOn(seasonCalendar({ year: 2026, countryCode: "AU" }), "fathers-day")).toMatchObject({
      date: "2026-09-06",
      rule: "as observed in AU",
    });
    expect(dateOf(seasonCalendar({ year: 2026, countryCode: "CA" }), "fathers-day")).toBe("2026-06-21");
    // date-holidays has no Mother's Day for Japan: the US date, and the rule says so.
    expect(eventOn(seasonCalendar({ year: 2026, countryCode: "JP" }), "mothers-day").rule).toMatch(/US date/);
  });

  it("merges a public holiday into the fixed event of the same day and keeps substitute days", () => {
    const gb = seasonCalendar({ year: 2026, countryCode: "GB" });
    expect(eventOn(gb, "boxing-day").publicHoliday).toBe(true);
    expect(gb.events.filter((e) => e.date === "2026-12-26")).toHaveLength(1);
    expect(eventOn(gb, "public-holiday:2026-12-28:boxing-day-substitute-day")).toMatchObject({
      kind: "public_holiday",
      rule: "public holiday in GB (substitute day)",
    });
    const ie = seasonCalendar({ year: 2026, countryCode: "IE" });
    expect(ie.events.filter((e) => e.date === "2026-12-26").map((e) => e.key)).toEqual(["boxing-day"]);
    // Singles Day and Veterans Day share Nov 11 but are different occasions.
    const us = seasonCalendar({ year: 2026, countryCode: "US" });
    expect(us.events.filter((e) => e.date === "2026-11-11").map((e) => e.key)).toEqual([
      "singles-day",
      "public-holiday:2026-11-11:veterans-day",
    ]);
  });

  it("answers an unknown or missing country with the fixed events and a note", () => {
    for (const countryCode of ["XX", "USA", "", null, undefined]) {
      const calendar = seasonCalendar({ year: 2026, countryCode });
      expect(calendar.countryCode).toBeNull();
      expect(calendar.events.every((e) => e.kind !== "public_holiday")).toBe(true);
      expect(dateOf(calendar, "black-friday")).toBe("2026-11-27");
      expect(dateOf(calendar, "mothers-day")).toBe("2026-05-10");
      expect(calendar.notes).toHaveLength(1);
    }
    expect(seasonCalendar({ year: 2026, countryCode: "XX" }).notes[0]).toMatch(
      /^No holiday rules are known for country "XX": .* without public holidays/,
    );
    expect(seasonCalendar({ year: 2026, countryCode: null }).notes[0]).toMatch(
      /^The shop has no country set/,
    );
  });

  it("takes the shop's shipping cut-offs and refuses bad settings naming the field", () => {
    const calendar = seasonCalendar({
      year: 2026,
      countryCode: "US",
      shipping: { standard: { daysBeforeChristmas: 12 }, express: { date: "12-22" } },
    });
    expect(dateOf(calendar, "standard-shipping-cutoff")).toBe("2026-12-13");
    expect(dateOf(calendar, "express-shipping-cutoff")).toBe("2026-12-22");
    const attempt = () =>
      seasonCalendar({ year: 2026.5, countryCode: "US", shipping: { standard: { date: "12-26" } } });
    expect(attempt).toThrow(InvalidSettingsError);
    expect(attempt).toThrow(
      'Invalid season calendar settings: year: Year must be a whole number like 2026; shipping.standard.date: Standard shipping cut-off date must be a month-day from 11-01 to 12-24, like "12-15"',
    );
  });

  it("is sorted, has unique keys, stays within its year and is the same on every call", () => {
    const countries = fc.constantFrom(
      "US",
      "GB",
      "CA",
      "AU",
      "DE",
      "FR",
      "IE",
      "JP",
      "BR",
      "NZ",
      "ZA",
      "XX",
      null,
    );
    const shipping = fc
      .tuple(fc.integer({ min: 1, max: 54 }), fc.integer({ min: 0, max: 53 }))
      .map(([standard, earlier]) => ({
        standard: { daysBeforeChristmas: standard },
        express: { daysBeforeChristmas: Math.max(1, standard - earlier) },
      }));
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2100 }), countries, shipping, (year, countryCode, cutoffs) => {
        const calendar = seasonCalendar({ year, countryCode, shipping: cutoffs });
        const { events } = calendar;
        expect([...events].sort(compareEvents)).toEqual(events);
        expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
        expect(events.every((e) => e.date.startsWith(`${year}-`))).toBe(true);
        const bf = dateOf(calendar, "black-friday");
        expect(weekdayOf(bf)).toBe(5);
        expect(dateOf(calendar, "cyber-monday")).toBe(addDays(bf, 3));
        expect(
          dateOf(calendar, "standard-shipping-cutoff") <= dateOf(calendar, "express-shipping-cutoff"),
        ).toBe(true);
        expect(seasonCalendar({ year, countryCode, shipping: cutoffs })).toEqual(calendar);
      }),
      { numRuns: 60 },
    );
  });
});
