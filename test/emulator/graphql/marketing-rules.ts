import { z } from "zod";
import type { Money } from "./marketing-totals";

// The inputs of marketingActivityUpsertExternal and marketingEngagementCreate, and the userErrors
// Shopify answers them with (codes of MarketingActivityUserErrorCode, worded as the schema words them).

export type Utm = { campaign: string; source: string; medium: string };
export type UserError = { field: string[] | null; message: string; code: string };

const MESSAGES: Readonly<Record<string, string>> = {
  CURRENCY_CODE_MISMATCH_INPUT: "All currency codes provided in the input need to match.",
  MARKETING_ACTIVITY_CURRENCY_CODE_MISMATCH:
    "The currency codes provided need to match the referenced marketing activity's currency code.",
  NON_HIERARCHIAL_REQUIRES_UTM_URL_PARAMETER:
    "Non-hierarchical marketing activities must have UTM parameters or a URL parameter value.",
  INVALID_CHANNEL_HANDLE: "The channel handle is not recognized.",
  INVALID_REMOTE_ID: "The remote ID does not correspond to an existing activity.",
  IMMUTABLE_UTM_PARAMETERS: "The UTM parameters cannot be modified.",
  IMMUTABLE_URL_PARAMETER: "The URL parameter value cannot be modified.",
  IMMUTABLE_HIERARCHY_LEVEL: "The hierarchy level cannot be modified.",
  IMMUTABLE_PARENT_ID: "The parent activity cannot be modified.",
  CANNOT_UPDATE_TACTIC_IF_ORIGINALLY_STOREFRONT_APP:
    "The activity's tactic can not be updated from STOREFRONT_APP.",
  CANNOT_UPDATE_TACTIC_TO_STOREFRONT_APP: "The activity's tactic can not be updated to STOREFRONT_APP.",
  MARKETING_ACTIVITY_WITH_UTM_CAMPAIGN_ALREADY_EXISTS:
    "A marketing activity with the same UTM campaign, medium, and source already exists.",
  MARKETING_ACTIVITY_WITH_URL_PARAMETER_VALUE_ALREADY_EXISTS:
    "A marketing activity with the same URL parameter value already exists.",
  INVALID_MARKETING_ENGAGEMENT_ARGUMENT_MISSING:
    "No identifier found. For activity level engagement, either the marketing activity ID or remote ID must be provided. For channel level engagement, the channel handle must be provided.",
  INVALID_MARKETING_ENGAGEMENT_ARGUMENTS:
    "For activity level engagement, either the marketing activity ID or remote ID must be provided. For channel level engagement, the channel handle must be provided.",
  MARKETING_ACTIVITY_DOES_NOT_EXIST: "Marketing activity does not exist.",
  INVALID: "The input value is invalid.",
};

export const userError = (field: string[] | null, code: string): UserError => ({
  field,
  code,
  message: MESSAGES[code] ?? code,
});

const nullish = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const moneyInput = z.object({ amount: z.union([z.string(), z.number()]), currencyCode: z.string() });

export const upsertArgs = z.object({
  input: z.object({
    remoteId: z.string(),
    title: z.string(),
    remoteUrl: z.string(),
    status: z.string(),
    tactic: z.string(),
    marketingChannelType: z.string(),
    utm: z
      .object({ campaign: z.string(), source: z.string(), medium: z.string() })
      .nullish()
      .transform((v) => v ?? null),
    urlParameterValue: nullish,
    remotePreviewImageUrl: nullish,
    referringDomain: nullish,
    channelHandle: nullish,
    hierarchyLevel: nullish,
    parentRemoteId: nullish,
    start: nullish,
    end: nullish,
    scheduledStart: nullish,
    scheduledEnd: nullish,
    adSpend: moneyInput.nullish(),
    budget: z.object({ total: moneyInput }).passthrough().nullish(),
  }),
});
export type UpsertInput = z.output<typeof upsertArgs>["input"];

export const engagementArgs = z.object({
  marketingActivityId: nullish,
  remoteId: nullish,
  channelHandle: nullish,
  marketingEngagement: z
    .object({ occurredOn: z.string(), utcOffset: z.string(), isCumulative: z.boolean().nullish() })
    .passthrough(),
});

