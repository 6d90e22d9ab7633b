import type { Segment } from "../../segments/rules";
import { isSegment } from "../../segments/rules";
import { addDays, localDate, yearOf } from "../../messaging/rules/local-dates";
import type { SettingsIssue } from "../calendar/issues";
import { EARLY_ACCESS_DAYS, PLAYBOOKS, SEND_KEYS, type CampaignDraft, type SendKey } from "../playbooks";
import { DEFAULT_TEMPLATES, LAST_HOURS_TEMPLATES } from "../playbooks/default-templates";
import {
  TEMPLATE_FIELD,
  TEMPLATE_PART_LABEL,
  type EmailTemplate,
  type MessageTemplate,
  type SmsTemplate,
  type TemplateError,
  type TemplatePart,
} from "../../messaging/templates/message-template";
import { checkRenders, type SampleCase } from "../../messaging/templates/render";
import {
  PREVIEW_UNSUBSCRIBE_URL,
  SAMPLE_CUSTOMERS,
  SAMPLE_PRODUCTS,
  sampleVariables,
} from "../../messaging/templates/samples";
import {
  messageVariables,
  type SharedVariables,
  type ShopInfo,
  type TemplateDelivery,
  type TemplateVariables,
} from "../../messaging/templates/variables";

// A campaign's templates and the variables all its messages share. The merchant's own template of
// a send and channel comes first, else the segment's default (the last-hours one for the
// `last_hours` send). A saved template must render with the campaign's own data, for the sample
// customer and for a customer with no name or products (many customers have neither): checked when
// it is saved, on every edit and whenever the definition is read. Pure.

export type CampaignVariables = SharedVariables;

export type TemplateChannel = "email" | "sms";

/** The shop a stored definition is checked with: it has no shop of its own. */
export const SAMPLE_SHOP: ShopInfo = Object.freeze({ ...sampleVariables("regular").shop });

const sendKeyOf = (value: string): SendKey | undefined => SEND_KEYS.find((k) => k === value);

/**
 * The delivery promise of a campaign with a delivery guarantee: the standard cut-off while it is
 * still ahead of the campaign's last send, else the express one, else none (no message promises a
 * day that has passed). The shop's cut-offs are for Christmas (calendar/shipping.ts).
 */
export function deliveryPromise(draft: CampaignDraft): TemplateDelivery | null {
  if (!draft.deliveryGuarantee) return null;
  const lastSend = draft.sends.reduce((last, s) => (s.localDate > last ? s.localDate : last), draft.startsAt);
  const { standard, express } = draft.shippingCutoff;
  const christmas = localDate(yearOf(standard), 12, 25);
  const promise = (shipping: TemplateDelivery["shipping"], date: string): TemplateDelivery => ({
    orderBy: `${date}T23:59`,
    shipping,
    occasion: "Christmas",
    date: christmas,
  });
  if (standard >= lastSend) return promise("standard", standard);
  if (express >= lastSend) return promise("express", express);
  return null;
}

/** What every message of the campaign shares; `products` is the empty list a customer's replace. */
export function campaignVariables(draft: CampaignDraft, shop: ShopInfo): CampaignVariables {
  const playbook = PLAYBOOKS[draft.playbook];
  // VIPs hear about the sale before it opens: the event is the public start, not their early day.
  const early = draft.sends.some((send) => send.key === "early_access");
  const eventDate = early ? addDays(draft.startsAt, EARLY_ACCESS_DAYS) : draft.startsAt;
  const discount =
    draft.discount.type === "percent" ? { code: draft.discount.code, percent: draft.discount.percent } : null;
  return {
    shop: { ...shop },
    event: { name: playbook.saleName, date: eventDate },
    // the offer ends with the campaign; a delivery promise has its own date
    deadline: discount ? `${draft.endsAt}T23:59` : null,
    delivery: deliveryPromise(draft),
    discount,
    products: [],
  };
}

/** The segment's default for a send and channel. */
export function defaultTemplate(
  sendKey: string,
  channel: TemplateChannel,
  segment: Segment,
): EmailTemplate | SmsTemplate {
  if (sendKey === "last_hours") return LAST_HOURS_TEMPLATES[channel];
  return DEFAULT_TEMPLATES[segment][channel];
}

