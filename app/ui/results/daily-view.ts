import { addDays, daysBetween, isLocalDate } from "../../messaging/rules/local-dates";
import type { DailyRow } from "../../results/report/results-queries.server";
import { formatCalendarDate } from "../format-time";
import type { Money } from "./results-view";

// A source's days as the Over time chart and table show them: every day from the first to the
// last with activity (a quiet day is a 0 on the chart, not a gap the line jumps over), on the
// shop's calendar. Pure.

export interface DayView {
  /** "2026-11-28", the shop's local day */
  day: string;
  /** "Sat, Nov 28, 2026" */
  label: string;
  sent: number;
  opened: number;
  clicked: number;
  orders: number;
  /** exact, in the shop's currency */
  revenue: string;
  /** revenue in major units, for the chart only */
  revenueValue: number;
}

/** Days in a row are filled in up to this many; a longer span shows only the days with activity. */
const MAX_FILLED_DAYS = 400;

export function dailyView(rows: readonly DailyRow[], money: Money, currencyExponent: number): DayView[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const first = rows[0]?.day;
  const last = rows.at(-1)?.day;
  let days = rows.map((r) => r.day);
  if (first && last && isLocalDate(first) && isLocalDate(last)) {
    const span = daysBetween(first, last);
    if (span >= 0 && span < MAX_FILLED_DAYS)
      days = Array.from({ length: span + 1 }, (_, i) => addDays(first, i));
  }
  const scale = 10 ** currencyExponent;
  return days.map((day) => {
    const r = byDay.get(day);
    const revenueMinor = r?.revenueMinor ?? 0n;
    return {
      day,
      label: formatCalendarDate(day),
      sent: r?.sent ?? 0,
      opened: r?.openedHuman ?? 0,
      clicked: r?.clickedHuman ?? 0,
      orders: r?.orders ?? 0,
      revenue: money(revenueMinor),
      revenueValue: Number(revenueMinor) / scale,
    };
  });
}
