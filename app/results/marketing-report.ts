import { formatMinorUnits } from "../sync/money";

// A campaign's or flow's results as Shopify's marketing reports take them: one external marketing
// activity (marketingActivityUpsertExternal) and one engagement row per day of the shop's calendar
// (marketingEngagementCreate, daily values, not cumulative). Pure: documents and variables.

export const MARKETING_ACTIVITY_UPSERT_MUTATION = `#graphql
  mutation MarketingActivityUpsert($input: MarketingActivityUpsertExternalInput!) {
    marketingActivityUpsertExternal(input: $input) {
      marketingActivity {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const MARKETING_ENGAGEMENT_CREATE_MUTATION = `#graphql
  mutation MarketingEngagementCreate($remoteId: String!, $marketingEngagement: MarketingEngagementInput!) {
    marketingEngagementCreate(remoteId: $remoteId, marketingEngagement: $marketingEngagement) {
      marketingEngagement {
        occurredOn
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export type MarketingResultKind = "campaign" | "flow";
export type MarketingChannelName = "email" | "sms" | "webhook";
export const MARKETING_SUMMARY_STATUSES = [
  "scheduled",
  "active",
  "paused",
  "completed",
  "cancelled",
  "deleted",
] as const;
export type MarketingSummaryStatus = (typeof MARKETING_SUMMARY_STATUSES)[number];

/** One day of results, in the shop's calendar. */
export interface MarketingDay {
  /** YYYY-MM-DD in the shop's time zone */
  day: string;
  /** the shop's UTC offset on that day, "+01:00" */
  utcOffset: string;
  delivered: number;
  clicks: number;
  /** bounces and other failed deliveries */
  fails: number;
  complaints: number;
  unsubscribes: number;
  /** attributed sales in the currency's minor units */
  salesMinor: bigint;
  currencyCode: string;
}

/** What the app knows of one campaign or flow, for Shopify's marketing reports. */
export interface MarketingSummary {
  shop: string;
  kind: MarketingResultKind;
  id: string;
  /** a campaign's key (cyber-week-2026:vip) or a flow's (abandoned_checkout) */
  key: string;
  title: string;
  status: MarketingSummaryStatus;
  /** the channels its messages went out by */
  channels: readonly MarketingChannelName[];
  startedAt: Date;
  endedAt?: Date | null;
  utm: { campaign: string; source: string; medium: string };
  /** where the merchant sees it in the app */
  remoteUrl: string;
  days: readonly MarketingDay[];
}

export interface MarketingActivityInput {
  remoteId: string;
  title: string;
  remoteUrl: string;
  status: "SCHEDULED" | "ACTIVE" | "PAUSED" | "INACTIVE" | "DELETED_EXTERNALLY";
  tactic: "NEWSLETTER" | "ABANDONED_CART" | "MESSAGE";
  marketingChannelType: "EMAIL" | "REFERRAL";
  utm: { campaign: string; source: string; medium: string };
  start: string;
  end: string | null;
}

export interface MarketingEngagementInput {
  occurredOn: string;
  utcOffset: string;
  impressionsCount: number;
  clicksCount: number;
  failsCount: number;
  complaintsCount: number;
  unsubscribesCount: number;
  sales: { amount: string; currencyCode: string };
}

const STATUS: Record<MarketingSummaryStatus, MarketingActivityInput["status"]> = {
  scheduled: "SCHEDULED",
  active: "ACTIVE",
  paused: "PAUSED",
  completed: "INACTIVE",
  cancelled: "INACTIVE",
  deleted: "DELETED_EXTERNALLY",
};

/** The activity's remoteId: the same campaign or flow is always the same activity in Shopify. */
export const marketingRemoteId = (s: Pick<MarketingSummary, "kind" | "id">): string => `${s.kind}:${s.id}`;

/** The whole activity every time: Shopify's upsert removes optional fields an update leaves out. */
export function marketingActivityInput(summary: MarketingSummary): MarketingActivityInput {
  const email = summary.channels.includes("email") || summary.channels.length === 0;
  // One activity per campaign, whatever its channels: EMAIL when it sends email at all; SMS has no
  // MarketingChannel of its own, so an SMS-only one is a MESSAGE reaching shoppers by its links (REFERRAL).
  const recovery = summary.kind === "flow" && summary.key === "abandoned_checkout";
  return {
    remoteId: marketingRemoteId(summary),
    title: summary.title,
    remoteUrl: summary.remoteUrl,
    status: STATUS[summary.status],
    tactic: recovery ? "ABANDONED_CART" : email ? "NEWSLETTER" : "MESSAGE",
    marketingChannelType: email ? "EMAIL" : "REFERRAL",
    utm: { campaign: summary.utm.campaign, source: summary.utm.source, medium: summary.utm.medium },
    start: summary.startedAt.toISOString(),
    end: summary.endedAt ? summary.endedAt.toISOString() : null,
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UTC_OFFSET = /^[+-](?:0\d|1[0-4]):[0-5]\d$/;
const MAX_INT = 2 ** 31 - 1;

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INT)
    throw new RangeError(`${name} ${value} is not a count Shopify takes`);
  return value;
}

// Date.parse takes 2026-02-30 as March 2nd: the day must come back as itself.
const isCalendarDay = (day: string): boolean =>
  DAY.test(day) &&
  !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
  new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);

/** One day's engagement row: delivered messages are impressions, bounces are fails. */
export function marketingEngagementInput(day: MarketingDay): MarketingEngagementInput {
  if (!isCalendarDay(day.day)) throw new RangeError(`"${day.day}" is not a day`);
  if (!UTC_OFFSET.test(day.utcOffset)) throw new RangeError(`"${day.utcOffset}" is not a UTC offset`);
  return {
    occurredOn: day.day,
    utcOffset: day.utcOffset,
    impressionsCount: count("delivered", day.delivered),
    clicksCount: count("clicks", day.clicks),
    failsCount: count("fails", day.fails),
    complaintsCount: count("complaints", day.complaints),
    unsubscribesCount: count("unsubscribes", day.unsubscribes),
    sales: { amount: formatMinorUnits(day.salesMinor, day.currencyCode), currencyCode: day.currencyCode },
  };
}

/** When the day is over in the shop's time zone. */
export function dayEnd(day: Pick<MarketingDay, "day" | "utcOffset">): Date {
  const start = Date.parse(`${day.day}T00:00:00${day.utcOffset}`);
  if (Number.isNaN(start)) throw new RangeError(`"${day.day}" at ${day.utcOffset} is not a day`);
  return new Date(start + 24 * 60 * 60_000);
}

/**
 * The days to send now, oldest first: over for at least `settleMs` (late delivery reports land in
 * their day) and not sent before. A day Shopify has is never sent again: it would count twice.
 */
export function daysToSend(
  summary: Pick<MarketingSummary, "days">,
  sent: ReadonlySet<string>,
  now: Date,
  settleMs: number,
): MarketingDay[] {
  return summary.days
    .filter((d) => !sent.has(d.day) && dayEnd(d).getTime() + settleMs <= now.getTime())
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
