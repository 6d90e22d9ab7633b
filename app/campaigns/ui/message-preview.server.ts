import { checkTemplate, sampleCampaignVariables, savedTemplate, templateFor, type ShopInfo } from "../campaigns/campaign-templates";
import type { CampaignDefinition } from "../campaigns/definition";
import { sortSends } from "../playbooks";
import type { EmailTemplate, RenderResult, SmsTemplate, TemplateError } from "../templates/message-template";
import { renderMessage } from "../templates/render";
import { SAMPLE_CUSTOMERS } from "../templates/samples";
import { templateFromForm } from "./template-form";

export { shopInfo } from "../campaigns/shop-info.server";

// The preview of a campaign's messages: each channel's template for one send — the merchant's saved
// one, else the segment's default — rendered with the made-up sample customer of the campaign's
// segment (never a real one). A template that does not render shows its errors by part, line and
// column; the dispatcher refuses to send it just the same.

export interface ChannelPreview {
  channel: "email" | "sms";
  template: EmailTemplate | SmsTemplate;
  /** the merchant saved this template for the send (false: the segment's default) */
  saved: boolean;
  result: RenderResult;
}

export interface MessagePreview {
  sendKey: string;
  sends: string[];
  sampleCustomer: string;
  channels: ChannelPreview[];
  /** channels the merchant picked that have no text to preview (webhook: a JSON payload) */
  other: string[];
}

/** A template rendered with the campaign's data and the sample customer. */
export function renderPreview(template: EmailTemplate | SmsTemplate, definition: CampaignDefinition, shop: ShopInfo): RenderResult {
  try {
    // Each customer gets their own products when sent; the preview shows the sample ones instead.
    return renderMessage(template, sampleCampaignVariables(definition.draft, shop));
  } catch {
    // Variables that do not validate are a bug of ours, not the template's: show it, never crash the page.
    return { ok: false, errors: [{ part: template.channel === "sms" ? "sms" : "text", line: 1, column: 1, message: "the preview variables are not valid" }] };
  }
}

export function previewMessages(definition: CampaignDefinition, shop: ShopInfo, wanted: string | null): MessagePreview {
  const { draft } = definition;
  const sends = sortSends(draft.sends).map((s) => s.key);
  const sendKey = sends.find((s) => s === wanted) ?? sends[0] ?? "launch";
  const customer = SAMPLE_CUSTOMERS[draft.segment];
  const channels: ChannelPreview[] = [];
  const other: string[] = [];
  for (const channel of draft.channels) {
    if (channel === "webhook") {
      other.push(channel);
      continue;
    }
    const template = templateFor(draft, sendKey, channel, draft.segment);
    channels.push({ channel, template, saved: savedTemplate(draft, sendKey, channel) !== undefined, result: renderPreview(template, definition, shop) });
  }
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return { sendKey, sends, sampleCustomer: name || customer.email || "sample customer", channels, other };
}

/**
 * A merchant's trial edit of a template, not saved: the sample customer's message, or the errors
 * saving it would meet (it must also render for a customer without a name or products).
 */
export function tryTemplate(definition: CampaignDefinition, shop: ShopInfo, form: FormData): RenderResult {
  const parsed = templateFromForm(form);
  if (!parsed.ok) return parsed;
  const errors = saveErrors(definition, parsed.template, shop);
  return errors.length > 0 ? { ok: false, errors } : renderPreview(parsed.template, definition, shop);
}

/** What saving the template would refuse, by part, line and column; none when it renders. */
export function saveErrors(definition: CampaignDefinition, template: EmailTemplate | SmsTemplate, shop: ShopInfo): TemplateError[] {
  try {
    return checkTemplate(definition.draft, template, shop);
  } catch {
    // the shop's data does not fit the variables: renderPreview says so
    const result = renderPreview(template, definition, shop);
    return result.ok ? [] : result.errors;
  }
}
