import type { SeasonEvent } from "./events";
import { sameHolidayName, type CountryHoliday } from "./holidays";

// The country's public holidays joined to the season's fixed events: a holiday that is the same
// occasion on the same day (Christmas Day, Boxing Day as St. Stephen's Day) marks the fixed event
// instead of being listed twice. Different occasions on one day (Singles Day, Veterans Day) both stay.

/** Names under which date-holidays lists a fixed event as a public holiday on the same date. */
const PUBLIC_HOLIDAY_ALIASES: Record<string, readonly string[]> = {
  "mothers-day": ["Mother's Day"],
  "new-years-day": ["New Year", "The first day of January", "Jour de l'an"],
  "boxing-day": [
    "St. Stephen's Day",
    "Day of Goodwill",
    "The first weekday after Christmas Day",
    "Christmas Day",
  ],
};

export type FixedEvent = Omit<SeasonEvent, "publicHoliday">;

function slug(name: string): string {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['\u2019]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return ascii || "holiday";
}

function sameOccasion(event: FixedEvent, holiday: CountryHoliday): boolean {
  if (event.date !== holiday.date) return false;
  const names = [event.name, ...(PUBLIC_HOLIDAY_ALIASES[event.key] ?? [])];
  return names.some((n) => sameHolidayName(n, holiday.name));
}

/** Fixed events, marked when they are public holidays too, plus the country's other public holidays. */
export function mergePublicHolidays(
  events: readonly FixedEvent[],
  holidays: readonly CountryHoliday[],
  country: string,
): SeasonEvent[] {
  const merged: SeasonEvent[] = events.map((e) => ({ ...e, publicHoliday: false }));
  const keys = new Set(merged.map((e) => e.key));
  for (const holiday of holidays) {
    if (holiday.type !== "public") continue;
    const same = merged.find((e) => e.source !== "country" && sameOccasion(e, holiday));
    if (same) {
      same.publicHoliday = true;
      continue;
    }
    const base = `public-holiday:${holiday.date}:${slug(holiday.name)}`;
    let key = base;
    for (let n = 2; keys.has(key); n++) key = `${base}-${n}`;
    keys.add(key);
    const rule = `public holiday in ${country}${holiday.substitute ? " (substitute day)" : ""}`;
    const { date, name } = holiday;
    merged.push({ key, name, date, kind: "public_holiday", rule, source: "country", publicHoliday: true });
  }
  return merged;
}
