import type { PrismaClient } from "@prisma/client";
import { SEGMENTS, type Segment } from "../../segments/rules";
import type { CampaignDefinition } from "../campaigns/definition";
import { campaignContent, type ShopInfo } from "../dispatch/content";
import { storefrontHost } from "../products/catalogue";
import { sortSends } from "../playbooks";
import { MessageTemplate, type EmailTemplate, type RenderResult, type SmsTemplate } from "../templates/message-template";
import { renderMessage } from "../templates/render";
import { sampleVariables, SAMPLE_CUSTOMERS } from "../templates/samples";

// The preview of a campaign's messages: each channel's template for one send, rendered with the
// made-up sample customer of the campaign's segment (never a real one). A template that does not
// render shows its errors by part, line and column; the dispatcher refuses to send it just the same.

export interface ChannelPreview {
  channel: "email" | "sms";
  template: EmailTemplate | SmsTemplate;
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

const segmentOf = (value: string): Segment => SEGMENTS.find((s) => s === value) ?? "regular";

export async function shopInfo(prisma: Pick<PrismaClient, "shop">, shop: string): Promise<ShopInfo> {
  const row = await prisma.shop.findUnique({
    where: { domain: shop },
    select: { name: true, currencyCode: true, primaryDomain: true },
  });
  return { name: row?.name || shop, domain: storefrontHost(row?.primaryDomain, shop), currencyCode: row?.currencyCode || "USD" };
}

function render(template: EmailTemplate | SmsTemplate, definition: CampaignDefinition, shop: ShopInfo): RenderResult {
  const content = campaignContent(definition, shop);
  // Each customer gets their own products when sent; the preview shows the sample ones instead.
  const { products: _perCustomer, ...shared } = content.variables;
  try {
    return renderMessage(template, sampleVariables(segmentOf(definition.draft.segment), content.includeProducts ? shared : content.variables));
  } catch {
    // Variables that do not validate are a bug of ours, not the template's: show it, never crash the page.
    return { ok: false, errors: [{ part: template.channel === "sms" ? "sms" : "text", line: 1, column: 1, message: "the preview variables are not valid" }] };
  }
}

export function previewMessages(definition: CampaignDefinition, shop: ShopInfo, wanted: string | null): MessagePreview {
  const sends = sortSends(definition.draft.sends).map((s) => s.key);
  const sendKey = sends.find((s) => s === wanted) ?? sends[0] ?? "launch";
  const content = campaignContent(definition, shop);
  const segment = segmentOf(definition.draft.segment);
  const customer = SAMPLE_CUSTOMERS[segment];
  const channels: ChannelPreview[] = [];
  const other: string[] = [];
  for (const channel of definition.draft.channels) {
    if (channel === "webhook") {
      other.push(channel);
      continue;
    }
    const template = content.templateFor(sendKey, channel, definition.draft.segment);
    channels.push({ channel, template, result: render(template, definition, shop) });
  }
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return { sendKey, sends, sampleCustomer: name || customer.email || "sample customer", channels, other };
}

/** A merchant's trial edit of a template (not stored: campaigns use the segment's templates). */
export function tryTemplate(definition: CampaignDefinition, shop: ShopInfo, form: FormData): RenderResult {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const parsed = MessageTemplate.safeParse(
    text("channel") === "sms"
      ? { channel: "sms", body: text("body") }
      : { channel: "email", subject: text("subject"), html: text("html"), text: text("text") },
  );
  if (!parsed.success) {
    const part = text("channel") === "sms" ? "sms" : "text";
    return { ok: false, errors: parsed.error.issues.map((i) => ({ part, line: 1, column: 1, message: i.message })) };
  }
  return render(parsed.data, definition, shop);
}
