// Shared by the audience tests (not itself a test file).

/** Zones with half-hour, 45-minute, 30-minute-DST, 2-hour-DST, midnight and skipped-day transitions. */
export const ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "America/Chicago",
  "America/Phoenix",
  "America/St_Johns",
  "America/Sao_Paulo",
  "America/Santiago",
  "America/Havana",
  "Pacific/Honolulu",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Moscow",
  "Africa/Casablanca",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Tehran",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Australia/Adelaide",
  "Pacific/Chatham",
  "Pacific/Apia",
  "Pacific/Kiritimati",
  "Antarctica/Troll",
  "UTC",
] as const;

/** The local hour and minute at `instant` in `timeZone`, read by Intl independently of time-zone.ts. */
export function localClock(instant: number, timeZone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { hour: get("hour") % 24, minute: get("minute") };
}
