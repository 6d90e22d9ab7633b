import type { SettingsIssue } from "../calendar/issues";
import { applyDraftEdits, setSendTemplate } from "../playbooks";
import { CampaignError } from "./campaign-error";
import { isEditable } from "./campaign-status";
import { templateRenderIssues } from "./campaign-templates";
import { audienceFor, storedDefinition, type CampaignDefinition } from "./definition";
import { bumpUpdatedAt, jsonParam, utc, type CampaignDeps } from "./deps";
import { getCampaign, requireDefinition, type CampaignRecord } from "./read-campaign.server";

// The merchant edits a draft: its fields (playbooks.applyDraftEdits: by field path, identity fixed),
// one send's template (playbooks.setSendTemplate) and its audience settings. Only while it is a
// draft; an edit forgets the plan (plannedAt = null), so it cannot be scheduled before it is planned
// again. Every edit renders the saved templates with the edited campaign's data: an edit that would
// leave one unrenderable (say, a discount removed that a template prints) is refused.

export interface CampaignEdits {
  /** CampaignDraftEdits: name, goal, channels, channelMode, sends, dates, discount, holdoutShare, … */
  draft?: unknown;
  /** the full AudienceSettings without holdoutShare (caps, smsQuietHours, stateQuietHours); missing fields take defaults */
  audience?: unknown;
  /**
   * playbooks.TemplateChange: `{ send, channel, template }`, `template: null` for the default.
   * Applied to the draft as read in each attempt, so it never undoes a concurrent edit of another send.
   */
  template?: unknown;
}

const ATTEMPTS = 3;

function invalid(prefix: string, issues: readonly SettingsIssue[]): CampaignError {
  const named = issues.map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));
  return new CampaignError("INVALID_DEFINITION", named.map((i) => `${i.path}: ${i.message}`).join("; "), {
    issues: named,
  });
}

function edited(campaign: CampaignRecord, edits: CampaignEdits): CampaignDefinition {
  const definition = requireDefinition(campaign);
  const fields = applyDraftEdits(definition.draft, edits.draft ?? {});
  if (!fields.ok) throw invalid("draft", fields.issues);
  const draft = edits.template === undefined ? fields : setSendTemplate(fields.draft, edits.template);
  if (!draft.ok) throw invalid("draft", draft.issues);
  const rendering = templateRenderIssues(draft.draft);
  if (rendering.length > 0) throw invalid("draft", rendering);
  if (edits.audience === undefined)
    return {
      draft: draft.draft,
      audience: { ...definition.audience, holdoutShare: draft.draft.holdoutShare },
    };
  const audience = audienceFor(draft.draft, edits.audience);
  if (!audience.ok) throw invalid("audience", audience.issues);
  return { draft: draft.draft, audience: audience.audience };
}

/** The edited campaign; CampaignError NOT_FOUND, INVALID_TRANSITION (not a draft) or INVALID_DEFINITION. */
export async function editCampaign(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
  edits: CampaignEdits,
): Promise<CampaignRecord> {
  for (let attempt = 1; ; attempt++) {
    const campaign = await getCampaign(deps.prisma, shop, campaignId);
    if (!isEditable(campaign.status))
      throw new CampaignError("INVALID_TRANSITION", `A ${campaign.status} campaign cannot be edited`, {
        status: campaign.status,
      });
    const definition = edited(campaign, edits);
    // Written only over the version read: a plan or a status change in between makes us read again.
    const written = await deps.prisma.$executeRawUnsafe(
      `UPDATE "Campaign" SET definition = $3::jsonb, name = $4, "plannedAt" = NULL, "updatedAt" = ${bumpUpdatedAt()}
       WHERE id = $1 AND shop = $2 AND status = 'draft' AND "updatedAt" = ${utc("$5")}`,
      campaignId,
      shop,
      jsonParam(storedDefinition(definition)),
      definition.draft.name,
      campaign.updatedAt.toISOString(),
    );
    if (written === 1) {
      deps.log(`campaign ${campaignId} (${shop}) edited; plan cleared`);
      return getCampaign(deps.prisma, shop, campaignId);
    }
    if (attempt >= ATTEMPTS) throw new CampaignError("SUPERSEDED", "The campaign kept changing; try again");
  }
}
