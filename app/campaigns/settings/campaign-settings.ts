import { z } from "zod";
import { AudienceSettings, DEFAULT_AUDIENCE_SETTINGS } from "../../messaging/rules/settings";
import { settingsIssues, type SettingsIssue } from "../calendar/issues";
import { DEFAULT_SHIPPING_CUTOFFS, ShippingCutoffs } from "../calendar/shipping";
import { AttributionWindows, DEFAULT_ATTRIBUTION_WINDOWS } from "./attribution-windows";

// A shop's campaign settings (ShopSettings.campaignSettings): the Christmas shipping cut-offs the
// calendar and the playbooks use, and the audience rules every campaign is planned with — the
// default holdout share of new campaigns, the frequency caps across campaigns, the SMS hours and the
// stricter hours of some states, and the windows results credit sales in. Pure. Validated when saved and again when read.

export const CampaignSettings = z
  .object(
    {
      shipping: ShippingCutoffs.default({}),
      audience: AudienceSettings.default({}),
      attribution: AttributionWindows.default({}),
    },
    { invalid_type_error: "Campaign settings must be an object" },
  )
  .strict('Campaign settings take only "shipping", "audience" and "attribution"');
export type CampaignSettings = z.infer<typeof CampaignSettings>;

export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = Object.freeze({
  shipping: {
    standard: { ...DEFAULT_SHIPPING_CUTOFFS.standard },
    express: { ...DEFAULT_SHIPPING_CUTOFFS.express },
  },
  audience: DEFAULT_AUDIENCE_SETTINGS,
  attribution: DEFAULT_ATTRIBUTION_WINDOWS,
});

export type ParsedCampaignSettings =
  { ok: true; settings: CampaignSettings } | { ok: false; issues: SettingsIssue[] };

/** Settings, or every problem named by its dotted path ("audience.caps.sms", "shipping.express"). */
export function parseCampaignSettings(input: unknown): ParsedCampaignSettings {
  const parsed = CampaignSettings.safeParse(input ?? {});
  return parsed.success
    ? { ok: true, settings: parsed.data }
    : { ok: false, issues: settingsIssues(parsed.error) };
}

/** The audience rules a campaign is planned with, without the share its own draft decides. */
export function campaignAudienceRules(settings: CampaignSettings): Omit<AudienceSettings, "holdoutShare"> {
  const { holdoutShare: _perCampaign, ...rules } = settings.audience;
  return rules;
}
