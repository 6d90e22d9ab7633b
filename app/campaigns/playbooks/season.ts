import { isValidTimeZone, wallAt } from "../../messaging/rules/time-zone";
import {
  formatLocalDate,
  MAX_YEAR,
  MIN_YEAR,
  yearOf,
  type LocalDate,
} from "../../messaging/rules/local-dates";
import { seasonCalendar, type SeasonCalendarInput } from "../calendar/season";
import type { PlaybookKey } from "./draft";
import { PLAYBOOKS } from "./playbooks";

/** The shop's shipping cut-off settings (calendar/shipping.ts); absent: the defaults. */
type Shipping = SeasonCalendarInput["shipping"];

// When a playbook's season is over, on the shop's own calendar: the wizard offers each playbook's
// next season that has not ended, and planning a season (or a campaign) that has ended is refused
// with the reason. Pure: the clock and the shop's time zone are handed in.

export interface ShopClock {
  now: Date;
  /** the shop's IANA zone; one this runtime does not know counts as UTC */
  timeZone: string;
}

/** The shop's calendar day at `now`. */
export function shopToday({ now, timeZone }: ShopClock): LocalDate {
  const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
  return new Date(wallAt(now.getTime(), zone)).toISOString().slice(0, 10);
}

/** The last day of a playbook's campaigns in a year: its sale's last day (shipping settings move Christmas's). */
export function seasonLastDay(playbook: PlaybookKey, year: number, shipping?: Shipping): LocalDate {
  // The country's public holidays do not move a playbook's days.
  return PLAYBOOKS[playbook].window(seasonCalendar({ year, countryCode: null, shipping })).end;
}

/** The year of the playbook's next season that has not ended on `today`: its last day is today or later. */
export function nextSeasonYear(playbook: PlaybookKey, today: LocalDate, shipping?: Shipping): number {
  // A season ends within its own year, so last year's never qualifies; next year's always does.
  const year = Math.max(MIN_YEAR, Math.min(MAX_YEAR - 1, yearOf(today)));
  return seasonLastDay(playbook, year, shipping) >= today ? year : year + 1;
}

export type SeasonCheck =
  | { ended: false; lastDay: LocalDate }
  | { ended: true; lastDay: LocalDate; /** the season to plan instead */ next: number; message: string };

/** Whether a playbook's season of `year` has ended on `today`, and what to tell the merchant. */
export function checkSeason(
  playbook: PlaybookKey,
  year: number,
  today: LocalDate,
  shipping?: Shipping,
): SeasonCheck {
  const lastDay = seasonLastDay(playbook, year, shipping);
  if (lastDay >= today) return { ended: false, lastDay };
  const name = PLAYBOOKS[playbook].name;
  const next = nextSeasonYear(playbook, today, shipping);
  return {
    ended: true,
    lastDay,
    next,
    message: `${name} ${year} has ended: its last day was ${formatLocalDate(lastDay)}, ${year} (the shop's time zone). Plan ${name} ${next} instead.`,
  };
}

/** Why a campaign can no longer be planned: its last day has passed on the shop's calendar; else null. */
export function campaignEndedReason(
  campaign: { name: string; endsAt: LocalDate },
  today: LocalDate,
): string | null {
  if (campaign.endsAt >= today) return null;
  return `${campaign.name} has ended: its last day was ${formatLocalDate(campaign.endsAt)}, ${yearOf(campaign.endsAt)} (the shop's time zone). Nothing would be sent; plan next season's playbook instead.`;
}
