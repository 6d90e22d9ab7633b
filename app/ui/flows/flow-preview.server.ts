import type { ShopFlow } from "../../flows/flow-settings.server";
import {
  flowCheckCases,
  flowTemplateFor,
  flowTemplateStep,
  sampleFlowSegment,
  sampleFlowVariables,
  stepName,
} from "../../flows/templates";
import type {
  EmailTemplate,
  RenderResult,
  SmsTemplate,
  TemplateError,
} from "../../messaging/templates/message-template";
import { getRenderPool, type RenderPool } from "../../messaging/templates/render-pool.server";
import { SAMPLE_CUSTOMERS } from "../../messaging/templates/samples";
import type { ShopInfo } from "../../messaging/templates/variables";
import { TestSendLimit } from "../../messaging/test-send/test-send-limit";
import { PreviewCache } from "../campaigns/preview-cache";
import { templateFromForm } from "../campaigns/template-form";

// A flow step's messages as the Flows page previews them: each channel's template (the merchant's
// saved one, else the default) rendered with the flow's made-up sample customer, cart and products
// (never a real customer's), in the render pool. Unsaved edits ("Preview") are checked as a save
// would check them and count against the shop's previews per minute.

export type Renderer = Pick<RenderPool, "render" | "check">;

export interface ChannelPreview {
  channel: "email" | "sms";
  template: EmailTemplate | SmsTemplate;
  saved: boolean;
  result: RenderResult;
}

export interface FlowTemplatePreview {
  flowKey: string;
  templateKey: string;
  step: string;
  sampleCustomer: string;
  /** what the sample shows that not every customer gets */
  note: string | null;
  channels: ChannelPreview[];
}

export const TRIES_PER_MINUTE = 30;
const pagePreviews = new PreviewCache();
const tries = new TestSendLimit(TRIES_PER_MINUTE, 60_000);

async function rendered(
  render: Renderer,
  template: EmailTemplate | SmsTemplate,
  templateKey: string,
  info: ShopInfo,
) {
  const variables = sampleFlowVariables(templateKey, info);
  const key = PreviewCache.keyOf(template, variables);
  const cached = pagePreviews.get(key);
  if (cached) return cached;
  const result = await render.render(template, variables);
  pagePreviews.set(key, result);
  return result;
}

/** The step's messages for the sample customer; null when the flow has no such step. */
export async function previewFlowTemplate(
  flow: ShopFlow,
  templateKey: string,
  info: ShopInfo,
  render: Renderer = getRenderPool(),
): Promise<FlowTemplatePreview | null> {
  const step = flowTemplateStep(templateKey);
  if (!step || step.flowKey !== flow.key) return null;
  const segment = sampleFlowSegment(flow.key);
  const customer = SAMPLE_CUSTOMERS[segment];
  const variables = sampleFlowVariables(templateKey, info);
  const channels: ChannelPreview[] = [];
  for (const channel of step.channels) {
    const template = flowTemplateFor(flow.templates, templateKey, channel);
    channels.push({
      channel,
      template,
      saved: flow.templates?.[templateKey]?.[channel] !== undefined,
      result: await rendered(render, template, templateKey, info),
    });
  }
  const notes: string[] = [];
  if (variables.discount)
    notes.push(
      `The code ${variables.discount.code} shows only to price-sensitive customers, as here; others get this message without it.`,
    );
  if (variables.checkout)
    notes.push(
      "The cart shows the items of each shopper's own checkout still in stock, and the link is their checkout's recovery link.",
    );
  if (variables.products.length > 0)
    notes.push("Each customer sees in-stock products they have not bought; the sample shows made-up ones.");
  if (variables.delivery)
    notes.push(
      "The delivery promise shows only while a shipping cut-off is still ahead; without one the email invites them back without a date.",
    );
  return {
    flowKey: flow.key,
    templateKey,
    step: stepName(step.stepId),
    sampleCustomer: `${[customer.firstName, customer.lastName].filter(Boolean).join(" ")} (${segment.replace(/_/g, "-")})`,
    note: notes.length > 0 ? notes.join(" ") : null,
    channels,
  };
}

function refused(shop: string, channel: "email" | "sms"): TemplateError | undefined {
  const slot = tries.take(shop, Date.now());
  if (slot.ok) return undefined;
  return {
    part: channel === "sms" ? "sms" : "subject",
    line: 1,
    column: 1,
    message: `not rendered: more than ${TRIES_PER_MINUTE} previews for this shop in a minute; try again in ${Math.ceil(slot.retryInMs / 1000)} s`,
  };
}

/**
 * A template the merchant is editing, not saved: the sample customer's message, or the errors
 * saving it would meet (it must also render for a customer with nothing optional).
 */
export async function tryFlowTemplate(
  shop: string,
  templateKey: string,
  info: ShopInfo,
  form: FormData,
  render: Renderer = getRenderPool(),
): Promise<RenderResult> {
  const parsed = templateFromForm(form);
  if (!parsed.ok) return parsed;
  const step = flowTemplateStep(templateKey);
  const channel = parsed.template.channel;
  if (!step || !step.channels.includes(channel))
    return {
      ok: false,
      errors: [
        {
          part: channel === "sms" ? "sms" : "subject",
          line: 1,
          column: 1,
          message: `no step "${templateKey}" sends by ${channel}`,
        },
      ],
    };
  const limit = refused(shop, channel);
  if (limit) return { ok: false, errors: [limit] };
  const errors = await render.check(parsed.template, flowCheckCases(templateKey, info));
  return errors.length > 0
    ? { ok: false, errors }
    : render.render(parsed.template, sampleFlowVariables(templateKey, info));
}
