import type { PrismaClient } from "@prisma/client";
import { DEFAULT_THRESHOLDS } from "../../segments/rules";
import { canonicalText } from "../lifecycle/definition";
import type { CampaignDeps } from "../lifecycle/deps";
import { editCampaign } from "../lifecycle/edit-campaign.server";
import { isCampaignError } from "../lifecycle/campaign-error";
import { listCampaigns } from "../lifecycle/read-campaign.server";
import {
  campaignAudienceRules,
  DEFAULT_CAMPAIGN_SETTINGS,
  parseCampaignSettings,
  type CampaignSettings,
} from "./campaign-settings";
import { campaignSettingsFromForm, type CampaignSettingsFormResult } from "./settings-form";

// A shop's campaign settings, stored in ShopSettings.campaignSettings. Saving them re-plans nothing
// by itself: draft campaigns take the new audience rules at once (and must be planned again);
// scheduled and sending ones keep the rules they were planned with, so an outbox never changes under
// a running campaign. Shipping cut-offs and the holdout share reach drafts when a playbook is run.

export type SettingsStore = Pick<PrismaClient, "shopSettings">;

/** The shop's settings; the defaults when none are stored or the stored JSON no longer validates. */
export async function getCampaignSettings(
  prisma: SettingsStore,
  shop: string,
  log: (line: string) => void = () => {},
): Promise<CampaignSettings> {
  const row = await prisma.shopSettings.findUnique({ where: { shop }, select: { campaignSettings: true } });
  if (row?.campaignSettings === null || row?.campaignSettings === undefined) return DEFAULT_CAMPAIGN_SETTINGS;
  const parsed = parseCampaignSettings(row.campaignSettings);
  if (parsed.ok) return parsed.settings;
  log(`campaign settings of ${shop} no longer validate (${parsed.issues.length} issues): using the defaults`);
  return DEFAULT_CAMPAIGN_SETTINGS;
}

export interface CampaignSettingsDeps extends CampaignDeps {
  /**
   * After the settings are stored: what follows the shipping cut-offs outside the database (the
   * storefront's deadlines). Its failure is logged, not thrown: the settings are saved, and the
   * daily write brings the storefront in line.
   */
  settingsSaved?(shop: string, settings: CampaignSettings): Promise<void>;
}

export interface SavedCampaignSettings {
  settings: CampaignSettings;
  /** draft campaigns whose audience rules changed (their plan was cleared) */
  draftsUpdated: string[];
}

/** Stores valid settings and hands the audience rules to the shop's drafts. */
export async function saveCampaignSettings(
  deps: CampaignSettingsDeps,
  shop: string,
  settings: CampaignSettings,
): Promise<SavedCampaignSettings> {
  await deps.prisma.shopSettings.upsert({
    where: { shop },
    create: { shop, segmentThresholds: { ...DEFAULT_THRESHOLDS }, campaignSettings: settings },
    update: { campaignSettings: settings },
  });
  const rules = campaignAudienceRules(settings);
  const draftsUpdated: string[] = [];
  for (const campaign of await listCampaigns(deps.prisma, shop)) {
    if (campaign.status !== "draft" || !campaign.definition) continue;
    const { holdoutShare: _own, ...current } = campaign.definition.audience;
    if (canonicalText(current) === canonicalText(rules)) continue;
    try {
      await editCampaign(deps, shop, campaign.id, { audience: rules });
      draftsUpdated.push(campaign.key);
    } catch (error) {
      // Scheduled meanwhile: it keeps the rules it was planned with, like any scheduled campaign.
      if (!isCampaignError(error, "INVALID_TRANSITION") && !isCampaignError(error, "SUPERSEDED")) throw error;
    }
  }
  deps.log(`campaign settings of ${shop} saved; ${draftsUpdated.length} drafts take the new audience rules`);
  try {
    await deps.settingsSaved?.(shop, settings);
  } catch (error) {
    deps.log(
      `campaign settings of ${shop}: the follow-up after saving failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { settings, draftsUpdated };
}

export type CampaignSettingsActionResult =
  ({ ok: true } & SavedCampaignSettings) | Extract<CampaignSettingsFormResult, { ok: false }>;

/** The Settings page's `intent=campaign-settings`: nothing is stored unless every field is valid. */
export async function saveCampaignSettingsAction(
  deps: CampaignSettingsDeps,
  shop: string,
  form: FormData,
): Promise<CampaignSettingsActionResult> {
  const parsed = campaignSettingsFromForm(form);
  if (!parsed.ok) return parsed;
  return { ok: true, ...(await saveCampaignSettings(deps, shop, parsed.settings)) };
}
