import type { AttributionWindows } from "../../campaigns/settings/attribution-windows";
import type { LiftResult } from "../../results/lift";
import { points } from "../../results/report/describe-lift";
import { COMPLAINT_LIMIT, type FunnelSummary } from "../../results/report/summarize";
import { SEGMENT_TREATMENT, isSegment } from "../../segments/rules";
import { formatCount } from "../format";

// The Results pages' figures as the merchant reads them: rates as percentages, lift in points
// with its interval, the attribution rule in words. Pure; money comes formatted by the caller
// (exact, in the shop's currency), as `money`.

export type Money = (minor: bigint) => string;

const PERCENT = [0, 1, 2].map(
  (digits) =>
    new Intl.NumberFormat("en-US", {
      style: "percent",
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }),
);

/** "12.3%"; "—" when there is nothing to divide by. */
export function formatRate(rate: number | null, digits: 0 | 1 | 2 = 1): string {
  return rate === null ? "—" : (PERCENT[digits]?.format(rate) ?? String(rate));
}

export const segmentLabel = (segment: string): string =>
  isSegment(segment) ? SEGMENT_TREATMENT[segment].label : segment;

const CHANNELS: Record<string, string> = { email: "Email", sms: "SMS", webhook: "Webhook" };
export const channelLabel = (channel: string): string => CHANNELS[channel] ?? channel;

/** "5 days", "24 hours", "1 hour": whole days from two days up, hours below. */
export function formatWindow(hours: number): string {
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

/** The one line that says how every money figure on the page was credited, from the shop's windows. */
export function describeAttribution(windows: AttributionWindows): string {
  const codeDays = windows.discountCodeDays === 1 ? "1 day" : `${windows.discountCodeDays} days`;
  return (
    `Orders credited to the last human click within ${formatWindow(windows.emailClickHours)} of an email ` +
    `(${formatWindow(windows.smsClickHours)} of a text), else a discount code the message carried ` +
    `(used within ${codeDays} of sending), else the landing page's UTM; cancelled and test orders never ` +
    "count; refunds lower revenue."
  );
}

export interface FunnelStep {
  key: "planned" | "sent" | "delivered" | "opened" | "clicked" | "ordered" | "revenue";
  label: string;
  /** the count, or the revenue formatted */
  value: string;
  /** for the chart; null for revenue (not a count) */
  count: number | null;
  /** "75.0% of sent" */
  rate: string;
  note: string;
}

const rateOf = (rate: number | null, base: string) =>
  rate === null ? "—" : `${formatRate(rate)} of ${base}`;
const notes = (...parts: Array<[number, string]>) =>
  parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${formatCount(n)} ${what}`)
    .join(", ");

/** Planned → sent → delivered → opened → clicked → ordered → revenue; machine opens and clicks apart. */
export function funnelSteps(total: FunnelSummary, money: Money): FunnelStep[] {
  const r = total.rates;
  const step = (
    key: FunnelStep["key"],
    label: string,
    count: number,
    rate: string,
    note: string,
  ): FunnelStep => ({ key, label, value: formatCount(count), count, rate, note });
  return [
    step("planned", "Planned", total.planned, "", notes([total.holdout, "held out to measure lift"])),
    step(
      "sent",
      "Sent",
      total.sent,
      rateOf(total.planned > 0 ? total.sent / total.planned : null, "planned"),
      notes([total.failed, "failed"], [total.skipped, "skipped"]),
    ),
    step(
      "delivered",
      "Delivered",
      total.delivered,
      rateOf(r.delivery, "sent"),
      notes([total.bounced, "bounced"]),
    ),
    step(
      "opened",
      "Opened",
      total.openedHuman,
      rateOf(r.open, "delivered emails"),
      total.openedMachineOnly > 0
        ? `+ ${formatCount(total.openedMachineOnly)} by privacy proxies, not counted`
        : "",
    ),
    step(
      "clicked",
      "Clicked",
      total.clickedHuman,
      rateOf(r.click, "delivered"),
      total.clickedMachineOnly > 0
        ? `+ ${formatCount(total.clickedMachineOnly)} by link scanners, not counted`
        : "",
    ),
    step("ordered", "Ordered", total.orders, rateOf(r.conversion, "delivered"), ""),
    { key: "revenue", label: "Revenue", value: money(total.revenueMinor), count: null, rate: "", note: "" },
  ];
}

export interface BreakdownRow {
  key: string;
  label: string;
  sent: string;
  delivered: string;
  open: string;
  click: string;
  orders: string;
  revenue: string;
  complaint: string;
  unsubscribe: string;
}

export function breakdownRow(key: string, label: string, s: FunnelSummary, money: Money): BreakdownRow {
  return {
    key,
    label,
    sent: formatCount(s.sent),
    delivered: formatRate(s.rates.delivery),
    open: formatRate(s.rates.open),
    click: formatRate(s.rates.click),
    orders: formatCount(s.orders),
    revenue: money(s.revenueMinor),
    complaint: formatRate(s.rates.complaint, 2),
    unsubscribe: formatRate(s.rates.unsubscribe, 2),
  };
}

export interface ComplaintLine {
  /** above COMPLAINT_LIMIT: mailbox providers start filtering */
  over: boolean;
  text: string;
}

/** The complaint and unsubscribe rates against the 0.1% line; null before any email was delivered. */
export function complaintLine(total: FunnelSummary): ComplaintLine | null {
  const rate = total.rates.complaint;
  if (rate === null) return null;
  const over = rate > COMPLAINT_LIMIT;
  const line = formatRate(COMPLAINT_LIMIT, 1);
  return {
    over,
    text:
      `Spam complaints: ${formatRate(rate, 2)} of delivered emails (${formatCount(total.complained)}), ` +
      `${over ? "above" : "within"} the ${line} line; mailbox providers start filtering above ${line}. ` +
      `Unsubscribes: ${formatRate(total.rates.unsubscribe, 2)} of delivered messages (${formatCount(total.unsubscribed)}).`,
  };
}

/** "+1.2 points (−0.4 to +2.8)": the conversion lift and its 95% interval. */
export function liftFigure(result: LiftResult): string {
  const { estimate, ci95 } = result.conversionLift;
  if (estimate === null) return "—";
  return `${points(estimate)} points${ci95 ? ` (${points(ci95[0])} to ${points(ci95[1])})` : ""}`;
}

export function liftVerdict(result: LiftResult): string {
  if (result.control.n === 0) return "No holdout";
  if (result.treated.n === 0 || result.conversionLift.estimate === null) return "Nobody sent to yet";
  return result.verdict.verdict === "enough data" ? "Enough data" : "Not enough data yet";
}

/** The overview's lift cell: the figure once the interval excludes no change, else why not. */
export function liftSummary(result: LiftResult): string {
  return result.verdict.verdict === "enough data" && result.conversionLift.estimate !== null
    ? liftFigure(result)
    : liftVerdict(result);
}

export interface SegmentLiftRow {
  segment: string;
  label: string;
  treated: string;
  control: string;
  lift: string;
  verdict: string;
}

export function segmentLiftRows(
  rows: ReadonlyArray<{ segment: string; lift: LiftResult }>,
): SegmentLiftRow[] {
  return rows.map(({ segment, lift }) => ({
    segment,
    label: segmentLabel(segment),
    treated: formatCount(lift.treated.n),
    control: formatCount(lift.control.n),
    lift: liftFigure(lift),
    verdict: liftVerdict(lift),
  }));
}
