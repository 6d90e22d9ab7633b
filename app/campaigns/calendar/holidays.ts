import Holidays from "date-holidays";
import type { LocalDate } from "../../messaging/rules/local-dates";

// What `date-holidays` knows about a country's year, reduced to local calendar dates and English
// names (the local name where the library has no English one). Pure: the library
// computes from rules shipped in the package, it reads no clock and no network.

export type HolidayType = "public" | "bank" | "optional" | "school" | "observance";

export interface CountryHoliday {
  date: LocalDate;
  name: string;
  type: HolidayType;
  /** a day off in lieu of a holiday that fell on a weekend ("Boxing Day (substitute day)") */
  substitute: boolean;
}

let supported: ReadonlySet<string> | null = null;

function supportedCountries(): ReadonlySet<string> {
  // Built once: the list is part of the package data and never changes while the process runs.
  supported ??= new Set(Object.keys(new Holidays().getCountries("en")));
  return supported;
}

/**
 * "gb" → "GB"; "UK" (common, but not ISO 3166) → "GB"; anything that is not two letters → null.
 * Shopify's `shop.countryCode` is already ISO upper case; this tolerates hand-written shop.json.
 */
export function normalizeCountryCode(code: string | null | undefined): string | null {
  const upper = (code ?? "").trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) return null;
  return upper === "UK" ? "GB" : upper;
}

/** Whether date-holidays has rules for this (normalized) country code. */
export function isSupportedCountry(countryCode: string): boolean {
  return supportedCountries().has(countryCode);
}

/** Every holiday date-holidays has for the country in the year, any type, sorted by date. */
export function countryHolidays(year: number, countryCode: string): CountryHoliday[] {
  if (!isSupportedCountry(countryCode)) return [];
  const holidays = new Holidays(countryCode);
  // The country's own English where it has one ("Labor Day" in the US), else the library's English.
  const english = holidays.getLanguages().find((l) => l.startsWith("en")) ?? "en";
  return holidays
    .getHolidays(year, english)
    .map((h) => ({
      date: h.date.slice(0, 10),
      name: h.name,
      type: h.type,
      substitute: h.substitute === true,
    }))
    .filter((h) => h.date.startsWith(`${String(year).padStart(4, "0")}-`));
}

/** Straight and curly apostrophes, case and spacing do not make two names different. */
export function sameHolidayName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .replace(/[\u2018\u2019`]/g, "'")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase();
  return norm(a) === norm(b);
}

/** The country's date for an observance by its English name ("Mother's Day"), if the library has one. */
export function observanceDate(holidays: readonly CountryHoliday[], englishName: string): LocalDate | null {
  return holidays.find((h) => !h.substitute && sameHolidayName(h.name, englishName))?.date ?? null;
}
