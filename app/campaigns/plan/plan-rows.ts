import {
  localSendTime,
  planCustomer,
  plannedSends,
  type AudienceSettings,
  type Channel,
  type PlanRow,
  type SendRecord,
  type Suppression,
} from "../audience";
import { addDays } from "../../messaging/rules/local-dates";
import { sortSends, type CampaignSend } from "../playbooks";
import type { CampaignDefinition } from "../lifecycle/definition";

// One campaign's outbox rows for one customer: every send of the campaign through planCustomer, in
// time order, each send's messages added to the customer's history before the next. Pure: the
// shop's zone and "now" are inputs.

/** What planning reads of a stored customer: presence of an address, never the address itself. */
export interface PlanningCustomer {
  id: string;
  segment: string;
  hasEmail: boolean;
  hasPhone: boolean;
  emailMarketingState: string | null;
  smsMarketingState: string | null;
  countryCode: string | null;
  provinceCode: string | null;
  timeZone: string | null;
}

export type PlannedStatus = "planned" | "holdout" | "skipped";

export interface PlannedMessage {
  sendKey: string;
  customerId: string;
  segment: string;
  channel: Channel;
  status: PlannedStatus;
  skipReason: string | null;
  sendAt: Date | null;
  localSendTime: string | null;
  timeZone: string;
}

export interface CampaignPlannerOptions {
  campaignId: string;
  definition: CampaignDefinition;
  shopTimeZone: string;
  now: Date;
  /** "send now": the first send goes out at `now` (SMS still waits for its hours) instead of its local time */
  launchNow?: boolean;
  /** `holdoutCutoff` over the campaign's whole audience, so its holdout is exactly the draft's share */
  holdoutCutoff?: number;
}

// planCustomer reads only presence (and trims): a stand-in keeps addresses out of memory.
const PRESENT = "present";
const MAX_CACHED_ENDS = 10_000;

/** Only rows without a skip reason are sent; an eligible held-out customer's rows are `holdout`. */
export function outboxStatus(row: PlanRow): PlannedStatus {
  if (row.skipReason === null) return "planned";
  return row.skipReason === "holdout" ? "holdout" : "skipped";
}

/** A cap-history label per send, so earlier sends of the same campaign count against later ones. */
export const sendLabel = (campaignId: string, sendKey: string): string => `${campaignId}/${sendKey}`;

export class CampaignPlanner {
  private readonly sends: CampaignSend[];
  private readonly settings: AudienceSettings;
  private readonly ends = new Map<string, Date>();

  constructor(private readonly options: CampaignPlannerOptions) {
    const { draft, audience } = options.definition;
    const sends = sortSends(draft.sends);
    const first = sends[0];
    if (options.launchNow && first) {
      // Two days before now (UTC) at midnight is past on every clock: planCustomer moves it to now.
      const past = addDays(options.now.toISOString().slice(0, 10), -2);
      sends[0] = { ...first, localDate: past, localTime: "00:00" };
    }
    this.sends = sends;
    this.settings = { ...audience, holdoutShare: options.holdoutCutoff ?? draft.holdoutShare };
  }

  /** The customer's rows; `history` holds their other campaigns' messages (any order). */
  rowsFor(
    customer: PlanningCustomer,
    suppressions: readonly Suppression[],
    history: readonly SendRecord[],
  ): PlannedMessage[] {
    const { draft } = this.options.definition;
    const audienceCustomer = {
      id: customer.id,
      segment: customer.segment,
      email: customer.hasEmail ? PRESENT : null,
      phone: customer.hasPhone ? PRESENT : null,
      emailMarketingState: customer.emailMarketingState,
      smsMarketingState: customer.smsMarketingState,
      countryCode: customer.countryCode,
      provinceCode: customer.provinceCode,
      timeZone: customer.timeZone,
    };
    const endsAt = this.endOf(customer.timeZone);
    const seen: SendRecord[] = [...history];
    const out: PlannedMessage[] = [];
    for (const send of this.sends) {
      const rows = planCustomer({
        // The draft's key seeds the holdout: a customer is held out of every send of it or none.
        campaign: {
          key: draft.key,
          channels: draft.channels,
          channelMode: draft.channelMode,
          localDate: send.localDate,
          localTime: send.localTime,
          endsAt,
        },
        customer: audienceCustomer,
        suppressions,
        history: seen,
        shopTimeZone: this.options.shopTimeZone,
        now: this.options.now,
        settings: this.settings,
      });
      for (const row of rows) {
        out.push({
          sendKey: send.key,
          customerId: customer.id,
          segment: customer.segment,
          channel: row.channel,
          status: outboxStatus(row),
          skipReason: row.skipReason === null ? null : row.skipReason,
          sendAt: row.sendAtUtc,
          localSendTime: row.localSendTime,
          timeZone: row.timeZone,
        });
      }
      for (const record of plannedSends(rows))
        seen.push({ ...record, campaign: sendLabel(this.options.campaignId, send.key) });
    }
    return out;
  }

  /** The last moment of the campaign's last day on the customer's clock (zone chosen as for sends). */
  private endOf(timeZone: string | null): Date {
    const key = timeZone ?? "";
    const known = this.ends.get(key);
    if (known) return known;
    const midnight = localSendTime({
      localDate: addDays(this.options.definition.draft.endsAt, 1),
      localTime: "00:00",
      timeZone,
      fallbackTimeZone: this.options.shopTimeZone,
    });
    const end = new Date(midnight.at.getTime() - 1);
    if (this.ends.size < MAX_CACHED_ENDS) this.ends.set(key, end);
    return end;
  }
}
