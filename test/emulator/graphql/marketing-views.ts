import type { MarketingActivityRecord, MarketingRecords } from "./marketing";
import type { EngagementRecord } from "./marketing-totals";

// The GraphQL side of the shop's marketing records. Fields the emulator does not keep (the app that
// made an activity, its form data, Shopify's rendered labels) stay unbacked: null, or an error
// where the schema says non-null.

const STATUSES = new Set(["ACTIVE", "DELETED_EXTERNALLY", "INACTIVE", "PAUSED", "SCHEDULED", "UNDEFINED"]);

function eventView(a: MarketingActivityRecord) {
  return {
    __typename: "MarketingEvent",
    id: `gid://shopify/MarketingEvent/${a.eventId}`,
    legacyResourceId: String(a.eventId),
    remoteId: a.remoteId,
    startedAt: a.start,
    endedAt: a.end,
    scheduledToEndAt: a.scheduledEnd,
    manageUrl: a.remoteUrl,
    previewUrl: null,
    utmCampaign: a.utm?.campaign ?? null,
    utmSource: a.utm?.source ?? null,
    utmMedium: a.utm?.medium ?? null,
    type: a.tactic,
    channel: a.marketingChannelType,
    marketingChannelType: a.marketingChannelType,
    channelHandle: a.channelHandle,
    description: null,
  };
}

export function activityView(a: MarketingActivityRecord) {
  return {
    __typename: "MarketingActivity",
    id: a.id,
    title: a.title,
    // the external statuses are a subset of MarketingActivityStatus
    status: STATUSES.has(a.status) ? a.status : "UNDEFINED",
    tactic: a.tactic,
    marketingChannelType: a.marketingChannelType,
    marketingChannel: a.marketingChannelType,
    isExternal: true,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    statusTransitionedAt: a.statusTransitionedAt,
    utmParameters: a.utm,
    urlParameterValue: a.urlParameterValue,
    hierarchyLevel: a.hierarchyLevel,
    parentRemoteId: a.parentRemoteId,
    adSpend: a.adSpend,
    budget: null,
    marketingEvent: eventView(a),
  };
}

function engagementView(e: EngagementRecord, activity: MarketingActivityRecord) {
  const { activityId: _activityId, receivedAt: _receivedAt, ...fields } = e;
  return {
    __typename: "MarketingEngagement",
    ...fields,
    channelHandle: null,
    marketingActivity: activityView(activity),
  };
}

/** The mutation root's marketing fields. */
export function marketingMutations(records: MarketingRecords): Record<string, unknown> {
  return {
    marketingActivityUpsertExternal: (args: unknown) => {
      const { marketingActivity, userErrors } = records.upsert(args);
      return { marketingActivity: marketingActivity ? activityView(marketingActivity) : null, userErrors };
    },
    marketingEngagementCreate: (args: unknown) => {
      const { marketingEngagement, activity, userErrors } = records.createEngagement(args);
      return {
        marketingEngagement:
          marketingEngagement && activity ? engagementView(marketingEngagement, activity) : null,
        userErrors,
      };
    },
  };
}