/** What the rules read of an activity the shop has. */
export interface KnownActivity {
  remoteId: string;
  utm: Utm | null;
  urlParameterValue: string | null;
  hierarchyLevel: string | null;
  parentRemoteId: string | null;
  tactic: string;
  adSpend: Money | null;
}

const sameUtm = (a: Utm | null, b: Utm | null) =>
  a?.campaign === b?.campaign && a?.source === b?.source && a?.medium === b?.medium;

/** The userErrors of an upsert; `existing` is the activity of its remoteId. */
export function upsertErrors(
  input: UpsertInput,
  existing: KnownActivity | undefined,
  activities: readonly KnownActivity[],
): UserError[] {
  const others = activities.filter((a) => a.remoteId !== input.remoteId);
  const checks: Array<[boolean, string[], string]> = [
    [
      new Set([input.adSpend?.currencyCode, input.budget?.total.currencyCode].filter(Boolean)).size > 1,
      ["input"],
      "CURRENCY_CODE_MISMATCH_INPUT",
    ],
    [
      input.hierarchyLevel === null && input.utm === null && input.urlParameterValue === null,
      ["input"],
      "NON_HIERARCHIAL_REQUIRES_UTM_URL_PARAMETER",
    ],
    // channel handles come from a partner manager: the emulator knows none
    [input.channelHandle !== null, ["input", "channelHandle"], "INVALID_CHANNEL_HANDLE"],
    [
      input.parentRemoteId !== null && !activities.some((a) => a.remoteId === input.parentRemoteId),
      ["input", "parentRemoteId"],
      "INVALID_REMOTE_ID",
    ],
  ];
  if (existing) {
    const storefront = (t: string) => t === "STOREFRONT_APP";
    checks.push(
      [!sameUtm(existing.utm, input.utm), ["input", "utm"], "IMMUTABLE_UTM_PARAMETERS"],
      [
        existing.urlParameterValue !== input.urlParameterValue,
        ["input", "urlParameterValue"],
        "IMMUTABLE_URL_PARAMETER",
      ],
      [
        existing.hierarchyLevel !== input.hierarchyLevel,
        ["input", "hierarchyLevel"],
        "IMMUTABLE_HIERARCHY_LEVEL",
      ],
      [existing.parentRemoteId !== input.parentRemoteId, ["input", "parentRemoteId"], "IMMUTABLE_PARENT_ID"],
      [
        storefront(existing.tactic) && !storefront(input.tactic),
        ["input", "tactic"],
        "CANNOT_UPDATE_TACTIC_IF_ORIGINALLY_STOREFRONT_APP",
      ],
      [
        !storefront(existing.tactic) && storefront(input.tactic),
        ["input", "tactic"],
        "CANNOT_UPDATE_TACTIC_TO_STOREFRONT_APP",
      ],
    );
  } else {
    checks.push(
      [
        input.utm !== null && others.some((a) => sameUtm(a.utm, input.utm)),
        ["input", "utm"],
        "MARKETING_ACTIVITY_WITH_UTM_CAMPAIGN_ALREADY_EXISTS",
      ],
      [
        input.urlParameterValue !== null &&
          others.some((a) => a.urlParameterValue === input.urlParameterValue),
        ["input", "urlParameterValue"],
        "MARKETING_ACTIVITY_WITH_URL_PARAMETER_VALUE_ALREADY_EXISTS",
      ],
    );
  }
  return checks.filter(([failed]) => failed).map(([, field, code]) => userError(field, code));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UTC_OFFSET = /^[+-](?:0\d|1[0-4]):[0-5]\d$/;
const validDate = (s: string) => DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** The first userError of an engagement's values, if any. */
export function engagementError(
  input: { occurredOn: string; utcOffset: string },
  currencies: ReadonlySet<string>,
  activity: KnownActivity,
): UserError | undefined {
  if (!validDate(input.occurredOn)) return userError(["marketingEngagement", "occurredOn"], "INVALID");
  if (!UTC_OFFSET.test(input.utcOffset)) return userError(["marketingEngagement", "utcOffset"], "INVALID");
  if (currencies.size > 1) return userError(["marketingEngagement"], "CURRENCY_CODE_MISMATCH_INPUT");
  const own = activity.adSpend?.currencyCode;
  if (own && [...currencies].some((c) => c !== own))
    return userError(["marketingEngagement"], "MARKETING_ACTIVITY_CURRENCY_CODE_MISMATCH");
  return undefined;
}
