import {
  addDays,
  easterSunday,
  MONDAY,
  nthWeekday,
  SUNDAY,
  THURSDAY,
  type LocalDate,
} from "../../messaging/rules/local-dates";

// The dates of the shopping season that follow a rule rather than a country's law. Pure.

/** US Thanksgiving: the 4th Thursday of November. Black Friday and Cyber Week hang off it. */
export function thanksgiving(year: number): LocalDate {
  return nthWeekday(year, 11, THURSDAY, 4);
}

/** The day after US Thanksgiving: always a Friday from Nov 23 to Nov 29. */
export function blackFriday(year: number): LocalDate {
  return addDays(thanksgiving(year), 1);
}

export function smallBusinessSaturday(year: number): LocalDate {
  return addDays(blackFriday(year), 1);
}

export function cyberMonday(year: number): LocalDate {
  return addDays(blackFriday(year), 3);
}

/** The 2nd Monday of December, the last big online shopping day with standard Christmas delivery. */
export function greenMonday(year: number): LocalDate {
  return nthWeekday(year, 12, MONDAY, 2);
}

export interface DateWindow {
  /** first day, inclusive */
  start: LocalDate;
  /** last day, inclusive */
  end: LocalDate;
}

/** Cyber Week as merchants run it: Black Friday through Cyber Monday, four days. */
export function cyberWeek(year: number): DateWindow & { days: LocalDate[] } {
  const start = blackFriday(year);
  const days = [0, 1, 2, 3].map((n) => addDays(start, n));
  return { start, end: cyberMonday(year), days };
}

/** US (and most of the world): the 2nd Sunday of May. */
export function mothersDayUS(year: number): LocalDate {
  return nthWeekday(year, 5, SUNDAY, 2);
}

/** UK Mothering Sunday: the 4th Sunday of Lent, three weeks before Easter Sunday. */
export function motheringSundayUK(year: number): LocalDate {
  return addDays(easterSunday(year), -21);
}

/** US, UK, Canada and many others: the 3rd Sunday of June. */
export function fathersDayJune(year: number): LocalDate {
  return nthWeekday(year, 6, SUNDAY, 3);
}
