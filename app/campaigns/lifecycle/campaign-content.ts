import { campaignVariables, templateFor, type CampaignVariables } from "./campaign-templates";
import type { ShopInfo } from "../../messaging/templates/variables";
import type { CampaignDefinition } from "./definition";
import { RenderCache } from "../../messaging/dispatch/render-cache";
import type { SourceContent } from "../../messaging/dispatch/source";

// What every message of one campaign shares: its templates, the variables that do not depend on
// the customer, its last day and its SMS hours. Pure. A campaign with products gets each
// customer's own (products.server.ts) in place of the shared empty list. Templates are the
// merchant's saved ones, else the segment's defaults (campaign-templates.ts).

export type { CampaignVariables };

/** A campaign's content as the dispatcher reads it. */
export type CampaignContent = SourceContent;

export function campaignContent(
  { draft, audience }: CampaignDefinition,
  shop: ShopInfo,
  utmCampaign: string,
): CampaignContent {
  const variables = campaignVariables(draft, shop);
  return {
    variables,
    endsAt: draft.endsAt,
    audience,
    includeProducts: draft.includeProducts,
    utmCampaign,
    renders: new RenderCache(variables),
    templateFor: (sendKey, channel, segment) => templateFor(draft, sendKey, channel, segment),
  };
}
