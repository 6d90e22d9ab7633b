import type { Segment } from "../../segments/rules";
import { SEGMENTS } from "../../segments/rules";
import type { AudienceSettings } from "../audience/settings";
import { addDays } from "../calendar/dates";
import type { CampaignDefinition } from "../campaigns/definition";
import { EARLY_ACCESS_DAYS, PLAYBOOKS } from "../playbooks";
import { DEFAULT_TEMPLATES, LAST_HOURS_TEMPLATES } from "../templates/defaults";
import type { EmailTemplate, SmsTemplate } from "../templates/message-template";
import type { TemplateVariables } from "../templates/variables";
import { RenderCache } from "./render-cache";

// What every message of one campaign shares: its templates, the variables that do not depend on
// the customer, its last day and its SMS hours. Pure. A campaign with products gets each
// customer's own (products.server.ts) in place of the shared empty list. Templates are the segment's defaults, and the
// last-hours ones for the `last_hours` send (campaign definitions carry no templates of their own yet).

export interface ShopInfo {
  name: string;
  /** the storefront's host (templates write https://{{ shop.domain }}) */
  domain: string;
  currencyCode: string;
}

export type CampaignVariables = Omit<TemplateVariables, "customer" | "unsubscribeUrl">;

export interface CampaignContent {
  variables: CampaignVariables;
  /** the campaign's last local day: nothing goes out after it ends on the customer's clock */
  endsAt: string;
  audience: AudienceSettings;
  /** messages show products chosen per customer (in stock, not bought before) */
  includeProducts: boolean;
  templateFor(sendKey: string, channel: "email" | "sms", segment: string): EmailTemplate | SmsTemplate;
  /** renders of this campaign's messages, shared by its lanes in this process */
  renders: RenderCache;
}

const isSegment = (value: string): value is Segment => SEGMENTS.some((s) => s === value);

export function campaignContent({ draft, audience }: CampaignDefinition, shop: ShopInfo): CampaignContent {
  const playbook = PLAYBOOKS[draft.playbook];
  // VIPs hear about the sale before it opens: the event is the public start, not their early day.
  const early = draft.sends.some((send) => send.key === "early_access");
  const eventDate = early ? addDays(draft.startsAt, EARLY_ACCESS_DAYS) : draft.startsAt;
  const discount =
    draft.discount.type === "percent" ? { code: draft.discount.code, percent: draft.discount.percent } : null;
  const deadline = draft.deliveryGuarantee
    ? `${draft.shippingCutoff.standard}T23:59`
    : discount
      ? `${draft.endsAt}T23:59`
      : null;
  const variables: CampaignVariables = {
    shop,
    event: { name: playbook.name, date: eventDate },
    deadline,
    discount,
    products: [],
  };
  return {
    variables,
    endsAt: draft.endsAt,
    audience,
    includeProducts: draft.includeProducts,
    renders: new RenderCache(variables),
    templateFor(sendKey, channel, segment) {
      if (sendKey === "last_hours") return LAST_HOURS_TEMPLATES[channel];
      return DEFAULT_TEMPLATES[isSegment(segment) ? segment : draft.segment][channel];
    },
  };
}
