import type { LocalDate } from "../../messaging/rules/local-dates";

// The shape of a season calendar, shared by the calendar, its public-holiday merge and the playbooks.

export const EVENT_KINDS = ["retail", "gift", "shipping", "public_holiday"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface SeasonEvent {
  /** stable across calls and years: "black-friday", "public-holiday:2026-07-04:independence-day" */
  key: string;
  name: string;
  /** local calendar date, YYYY-MM-DD */
  date: LocalDate;
  kind: EventKind;
  /** how the date is found, in the merchant's words */
  rule: string;
  /** "fixed": the season's own rule; "country": date-holidays for the shop's country; "shop_settings" */
  source: "fixed" | "country" | "shop_settings";
  /** also a public holiday in the shop's country: shops, banks and carriers may be closed */
  publicHoliday: boolean;
}

export interface SeasonCalendar {
  year: number;
  /** the ISO code whose public holidays are included; null when the shop has none or it is unknown */
  countryCode: string | null;
  /** sorted by date, then kind, then key */
  events: SeasonEvent[];
  /** what the merchant should know about this calendar (e.g. an unknown country) */
  notes: string[];
}

const KIND_ORDER: Record<EventKind, number> = { shipping: 0, retail: 1, gift: 2, public_holiday: 3 };

export function compareEvents(a: SeasonEvent, b: SeasonEvent): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The event with this key; throws when the calendar has none (a programming error, not input). */
export function eventOn(calendar: SeasonCalendar, key: string): SeasonEvent {
  const event = calendar.events.find((e) => e.key === key);
  if (!event) throw new Error(`The ${calendar.year} season calendar has no event "${key}"`);
  return event;
}
