import {
  localSendTime,
  planCustomer,
  plannedSends,
  type AudienceCustomer,
  type AudienceSettings,
  type PlanRow,
  type SendRecord,
} from "../audience";
import { addDays } from "../../messaging/rules/local-dates";
import type { CampaignDraft } from "../playbooks";

// The plan's campaigns: one per send of each enabled draft, and the rows of one customer in one of
// them. Pure: the shop's zone, "now" and the settings are inputs.

export interface CampaignSendPlan {
  /** the CSV's campaign value: "cyber-week-2026:price_sensitive/last_hours" */
  value: string;
  /** the draft's key: seeds the holdout, so a customer is held out of all its sends or none */
  draftKey: string;
  segment: CampaignDraft["segment"];
  channels: CampaignDraft["channels"];
  channelMode: CampaignDraft["channelMode"];
  localDate: string;
  localTime: string;
  /** the day after the draft's last day: the campaign ends at its first moment, on the customer's clock */
  endsBefore: string;
  holdoutShare: number;
}

/** One campaign per send of each enabled draft, in time order (local date and time, then value). */
export function campaignSends(drafts: readonly CampaignDraft[]): CampaignSendPlan[] {
  return drafts
    .filter((d) => d.enabled)
    .flatMap((d) =>
      d.sends.map((s) => ({
        value: `${d.key}/${s.key}`,
        draftKey: d.key,
        segment: d.segment,
        channels: d.channels,
        channelMode: d.channelMode,
        localDate: s.localDate,
        localTime: s.localTime,
        endsBefore: addDays(d.endsAt, 1),
        holdoutShare: d.holdoutShare,
      })),
    )
    .sort(byTime);
}

function byTime(a: CampaignSendPlan, b: CampaignSendPlan): number {
  return compare(`${a.localDate} ${a.localTime} ${a.value}`, `${b.localDate} ${b.localTime} ${b.value}`);
}

/** Code unit order, like `LC_ALL=C sort` (localeCompare would depend on the machine). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The CSV's order of campaigns: by value. */
export function outputOrder(sends: readonly CampaignSendPlan[]): CampaignSendPlan[] {
  return [...sends].sort((a, b) => compare(a.value, b.value));
}

export interface PlannerOptions {
  shopTimeZone: string;
  now: Date;
  settings: AudienceSettings;
  /** replaces each campaign's own holdout share (the settings file gave one) */
  holdoutShare: number | null;
  /** per draft key, `holdoutCutoff` over its segment: the holdout is then exactly the share */
  holdoutCutoffs?: ReadonlyMap<string, number>;
}

const MAX_CACHED_ENDS = 10_000;

export class CustomerPlanner {
  private readonly bySegment = new Map<string, CampaignSendPlan[]>();
  private readonly settingsOf = new Map<CampaignSendPlan, AudienceSettings>();
  private readonly ends = new Map<string, Date>();

  constructor(
    sends: readonly CampaignSendPlan[],
    private readonly options: PlannerOptions,
  ) {
    for (const send of [...sends].sort(byTime)) {
      const list = this.bySegment.get(send.segment) ?? [];
      list.push(send);
      this.bySegment.set(send.segment, list);
      this.settingsOf.set(send, {
        ...options.settings,
        holdoutShare: options.holdoutCutoffs?.get(send.draftKey) ?? options.holdoutShare ?? send.holdoutShare,
      });
    }
  }

  /**
   * The rows of `target` for one customer of its segment. The customer's earlier sends (the
   * campaigns of their segment, in time order) are planned first, so every message they send counts
   * against the caps of the later ones, the other sends of the same draft included.
   */
  rowsFor(target: CampaignSendPlan, customer: AudienceCustomer): PlanRow[] {
    const history: SendRecord[] = [];
    for (const send of this.bySegment.get(customer.segment) ?? []) {
      const rows = this.plan(send, customer, history);
      if (send === target) return rows;
      history.push(...plannedSends(rows));
    }
    throw new Error(`campaign ${target.value} is not one of segment ${customer.segment}`);
  }

  private plan(
    send: CampaignSendPlan,
    customer: AudienceCustomer,
    history: readonly SendRecord[],
  ): PlanRow[] {
    const rows = planCustomer({
      campaign: {
        key: send.draftKey,
        channels: send.channels,
        channelMode: send.channelMode,
        localDate: send.localDate,
        localTime: send.localTime,
        endsAt: this.endOf(send, customer.timeZone),
      },
      customer,
      suppressions: [],
      history,
      shopTimeZone: this.options.shopTimeZone,
      now: this.options.now,
      settings: this.settingsOf.get(send) ?? this.options.settings,
    });
    // Rows (and so the history records) name the send: each send is a message of its own.
    for (const row of rows) row.campaign = send.value;
    return rows;
  }

  /** The last moment of the campaign on the customer's clock (the zone chosen as for the sends). */
  private endOf(send: CampaignSendPlan, timeZone: string | null): Date {
    const key = `${send.endsBefore}|${timeZone ?? ""}`;
    const known = this.ends.get(key);
    if (known) return known;
    const midnight = localSendTime({
      localDate: send.endsBefore,
      localTime: "00:00",
      timeZone,
      fallbackTimeZone: this.options.shopTimeZone,
    });
    const end = new Date(midnight.at.getTime() - 1);
    if (this.ends.size < MAX_CACHED_ENDS) this.ends.set(key, end);
    return end;
  }
}
