import type { AudienceSettings } from "./settings";
import {
  DAY_MS,
  instantAt,
  MINUTE_MS,
  parseLocalTime,
  possibleInstants,
  startOfWallDay,
  wallAt,
} from "./time-zone";

// When a message may go out (issue 5). SMS only between the quiet hours' start and end in the
// recipient's zone; a moment already passed moves forward, never back, and is never dropped here.

/** The allowed sending window of one recipient: minutes after local midnight, start included, end excluded. */
export interface QuietHours {
  timeZone: string;
  startMinute: number;
  endMinute: number;
}

/**
 * The SMS window for a customer: the shop's SMS hours, narrowed by the hours of the customer's
 * state when the settings have them (intersected, so a state setting can only be stricter).
 */
export function quietHoursFor(
  region: { countryCode: string | null; provinceCode: string | null },
  timeZone: string,
  settings: Pick<AudienceSettings, "smsQuietHours" | "stateQuietHours">,
): QuietHours {
  let startMinute = parseLocalTime(settings.smsQuietHours.start);
  let endMinute = parseLocalTime(settings.smsQuietHours.end);
  const country = region.countryCode?.trim().toUpperCase();
  const province = region.provinceCode?.trim().toUpperCase();
  // Shopify gives most provinces alone ("FL") but some with their country ("JP-13").
  const regionKey =
    country && province ? (province.startsWith(`${country}-`) ? province : `${country}-${province}`) : null;
  const state = regionKey ? settings.stateQuietHours[regionKey] : undefined;
  if (state) {
    startMinute = Math.max(startMinute, parseLocalTime(state.start));
    endMinute = Math.min(endMinute, parseLocalTime(state.end));
  }
  if (startMinute >= endMinute) throw new RangeError(`SMS hours for ${regionKey ?? "the shop"} are empty`); // settings refuse this
  return { timeZone, startMinute, endMinute };
}

/** True when `instant` (ms) falls inside the window in its zone. */
export function isAllowedAt(instant: number, quietHours: QuietHours): boolean {
  const wall = wallAt(instant, quietHours.timeZone);
  const intoDay = wall - startOfWallDay(wall);
  return intoDay >= quietHours.startMinute * MINUTE_MS && intoDay < quietHours.endMinute * MINUTE_MS;
}

/** The first instant after `after` whose local time is the wall time `opens`, or undefined. */
function firstReadingAfter(opens: number, after: number, timeZone: string): number | undefined {
  const readings = possibleInstants(opens, timeZone);
  // In a spring-forward gap the opening time does not exist: the window opens when the gap ends.
  const next = readings.length > 0 ? readings.find((x) => x > after) : instantAt(opens, timeZone).instant;
  return next !== undefined && next > after ? next : undefined;
}

/** The earliest moment ≥ `instant` inside the window. */
export function nextInWindow(instant: number, quietHours: QuietHours): number {
  const { timeZone, startMinute } = quietHours;
  let t = instant;
  // Real zones converge in one or two steps; the bounds only guard against a broken zone table.
  for (let step = 0; step < 8; step++) {
    if (isAllowedAt(t, quietHours)) return t;
    const wall = wallAt(t, timeZone);
    const opensToday = startOfWallDay(wall) + startMinute * MINUTE_MS;
    let opens = wall < opensToday ? opensToday : opensToday + DAY_MS;
    let next = firstReadingAfter(opens, t, timeZone);
    for (let day = 0; next === undefined && day < 3; day++) {
      opens += DAY_MS;
      next = firstReadingAfter(opens, t, timeZone);
    }
    if (next === undefined) break;
    t = next;
  }
  throw new RangeError(`no sending window found in ${timeZone} after ${new Date(instant).toISOString()}`);
}

/** Sends go out in whole seconds so the UTC and local columns of the plan agree. */
export function ceilToSecond(instant: number): number {
  return Math.ceil(instant / 1000) * 1000;
}

/**
 * The moment a message planned for `desired` may go out: not before `now` (a passed time moves to
 * now, not dropped) and, with quiet hours, inside the window (else its next opening).
 */
export function nextAllowedSend({
  desired,
  now,
  quietHours,
}: {
  desired: Date;
  now: Date;
  quietHours: QuietHours | null;
}): Date {
  const t = ceilToSecond(Math.max(desired.getTime(), now.getTime()));
  if (Number.isNaN(t)) throw new RangeError("desired and now must be valid dates");
  return new Date(quietHours ? nextInWindow(t, quietHours) : t);
}
