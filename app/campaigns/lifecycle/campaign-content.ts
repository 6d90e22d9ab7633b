import type { AudienceSettings } from "../../messaging/rules/settings";
import {
  campaignVariables,
  templateFor,
  type CampaignVariables,
  type ShopInfo,
} from "./campaign-templates";
import type { CampaignDefinition } from "./definition";
import type { EmailTemplate, SmsTemplate } from "../../messaging/templates/message-template";
import { RenderCache } from "../../messaging/dispatch/render-cache";

// What every message of one campaign shares: its templates, the variables that do not depend on
// the customer, its last day and its SMS hours. Pure. A campaign with products gets each
// customer's own (products.server.ts) in place of the shared empty list. Templates are the
// merchant's saved ones, else the segment's defaults (campaign-templates.ts).

export type { CampaignVariables, ShopInfo };

export interface CampaignContent {
  variables: CampaignVariables;
  /** the campaign's last local day: nothing goes out after it ends on the customer's clock */
  endsAt: string;
  audience: AudienceSettings;
  /** messages show products chosen per customer (in stock, not bought before) */
  includeProducts: boolean;
  templateFor(sendKey: string, channel: "email" | "sms", segment: string): EmailTemplate | SmsTemplate;
  /**
   * Renders of this campaign's messages, shared by its lanes in this process. One per content:
   * it knows templates by identity, and each campaign (each version of it) has its own.
   */
  renders: RenderCache;
}

export function campaignContent({ draft, audience }: CampaignDefinition, shop: ShopInfo): CampaignContent {
  const variables = campaignVariables(draft, shop);
  return {
    variables,
    endsAt: draft.endsAt,
    audience,
    includeProducts: draft.includeProducts,
    renders: new RenderCache(variables),
    templateFor: (sendKey, channel, segment) => templateFor(draft, sendKey, channel, segment),
  };
}
