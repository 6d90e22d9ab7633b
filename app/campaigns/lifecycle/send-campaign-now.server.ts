import {
  changeCampaignStatus,
  type StatusChange,
  type TransitionOptions,
} from "./change-campaign-status.server";
import type { CampaignDeps } from "./deps";
import {
  planCampaign,
  type PlanCampaignOptions,
  type PlanCampaignResult,
} from "../plan/plan-campaign.server";

// "Send now": the draft is planned again with its first send due at once (each customer's message
// at `now`, SMS at the next opening of their hours, caps and holdout as always; later sends keep
// their local times), then scheduled. Re-planning rather than moving sendAt keeps every rule of the
// audience. When scheduling is refused (a channel not tested), the campaign stays a draft holding
// that plan; planning it normally again restores its local times.

export async function sendCampaignNow(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
  options: Omit<PlanCampaignOptions, "launchNow"> & TransitionOptions = {},
): Promise<{ plan: PlanCampaignResult; change: StatusChange }> {
  const plan = await planCampaign(deps, shop, campaignId, { batchSize: options.batchSize, launchNow: true });
  const change = await changeCampaignStatus(deps, shop, campaignId, "schedule", {
    readiness: options.readiness,
  });
  return { plan, change };
}
