import {
  engagementArgs,
  engagementError,
  upsertArgs,
  upsertErrors,
  userError,
  type UserError,
  type Utm,
} from "./marketing-rules";
import {
  engagementDays,
  engagementMetrics,
  normalizeDecimal,
  type EngagementDay,
  type EngagementRecord,
  type Money,
} from "./marketing-totals";

// External marketing activities and their engagements (write_marketing_events), as Shopify's
// marketingActivityUpsertExternal and marketingEngagementCreate keep them: one activity per
// remoteId, updated in place (a stable gid); optional fields left out are removed on an update;
// UTM parameters are fixed once set and unique per shop. Every engagement call is a row of its own.

export interface MarketingActivityRecord {
  id: string;
  /** the MarketingEvent Shopify keeps with it */
  eventId: number;
  remoteId: string;
  title: string;
  remoteUrl: string;
  remotePreviewImageUrl: string | null;
  status: string;
  tactic: string;
  marketingChannelType: string;
  utm: Utm | null;
  urlParameterValue: string | null;
  referringDomain: string | null;
  channelHandle: string | null;
  hierarchyLevel: string | null;
  parentRemoteId: string | null;
  start: string;
  end: string | null;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  adSpend: Money | null;
  createdAt: string;
  updatedAt: string;
  statusTransitionedAt: string;
}

/** What the shop's marketing reports hold for one activity: its record, every row received, each day. */
export type MarketingActivityReport = MarketingActivityRecord & {
  engagements: EngagementRecord[];
  days: EngagementDay[];
};

/** A shop's external marketing activities and the engagements sent for them. */
export class MarketingRecords {
  private readonly activities = new Map<string, MarketingActivityRecord>();
  private readonly engagements: EngagementRecord[] = [];
  private nextId = 1;

  constructor(private readonly now: () => Date) {}

  /** Every activity, oldest first, with its engagements and days. */
  report(): MarketingActivityReport[] {
    return [...this.activities.values()].map((a) => {
      const rows = this.engagements.filter((e) => e.activityId === a.id);
      return { ...a, engagements: rows.map((r) => ({ ...r })), days: engagementDays(rows) };
    });
  }

  upsert(args: unknown): { marketingActivity: MarketingActivityRecord | null; userErrors: UserError[] } {
    const input = upsertArgs.parse(args).input;
    const existing = this.activities.get(input.remoteId);
    const errors = upsertErrors(input, existing, [...this.activities.values()]);
    if (errors.length > 0) return { marketingActivity: null, userErrors: errors };

    const at = this.now().toISOString();
    const ended = input.status === "INACTIVE" || input.status === "DELETED_EXTERNALLY";
    const id = existing ? existing.eventId : this.nextId++;
    const record: MarketingActivityRecord = {
      id: `gid://shopify/MarketingActivity/${id}`,
      eventId: id,
      remoteId: input.remoteId,
      title: input.title,
      remoteUrl: input.remoteUrl,
      remotePreviewImageUrl: input.remotePreviewImageUrl,
      status: input.status,
      tactic: input.tactic,
      marketingChannelType: input.marketingChannelType,
      utm: input.utm,
      urlParameterValue: input.urlParameterValue,
      referringDomain: input.referringDomain,
      channelHandle: input.channelHandle,
      hierarchyLevel: input.hierarchyLevel,
      parentRemoteId: input.parentRemoteId,
      // an event always has a start: an update without one keeps it
      start: input.start ?? existing?.start ?? at,
      end: input.end ?? (ended ? (existing?.end ?? at) : null),
      scheduledStart: input.scheduledStart,
      scheduledEnd: input.scheduledEnd,
      adSpend: input.adSpend
        ? { amount: normalizeDecimal(String(input.adSpend.amount)), currencyCode: input.adSpend.currencyCode }
        : null,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
      statusTransitionedAt: existing && existing.status === input.status ? existing.statusTransitionedAt : at,
    };
    this.activities.set(record.remoteId, record);
    return { marketingActivity: record, userErrors: [] };
  }

  createEngagement(args: unknown): {
    marketingEngagement: EngagementRecord | null;
    activity: MarketingActivityRecord | null;
    userErrors: UserError[];
  } {
    const {
      marketingActivityId,
      remoteId,
      channelHandle,
      marketingEngagement: input,
    } = engagementArgs.parse(args);
    const refused = (e: UserError) => ({ marketingEngagement: null, activity: null, userErrors: [e] });
    if (!marketingActivityId && !remoteId && !channelHandle)
      return refused(userError(null, "INVALID_MARKETING_ENGAGEMENT_ARGUMENT_MISSING"));
    if (channelHandle && (marketingActivityId || remoteId))
      return refused(userError(null, "INVALID_MARKETING_ENGAGEMENT_ARGUMENTS"));
    if (channelHandle) return refused(userError(["channelHandle"], "INVALID_CHANNEL_HANDLE"));
    const byId = [...this.activities.values()].find((a) => a.id === marketingActivityId);
    const byRemote = remoteId ? this.activities.get(remoteId) : undefined;
    if (marketingActivityId && !byId)
      return refused(userError(["marketingActivityId"], "MARKETING_ACTIVITY_DOES_NOT_EXIST"));
    if (remoteId && !byRemote) return refused(userError(["remoteId"], "INVALID_REMOTE_ID"));
    const activity = byId ?? byRemote;
    if (!activity || (byId && byRemote && byId !== byRemote))
      return refused(userError(null, "INVALID_MARKETING_ENGAGEMENT_ARGUMENTS"));

    const metrics = engagementMetrics.parse(input);
    const currencies = new Set(
      [metrics.sales?.currencyCode, metrics.adSpend?.currencyCode].filter((c) => c !== undefined),
    );
    const refusal = engagementError(input, currencies, activity);
    if (refusal) return refused(refusal);
    const row: EngagementRecord = {
      activityId: activity.id,
      occurredOn: input.occurredOn,
      utcOffset: input.utcOffset,
      isCumulative: input.isCumulative ?? false,
      receivedAt: this.now().toISOString(),
      ...metrics,
    };
    this.engagements.push(row);
    return { marketingEngagement: row, activity, userErrors: [] };
  }
}
