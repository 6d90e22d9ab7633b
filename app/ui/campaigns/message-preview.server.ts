import {
  checkCases,
  sampleCampaignVariables,
  savedTemplate,
  templateFor,
} from "../../campaigns/lifecycle/campaign-templates";
import type { ShopInfo } from "../../messaging/templates/variables";
import type { CampaignDefinition } from "../../campaigns/lifecycle/definition";
import { sortSends } from "../../campaigns/playbooks";
import type {
  EmailTemplate,
  RenderResult,
  SmsTemplate,
  TemplateError,
} from "../../messaging/templates/message-template";
import { getRenderPool } from "../../messaging/templates/render-pool.server";
import { TemplateVariables } from "../../messaging/templates/variables";
import { TestSendLimit } from "../../messaging/test-send/test-send-limit";
import { PREVIEW_APP_URL, SAMPLE_CUSTOMERS } from "../../messaging/templates/samples";
import { PreviewCache } from "./preview-cache";
import { templateFromForm } from "./template-form";
import { asSentText } from "../../messaging/tracking/track-links";
import { smsSegments } from "../../messaging/templates/sms-segments";

export { shopInfo } from "../../messaging/templates/shop-info.server";

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

/**
 * Tries, saves and test sends a shop may ask for in a minute: each renders a template the merchant
 * just typed in the pool. The page's own previews do not count: they render only saved templates
 * (which passed the save check) and defaults, and come from the cache while nothing changed.
 */
export const PREVIEWS_PER_MINUTE = 30;
const pagePreviews = new PreviewCache();
const previews = new TestSendLimit(PREVIEWS_PER_MINUTE, 60_000);

/** Takes one of the shop's previews for this minute, or says when the next one frees. */
function refusedPreview(shop: string, template: EmailTemplate | SmsTemplate): TemplateError | undefined {
  const slot = previews.take(shop, Date.now());
  if (slot.ok) return undefined;
  const seconds = Math.ceil(slot.retryInMs / 1000);
  return {
    part: template.channel === "sms" ? "sms" : "subject",
    line: 1,
    column: 1,
    message: `not rendered: more than ${PREVIEWS_PER_MINUTE} previews for this shop in a minute; try again in ${seconds} s`,
  };
}

/** A template rendered with the campaign's data and the sample customer, in the render pool. */
/** A text's links go through the click tracker when sent: the preview shows (and counts) them so. */
function asSent(result: RenderResult): RenderResult {
  if (!result.ok || result.message.channel !== "sms") return result;
  const body = asSentText(result.message.body, PREVIEW_APP_URL);
  return { ok: true, message: { channel: "sms", body, sms: smsSegments(body) } };
}

export async function renderPreview(
  template: EmailTemplate | SmsTemplate,
  definition: CampaignDefinition,
  shop: ShopInfo,
  cache?: PreviewCache,
): Promise<RenderResult> {
  let variables: TemplateVariables;
  try {
    // Each customer gets their own products when sent; the preview shows the sample ones instead.
    variables = TemplateVariables.parse(sampleCampaignVariables(definition.draft, shop));
  } catch {
    // Variables that do not validate are a bug of ours, not the template's: show it, never crash the page.
    return {
      ok: false,
      errors: [
        {
          part: template.channel === "sms" ? "sms" : "text",
          line: 1,
          column: 1,
          message: "the preview variables are not valid",
        },
      ],
    };
  }
  const key = cache ? PreviewCache.keyOf(template, variables) : "";
  const cached = cache?.get(key);
  if (cached) return cached;
  const result = asSent(await getRenderPool().render(template, variables));
  cache?.set(key, result);
  return result;
}

export async function previewMessages(
  definition: CampaignDefinition,
  info: ShopInfo,
  wanted: string | null,
): Promise<MessagePreview> {
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
    const result = await renderPreview(template, definition, info, pagePreviews);
    channels.push({ channel, template, saved: savedTemplate(draft, sendKey, channel) !== undefined, result });
  }
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return { sendKey, sends, sampleCustomer: name || customer.email || "sample customer", channels, other };
}

/**
 * A merchant's trial edit of a template, not saved: the sample customer's message, or the errors
 * saving it would meet (it must also render for a customer without a name or products).
 */
export async function tryTemplate(
  definition: CampaignDefinition,
  info: ShopInfo,
  form: FormData,
  shop: string,
): Promise<RenderResult> {
  const parsed = templateFromForm(form);
  if (!parsed.ok) return parsed;
  const refused = refusedPreview(shop, parsed.template);
  if (refused) return { ok: false, errors: [refused] };
  const errors = await saveErrors(definition, parsed.template, info);
  return errors.length > 0 ? { ok: false, errors } : renderPreview(parsed.template, definition, info);
}

/** What saving the template would refuse, by part, line and column; none when it renders. */
export async function saveErrors(
  definition: CampaignDefinition,
  template: EmailTemplate | SmsTemplate,
  info: ShopInfo,
  shop?: string,
): Promise<TemplateError[]> {
  const refused = shop === undefined ? undefined : refusedPreview(shop, template);
  if (refused) return [refused];
  try {
    sampleCampaignVariables(definition.draft, info);
  } catch {
    // the shop's data does not fit the variables: renderPreview says so
    const result = await renderPreview(template, definition, info);
    return result.ok ? [] : result.errors;
  }
  return getRenderPool().check(template, checkCases(definition.draft, info));
}
