import { z } from "zod";
import { CalendarYear, localDate, type LocalDate } from "../../messaging/rules/local-dates";
import { compareEvents, type EventKind, type SeasonCalendar } from "./events";
import {
  countryHolidays,
  isSupportedCountry,
  normalizeCountryCode,
  observanceDate,
  type CountryHoliday,
} from "./holidays";
import { InvalidSettingsError, settingsIssues } from "./issues";
import { mergePublicHolidays, type FixedEvent } from "./public-holidays";
import {
  blackFriday,
  cyberMonday,
  fathersDayJune,
  greenMonday,
  motheringSundayUK,
  mothersDayUS,
  smallBusinessSaturday,
} from "./retail";
import { cutoffDate, cutoffDaysBeforeChristmas, ShippingCutoffs, type ShippingCutoff } from "./shipping";

// One year of the shop's season: the shopping days, the gift days, the shop's own shipping cut-offs
// and the public holidays of the shop's country. Pure: the year, country and settings are inputs.

export const SeasonCalendarInput = z.object({
  year: CalendarYear,
  countryCode: z.string({ invalid_type_error: 'Country must be a two-letter code like "US"' }).nullish(),
  shipping: ShippingCutoffs.default({}),
});
export type SeasonCalendarInput = z.input<typeof SeasonCalendarInput>;

function fixed(key: string, name: string, date: LocalDate, kind: EventKind, rule: string): FixedEvent {
  return { key, name, date, kind, rule, source: "fixed" };
}

function mothersDay(year: number, country: string | null, holidays: readonly CountryHoliday[]): FixedEvent {
  if (country === "GB") {
    return fixed(
      "mothers-day",
      "Mother's Day (Mothering Sunday)",
      motheringSundayUK(year),
      "gift",
      "UK: Mothering Sunday, three weeks before Easter Sunday",
    );
  }
  const us = mothersDayUS(year);
  const theirs = country !== null && country !== "US" ? observanceDate(holidays, "Mother's Day") : null;
  if (theirs && theirs !== us)
    return fixed("mothers-day", "Mother's Day", theirs, "gift", `as observed in ${country}`);
  const why = country !== "US" && theirs === null ? " (US date: no rule known for the shop's country)" : "";
  return fixed("mothers-day", "Mother's Day", us, "gift", `2nd Sunday of May${why}`);
}

function fathersDay(year: number, country: string | null, holidays: readonly CountryHoliday[]): FixedEvent {
  const june = fathersDayJune(year);
  const theirs = observanceDate(holidays, "Father's Day");
  if (theirs && theirs !== june && country)
    return fixed("fathers-day", "Father's Day", theirs, "gift", `as observed in ${country}`);
  return fixed("fathers-day", "Father's Day", june, "gift", "3rd Sunday of June");
}

function shippingCutoff(year: number, speed: "standard" | "express", cutoff: ShippingCutoff): FixedEvent {
  const days = cutoffDaysBeforeChristmas(cutoff);
  const rule = cutoff.date
    ? `shop setting: ${cutoff.date} (${days} days before Christmas)`
    : `shop setting: ${days} days before Christmas`;
  const name = speed === "standard" ? "Standard shipping cut-off" : "Express shipping cut-off";
  const date = cutoffDate(year, cutoff);
  return { key: `${speed}-shipping-cutoff`, name, date, kind: "shipping", rule, source: "shop_settings" };
}

function fixedEvents(
  year: number,
  country: string | null,
  holidays: readonly CountryHoliday[],
  shipping: ShippingCutoffs,
): FixedEvent[] {
  const on = (month: number, day: number) => localDate(year, month, day);
  return [
    fixed("new-years-day", "New Year's Day", on(1, 1), "retail", "January 1"),
    fixed("valentines-day", "Valentine's Day", on(2, 14), "gift", "February 14"),
    mothersDay(year, country, holidays),
    fathersDay(year, country, holidays),
    fixed("singles-day", "Singles Day", on(11, 11), "retail", "November 11"),
    fixed(
      "black-friday",
      "Black Friday",
      blackFriday(year),
      "retail",
      "the day after the 4th Thursday of November",
    ),
    fixed(
      "small-business-saturday",
      "Small Business Saturday",
      smallBusinessSaturday(year),
      "retail",
      "the day after Black Friday",
    ),
    fixed("cyber-monday", "Cyber Monday", cyberMonday(year), "retail", "the Monday after Black Friday"),
    fixed("green-monday", "Green Monday", greenMonday(year), "retail", "2nd Monday of December"),
    shippingCutoff(year, "standard", shipping.standard),
    shippingCutoff(year, "express", shipping.express),
    fixed("christmas-eve", "Christmas Eve", on(12, 24), "gift", "December 24"),
    fixed("christmas-day", "Christmas Day", on(12, 25), "gift", "December 25"),
    fixed("boxing-day", "Boxing Day", on(12, 26), "retail", "December 26"),
    fixed("new-years-eve", "New Year's Eve", on(12, 31), "retail", "December 31"),
  ];
}

/**
 * The season calendar of a year for a shop. Throws InvalidSettingsError (naming each field) on a bad
 * year or shipping cut-offs; an unknown or missing country is not an error: the calendar then has no
 * public holidays and uses the US dates for Mother's and Father's Day, and `notes` says so.
 */
export function seasonCalendar(input: SeasonCalendarInput): SeasonCalendar {
  const parsed = SeasonCalendarInput.safeParse(input);
  if (!parsed.success)
    throw new InvalidSettingsError("season calendar settings", settingsIssues(parsed.error));
  const { year, shipping } = parsed.data;
  const given = parsed.data.countryCode ?? null;
  const normalized = normalizeCountryCode(given);
  const country = normalized !== null && isSupportedCountry(normalized) ? normalized : null;
  const notes: string[] = [];
  if (country === null) {
    const what =
      given === null || given.trim() === ""
        ? "The shop has no country set"
        : `No holiday rules are known for country "${given}"`;
    notes.push(
      `${what}: the calendar shows the season's shopping and gift days and the shipping cut-offs only, without public holidays; Mother's and Father's Day use the US dates.`,
    );
  }
  const holidays = country === null ? [] : countryHolidays(year, country);
  const events = fixedEvents(year, country, holidays, shipping);
  const all =
    country === null
      ? events.map((e) => ({ ...e, publicHoliday: false }))
      : mergePublicHolidays(events, holidays, country);
  return { year, countryCode: country, events: all.sort(compareEvents), notes };
}
