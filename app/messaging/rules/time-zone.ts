// Wall-clock arithmetic in IANA time zones with nothing but Intl (runs in Node and the browser).
// A "wall" value is a local date and time written as if it were UTC milliseconds, so local days
// and minutes can be added with plain arithmetic and turned back into an instant at the end.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** How a local date and time became an instant (see `instantAt`). */
export const LOCAL_TIME_ADJUSTMENTS = ["exact", "gap_moved_forward", "ambiguous_first_occurrence"] as const;
export type LocalTimeAdjustment = (typeof LOCAL_TIME_ADJUSTMENTS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();
const unknownZones = new Set<string>(); // a bad zone is asked about for every customer who has it

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (IANA names, "UTC", fixed offsets like "+05:30"). */
export function isValidTimeZone(timeZone: string | null | undefined): timeZone is string {
  if (typeof timeZone !== "string" || timeZone.trim() === "" || unknownZones.has(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    if (unknownZones.size < 10_000) unknownZones.add(timeZone);
    return false;
  }
}

function wallFromUtcParts(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year); // Date.UTC reads years 0–99 as 1900–1999
  return d.getTime();
}

// Planning a campaign asks the same zones about the same few instants for every customer, and
// formatToParts costs microseconds: remember the offsets (at most MAX_CACHED, a few MB).
const offsetCache = new Map<string, Map<number, number>>();
const MAX_CACHED = 100_000;
let cached = 0;

function computeOffset(whole: number, timeZone: string): number {
  const n: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(whole))) {
    if (p.type !== "literal") n[p.type] = Number(p.value);
  }
  const hour = n.hour === 24 ? 0 : (n.hour ?? 0);
  return (
    wallFromUtcParts(n.year ?? 1970, n.month ?? 1, n.day ?? 1, hour, n.minute ?? 0, n.second ?? 0) - whole
  );
}

/** UTC offset of `timeZone` at `instant`, in ms (−5 h in New York winter). */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  const known = offsetCache.get(timeZone)?.get(whole);
  if (known !== undefined) return known;
  const offset = computeOffset(whole, timeZone);
  if (cached >= MAX_CACHED) {
    offsetCache.clear();
    cached = 0;
  }
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  zone.set(whole, offset);
  cached++;
  return offset;
}

/** The wall clock in `timeZone` at `instant` (ms), as wall milliseconds. */
export function wallAt(instant: number, timeZone: string): number {
  return instant + offsetAt(instant, timeZone);
}

/** Every instant whose wall clock in `timeZone` reads `wall`, earliest first: none in a gap, two in a repeated hour. */
export function possibleInstants(wall: number, timeZone: string): number[] {
  // The true instant lies within ±14 h of `wall`; a day either side is before and after any
  // transition that could matter, so these offsets cover every reading of the wall time.
  const offsets = new Set([
    offsetAt(wall - DAY_MS, timeZone),
    offsetAt(wall + DAY_MS, timeZone),
    offsetAt(wall, timeZone),
  ]);
  const found = new Set<number>();
  for (const o of offsets) {
    const candidate = wall - o;
    if (wallAt(candidate, timeZone) === wall) found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}

/** The first instant after the spring-forward gap that `wall` (a time that does not exist) falls in. */
function gapEnd(wall: number, timeZone: string): number {
  // Before the gap the offset is the smaller one: wall − larger is before it, wall − smaller after it.
  const offsets = [offsetAt(wall - DAY_MS, timeZone), offsetAt(wall + DAY_MS, timeZone)];
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  const before = offsetAt(lo, timeZone);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The instant a local wall time means. In the spring-forward gap the time does not exist and moves
 * forward to the first moment after the gap (02:30 in New York → 03:00 EDT); in the fall-back
 * repeat the first occurrence wins (01:30 → 01:30 EDT), so a message never goes out later than the
 * merchant's clock time says.
 */
export function instantAt(
  wall: number,
  timeZone: string,
): { instant: number; adjustment: LocalTimeAdjustment } {
  const options = possibleInstants(wall, timeZone);
  const first = options[0];
  if (first !== undefined)
    return { instant: first, adjustment: options.length > 1 ? "ambiguous_first_occurrence" : "exact" };
  return { instant: gapEnd(wall, timeZone), adjustment: "gap_moved_forward" };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? "-" : "+";
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h)}:${pad(m)}${s ? `:${pad(s)}` : ""}`;
}

/** ISO 8601 local time with its offset, e.g. 2026-11-27T10:00:00-05:00 (whole seconds). */
export function formatLocalIso(instant: number, timeZone: string): string {
  const wall = wallAt(instant, timeZone);
  const d = new Date(wall);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${date}T${time}${formatOffset(wall - instant)}`;
}

/** Wall ms of local midnight of the day `wall` falls on. */
export function startOfWallDay(wall: number): number {
  return Math.floor(wall / DAY_MS) * DAY_MS;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Wall ms of a local date "YYYY-MM-DD" at midnight; RangeError when it is not a real date. */
export function parseLocalDate(localDate: string): number {
  const m = LOCAL_DATE.exec(localDate);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const wall = wallFromUtcParts(y, mo, d, 0, 0, 0);
    const check = new Date(wall);
    if (check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return wall;
  }
  throw new RangeError(`local date must be a real date YYYY-MM-DD, got "${localDate}"`);
}

/** Minutes after local midnight of "HH:MM" (00:00–23:59); RangeError otherwise. */
export function parseLocalTime(localTime: string): number {
  const m = LOCAL_TIME.exec(localTime);
  if (!m) throw new RangeError(`local time must be HH:MM from 00:00 to 23:59, got "${localTime}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}