/** The merchant's template of a send and channel, if they saved one. */
export function savedTemplate(
  draft: CampaignDraft,
  sendKey: string,
  channel: TemplateChannel,
): EmailTemplate | SmsTemplate | undefined {
  const send = sendKeyOf(sendKey);
  return send ? draft.templates?.[send]?.[channel] : undefined;
}

/**
 * The template a message of the send is rendered with. The same object on every call for the same
 * send and channel: the dispatcher's RenderCache knows templates by identity.
 */
export function templateFor(
  draft: CampaignDraft,
  sendKey: string,
  channel: TemplateChannel,
  segment: string,
): EmailTemplate | SmsTemplate {
  return (
    savedTemplate(draft, sendKey, channel) ??
    defaultTemplate(sendKey, channel, isSegment(segment) ? segment : draft.segment)
  );
}

/**
 * A message of the campaign for the segment's sample customer, with sample products when the
 * campaign shows products: built as the dispatcher builds a real customer's.
 */
export function sampleCampaignVariables(
  draft: CampaignDraft,
  shop: ShopInfo,
  unsubscribeUrl: string = PREVIEW_UNSUBSCRIBE_URL,
): TemplateVariables {
  const products = draft.includeProducts ? SAMPLE_PRODUCTS : [];
  return messageVariables(
    campaignVariables(draft, shop),
    SAMPLE_CUSTOMERS[draft.segment],
    products,
    unsubscribeUrl,
  );
}

const BARE_CUSTOMER = " (for a customer without a name or products)";

/**
 * Where a template fails to render with the campaign's data: for the sample customer, then for a
 * customer without a name or products. Empty when it renders for both.
 */
export function checkTemplate(
  draft: CampaignDraft,
  template: MessageTemplate,
  shop: ShopInfo = SAMPLE_SHOP,
  onPart?: (part: TemplatePart) => void,
): TemplateError[] {
  return checkRenders(template, checkCases(draft, shop), onPart);
}

/** What a template of the campaign must render with: the sample customer, then a customer without a name or products. */
export function checkCases(draft: CampaignDraft, shop: ShopInfo = SAMPLE_SHOP): SampleCase[] {
  const sample = sampleCampaignVariables(draft, shop);
  const bare = messageVariables(campaignVariables(draft, shop), {}, [], sample.unsubscribeUrl);
  return [
    { variables: sample, suffix: "" },
    { variables: bare, suffix: BARE_CUSTOMER },
  ];
}

// parseDefinition runs on every read of a campaign: the same template and campaign data give the
// same answer, so it is kept (bounded) rather than rendered again on each page load.
const MEMO_LIMIT = 500;
const memo = new Map<string, TemplateError[]>();

function checkedOnce(draft: CampaignDraft, template: MessageTemplate): TemplateError[] {
  const key = JSON.stringify([
    template,
    campaignVariables(draft, SAMPLE_SHOP),
    draft.segment,
    draft.includeProducts,
  ]);
  const known = memo.get(key);
  if (known) return known;
  let errors: TemplateError[];
  try {
    errors = checkTemplate(draft, template);
  } catch {
    // the campaign's own data does not fit the template variables: a bug of ours, but reading a
    // campaign must not throw, and such a template cannot be trusted to send
    const part = template.channel === "sms" ? "sms" : "subject";
    errors = [{ part, line: 1, column: 1, message: "the campaign's data cannot be shown in a template" }];
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, errors);
  return errors;
}

/** Every saved template that does not render with the campaign's data, by field path ("templates.launch.sms.body"). */
export function templateRenderIssues(draft: CampaignDraft): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  for (const [send, byChannel] of Object.entries(draft.templates ?? {})) {
    for (const template of [byChannel?.email, byChannel?.sms]) {
      if (!template) continue;
      for (const e of checkedOnce(draft, template)) {
        issues.push({
          path: `templates.${send}.${template.channel}.${TEMPLATE_FIELD[e.part]}`,
          message: `${TEMPLATE_PART_LABEL[e.part]}, line ${e.line}, column ${e.column}: ${e.message}`,
        });
      }
    }
  }
  return issues;
}
