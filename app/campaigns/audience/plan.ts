import { applyCaps, type SendRecord } from "../../messaging/rules/caps";
import {
  ELIGIBILITY_SKIP_REASONS,
  eligibleChannels,
  type Channel,
  type ChannelMode,
  type ConsentFields,
  type Suppression,
} from "../../messaging/rules/channels";
import { isHoldout } from "../../messaging/rules/holdout";
import { nextAllowedSend, quietHoursFor } from "../../messaging/rules/quiet-hours";
import { localSendTime, type TimeZoneFallback } from "../../messaging/rules/send-time";
import type { AudienceSettings } from "../../messaging/rules/settings";
import { formatLocalIso, type LocalTimeAdjustment } from "../../messaging/rules/time-zone";

// One campaign, one customer: the rows of the plan (issue 5), ready for the CSV and the outbox.

export const SKIP_REASONS = [
  ...ELIGIBILITY_SKIP_REASONS,
  "campaign_ended",
  "frequency_cap",
  "holdout",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface AudienceCampaign {
  /** stable id of the campaign: it seeds the holdout and tells this campaign's records apart */
  key: string;
  channels: readonly Channel[];
  channelMode: ChannelMode;
  /** the send time on the customer's clock: "2026-11-27" at "10:00" */
  localDate: string;
  localTime: string;
  /** nothing goes out after this; null = open-ended */
  endsAt: Date | null;
}

export interface AudienceCustomer extends ConsentFields {
  /** Shopify's numeric id as a string ("gid://shopify/Customer/…" is read as the same customer) */
  id: string;
  segment: string;
  countryCode: string | null;
  provinceCode: string | null;
  timeZone: string | null;
}

export interface PlanRow {
  campaign: string;
  customerId: string;
  segment: string;
  channel: Channel;
  holdout: boolean;
  /** when the message goes out; for a holdout row, when it would have (the start of its lift window);
   *  null when it never would. Only rows with skipReason null are sent. */
  sendAtUtc: Date | null;
  /** sendAtUtc on the customer's clock, e.g. 2026-11-27T10:00:00-05:00 */
  localSendTime: string | null;
  timeZone: string;
  timeZoneFallback: TimeZoneFallback | null;
  localTimeAdjustment: LocalTimeAdjustment;
  skipReason: SkipReason | null;
}

export interface PlanCustomerInput {
  campaign: AudienceCampaign;
  customer: AudienceCustomer;
  suppressions: readonly Suppression[];
  /** the customer's marketing messages sent or planned by any campaign (for the caps) */
  history: readonly SendRecord[];
  shopTimeZone: string;
  now: Date;
  settings: AudienceSettings;
}

/**
 * The rows of one customer in one campaign, one per channel considered. Precedence of reasons:
 * eligibility (consent, suppression, address), then timing (campaign ended, frequency cap), then
 * holdout. The holdout flag is the same on every row of the customer and does not depend on
 * eligibility, so its share holds over any subset; lift compares eligible holdout rows with sent rows.
 * A channel chosen by "first" that the cap or the end of the campaign stops is not replaced by the
 * next channel: the cap protects the customer, not the channel.
 */
export function planCustomer({
  campaign,
  customer,
  suppressions,
  history,
  shopTimeZone,
  now,
  settings,
}: PlanCustomerInput): PlanRow[] {
  const holdout = isHoldout(campaign.key, customer.id, settings.holdoutShare);
  const local = localSendTime({
    localDate: campaign.localDate,
    localTime: campaign.localTime,
    timeZone: customer.timeZone,
    fallbackTimeZone: shopTimeZone,
  });
  const base = {
    campaign: campaign.key,
    customerId: customer.id,
    segment: customer.segment,
    holdout,
    timeZone: local.timeZone,
    timeZoneFallback: local.timeZoneFallback,
    localTimeAdjustment: local.localTimeAdjustment,
  };
  const row = (channel: Channel, skipReason: SkipReason | null, at: Date | null): PlanRow => ({
    ...base,
    channel,
    sendAtUtc: at,
    localSendTime: at ? formatLocalIso(at.getTime(), local.timeZone) : null,
    skipReason,
  });

  return eligibleChannels(customer, suppressions, campaign).map(({ channel, skipReason }) => {
    if (skipReason !== null) return row(channel, skipReason, null);
    const quietHours = channel === "sms" ? quietHoursFor(customer, local.timeZone, settings) : null;
    const allowed = nextAllowedSend({ desired: local.at, now, quietHours });
    if (campaign.endsAt && allowed > campaign.endsAt) return row(channel, "campaign_ended", null);
    const capped = applyCaps(history, channel, allowed, campaign.endsAt, settings.caps, {
      quietHours,
      campaign: campaign.key,
    });
    if (capped.kind === "skip") return row(channel, capped.reason, null);
    return row(channel, holdout ? "holdout" : null, capped.at);
  });
}

/** The messages a plan sends, to add to the history before planning the customer's next campaign. */
export function plannedSends(rows: readonly PlanRow[]): SendRecord[] {
  return rows.flatMap((r) =>
    r.skipReason === null && r.sendAtUtc
      ? [{ campaign: r.campaign, channel: r.channel, at: r.sendAtUtc }]
      : [],
  );
}

export const PLAN_CSV_COLUMNS = [
  "campaign",
  "customer_id",
  "segment",
  "channel",
  "holdout",
  "send_at_utc",
  "local_send_time",
  "time_zone",
  "skip_reason",
] as const;
export type PlanCsvColumn = (typeof PLAN_CSV_COLUMNS)[number];

/** A row's CSV fields as text (unquoted: quoting belongs to the CSV writer). */
export function planCsvRecord(r: PlanRow): Record<PlanCsvColumn, string> {
  return {
    campaign: r.campaign,
    customer_id: r.customerId,
    segment: r.segment,
    channel: r.channel,
    holdout: r.holdout ? "true" : "false",
    send_at_utc: r.sendAtUtc ? r.sendAtUtc.toISOString() : "",
    local_send_time: r.localSendTime ?? "",
    time_zone: r.timeZone,
    skip_reason: r.skipReason ?? "",
  };
}
