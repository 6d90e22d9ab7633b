// Dates and times as a merchant reads them in Shopify admin ("Dec 6, 2026, 9:30 AM EST"), in the
// zone it is handed: the shop's, or a customer's. Loaders format on the server and send the text,
// so the browser renders exactly what the server did. The pieces come from Intl as numbers and the
// line is put together here, so the result does not depend on the ICU version's punctuation.

import { isValidTimeZone } from "../messaging/rules/time-zone";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** Times are shown in UTC when the shop's zone is unknown (before the first sync) or not a zone. */
export const FALLBACK_ZONE = "UTC";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The zone times are shown in: the one given when it is an IANA zone, else UTC. */
export function displayZone(zone: string | null | undefined): string {
  return isValidTimeZone(zone) ? zone : FALLBACK_ZONE;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** the zone's abbreviation at that instant: EST, EDT, GMT+1 … */
  zoneName: string;
}

function wallClock(instant: Date, zone: string): Wall {
  const parts = formatterFor(displayZone(zone)).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const hour = Number(part("hour"));
  return {
    year: Number(part("year")),
    month: Number(part("month")),
    day: Number(part("day")),
    // some ICU versions write midnight as 24 in the h23 cycle
    hour: hour === 24 ? 0 : hour,
    minute: Number(part("minute")),
    zoneName: part("timeZoneName"),
  };
}

const toInstant = (value: Date | string) => (typeof value === "string" ? new Date(value) : value);

function clock(hour: number, minute: number): string {
  const period = hour < 12 ? "AM" : "PM";
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  return `${twelve}:${String(minute).padStart(2, "0")} ${period}`;
}

const monthDayYear = (year: number, month: number, day: number) =>
  `${MONTHS[month - 1] ?? "?"} ${day}, ${year}`;

/** "Dec 6, 2026, 9:30 AM EST": the instant on the zone's clock, with the zone's abbreviation. */
export function formatDateTime(value: Date | string, zone: string): string {
  const w = wallClock(toInstant(value), zone);
  return `${monthDayYear(w.year, w.month, w.day)}, ${clock(w.hour, w.minute)} ${w.zoneName}`;
}

/** "Dec 6, 2026": the zone's calendar date of the instant. */
export function formatDate(value: Date | string, zone: string): string {
  const w = wallClock(toInstant(value), zone);
  return monthDayYear(w.year, w.month, w.day);
}

/** "Dec 6, 2026, 9:30 AM EST", or null when there is no time. */
export function formatOptionalDateTime(value: Date | string | null | undefined, zone: string): string | null {
  return value === null || value === undefined ? null : formatDateTime(value, zone);
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

/** "Fri, Nov 27, 2026" for a calendar date ("2026-11-27"), which belongs to no zone. */
export function formatCalendarDate(date: string): string {
  const match = LOCAL_DATE.exec(date);
  if (!match) return date;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()] ?? "?";
  return `${weekday}, ${monthDayYear(year, month, day)}`;
}

/** "Nov 27, 2026, 10:00 AM" for a wall-clock date and time that each customer reads on their own clock. */
export function formatWallTime(date: string, time: string): string {
  const d = LOCAL_DATE.exec(date);
  const t = LOCAL_TIME.exec(time);
  if (!d || !t) return `${date} ${time}`;
  return `${monthDayYear(Number(d[1]), Number(d[2]), Number(d[3]))}, ${clock(Number(t[1]), Number(t[2]))}`;
}

/**
 * The instant on the customer's clock when their zone differs from the shop's ("Dec 6, 2026,
 * 6:30 AM PST"); null when there is nothing more to say than the shop's time.
 */
export function formatCustomerTime(
  value: Date | string | null | undefined,
  customerZone: string | null | undefined,
  shopZone: string,
): string | null {
  if (value === null || value === undefined || !isValidTimeZone(customerZone)) return null;
  if (customerZone === displayZone(shopZone)) return null;
  return formatDateTime(value, customerZone);
}

/** The line each page shows once: which zone its times are in. */
export function timesNote(zone: string): string {
  const shown = displayZone(zone);
  return shown === zone ? `Times are in your store's time zone, ${shown}.` : `Times are in ${shown}.`;
}
