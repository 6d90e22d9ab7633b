import { sortSends } from "../playbooks";
import type { CampaignDeps } from "../lifecycle/deps";
import { planCampaign, type PlanCampaignOptions, type PlanCampaignResult } from "./plan-campaign.server";
import { listCampaigns } from "../lifecycle/read-campaign.server";

// Plans every enabled draft of a playbook's year, in the order of their first sends, so a later
// campaign's caps see the earlier ones' planned messages. Campaigns no longer drafts are left alone.

export interface PlanPlaybookResult {
  planned: PlanCampaignResult[];
  /** keys not planned: switched off, not a draft any more, or an invalid stored definition */
  skipped: Array<{ key: string; why: "disabled" | "not_draft" | "invalid_definition" }>;
}

export async function planPlaybookCampaigns(
  deps: CampaignDeps,
  shop: string,
  input: { playbook: string; year: number },
  options: PlanCampaignOptions & { onPlanned?: (result: PlanCampaignResult) => void } = {},
): Promise<PlanPlaybookResult> {
  const campaigns = await listCampaigns(deps.prisma, shop, input);
  const result: PlanPlaybookResult = { planned: [], skipped: [] };
  const firstSend = (sends: Parameters<typeof sortSends>[0]) => {
    const first = sortSends(sends)[0];
    return first ? `${first.localDate} ${first.localTime}` : "";
  };
  const plannable: Array<{ id: string; order: string }> = [];
  for (const c of campaigns) {
    if (c.status !== "draft") result.skipped.push({ key: c.key, why: "not_draft" });
    else if (!c.definition) result.skipped.push({ key: c.key, why: "invalid_definition" });
    else if (!c.definition.draft.enabled) result.skipped.push({ key: c.key, why: "disabled" });
    else plannable.push({ id: c.id, order: `${firstSend(c.definition.draft.sends)} ${c.key}` });
  }
  plannable.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  for (const { id } of plannable) {
    const planned = await planCampaign(deps, shop, id, options);
    options.onPlanned?.(planned);
    result.planned.push(planned);
  }
  return result;
}
