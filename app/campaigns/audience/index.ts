// The audience of a campaign (issue 5): who gets which message, on which channel, when. All pure.
export { applyCaps, capHours, type CapDecision, type SendRecord } from "../../messaging/rules/caps";
export {
  CHANNEL_MODES,
  CHANNELS,
  channelSkipReason,
  ELIGIBILITY_SKIP_REASONS,
  eligibleChannels,
  SUPPRESSION_REASONS,
  type Channel,
  type ChannelDecision,
  type ChannelMode,
  type ChannelOrder,
  type ConsentFields,
  type EligibilitySkipReason,
  type Suppression,
  type SuppressionReason,
} from "../../messaging/rules/channels";
export { holdoutCutoff, holdoutPosition, isHoldout } from "../../messaging/rules/holdout";
export {
  PLAN_CSV_COLUMNS,
  planCsvRecord,
  planCustomer,
  plannedSends,
  SKIP_REASONS,
  type AudienceCampaign,
  type AudienceCustomer,
  type PlanCsvColumn,
  type PlanCustomerInput,
  type PlanRow,
  type SkipReason,
} from "./plan";
export {
  isAllowedAt,
  nextAllowedSend,
  nextInWindow,
  quietHoursFor,
  type QuietHours,
} from "../../messaging/rules/quiet-hours";
export {
  chooseTimeZone,
  localSendTime,
  TIME_ZONE_FALLBACKS,
  type LocalSendTime,
  type TimeZoneFallback,
  type ZoneChoice,
} from "../../messaging/rules/send-time";
export {
  AudienceSettings,
  DEFAULT_AUDIENCE_SETTINGS,
  DEFAULT_SMS_QUIET_HOURS,
  DEFAULT_STATE_QUIET_HOURS,
  FrequencyCaps,
  parseAudienceSettings,
  QuietHoursWindow,
  RegionKey,
} from "../../messaging/rules/settings";
export {
  formatLocalIso,
  isValidTimeZone,
  LOCAL_TIME_ADJUSTMENTS,
  type LocalTimeAdjustment,
} from "../../messaging/rules/time-zone";
