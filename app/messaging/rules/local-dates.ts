import { z } from "zod";

// Local calendar dates as "YYYY-MM-DD" strings. A season event happens on a day in the shop's (or
// the customer's) own calendar, not at an instant, so no time zone enters here: the arithmetic runs
// on day numbers, and Date is only used as a proleptic Gregorian calendar in UTC. Pure.

export type LocalDate = string;
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6; // Sunday = 0, as Date.getUTCDay()

export const SUNDAY: Weekday = 0;
export const MONDAY: Weekday = 1;
export const THURSDAY: Weekday = 4;
export const FRIDAY: Weekday = 5;

/** Years the calendar answers for; outside them "YYYY" would not hold four digits of sense. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

const WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const CalendarYear = z
  .number({
    invalid_type_error: "Year must be a number like 2026",
    required_error: "Year is required (e.g. 2026)",
  })
  .int("Year must be a whole number like 2026")
  .min(MIN_YEAR, `Year must be ${MIN_YEAR} or later`)
  .max(MAX_YEAR, `Year must be ${MAX_YEAR} or earlier`);

/** The day number (days since 1970-01-01) of a valid date, or null. */
function parseDayNumber(date: string): number | null {
  const match = LOCAL_DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 02-30 over into March: a round trip tells a real date from a rolled one.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return null;
  return ms / DAY_MS;
}

export function isLocalDate(value: string): boolean {
  return parseDayNumber(value) !== null;
}

export const LocalDate = z
  .string({
    invalid_type_error: "Date must be text like 2026-11-27",
    required_error: "Date is required (YYYY-MM-DD)",
  })
  .refine(isLocalDate, (value) => ({
    message: `"${value}" is not a calendar date like 2026-11-27 (YYYY-MM-DD)`,
  }));

export function dayNumber(date: LocalDate): number {
  const n = parseDayNumber(date);
  if (n === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return n;
}

export function fromDayNumber(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function localDate(year: number, month: number, day: number): LocalDate {
  const date = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  dayNumber(date); // throws on 02-30 and friends
  return date;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** b − a in days: positive when b is later. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function weekdayOf(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday.
  const weekday = WEEKDAYS[(((dayNumber(date) + THURSDAY) % 7) + 7) % 7];
  if (weekday === undefined) throw new RangeError(`No weekday for ${date}`); // unreachable: index is 0..6
  return weekday;
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** The nth (1-based) given weekday of a month: nthWeekday(2026, 11, THURSDAY, 4) = Thanksgiving. */
export function nthWeekday(year: number, month: number, weekday: Weekday, n: number): LocalDate {
  const first = localDate(year, month, 1);
  const offset = (weekday - weekdayOf(first) + 7) % 7;
  return addDays(first, offset + 7 * (n - 1));
}

/** Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return localDate(year, month, day);
}

const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** "Tue, Dec 15": how a date reads in a merchant-facing text. Fixed English, not the host's locale. */
export function formatLocalDate(date: LocalDate): string {
  const month = MONTH_NAMES[Number(date.slice(5, 7)) - 1] ?? "?";
  return `${WEEKDAY_NAMES[weekdayOf(date)]}, ${month} ${Number(date.slice(8, 10))}`;
}
