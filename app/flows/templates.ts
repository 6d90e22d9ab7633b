import { z } from "zod";
import type { Segment } from "../segments/rules";
import { EmailTemplate, SmsTemplate } from "../messaging/templates/message-template";
import type { SampleCase } from "../messaging/templates/render";
import {
  PREVIEW_UNSUBSCRIBE_URL,
  SAMPLE_CUSTOMERS,
  SAMPLE_PRODUCTS,
  sampleVariables,
} from "../messaging/templates/samples";
import type { ShopInfo, TemplateCheckout, TemplateVariables } from "../messaging/templates/variables";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS, type BuiltInFlowKey } from "./built-in";
import { DEFAULT_FLOW_TEMPLATES, FLOW_TEMPLATE_KEYS, type FlowTemplateKey } from "./default-copy";
import { programFor } from "./program";
import type { ProductChoice } from "./steps";

export { DEFAULT_FLOW_TEMPLATES, FLOW_TEMPLATE_KEYS, type FlowTemplateKey } from "./default-copy";

// The templates of the built-in flows: each send step's template key and channels (read from the
// definitions), the merchant's saved templates (Flow.templates) over the defaults, and the sample
// variables a preview, a test send and the save check render them with. Pure.

export type FlowTemplateChannel = "email" | "sms";

/** One send step of a built-in flow, as its template sees it. */
export interface FlowTemplateStep {
  templateKey: FlowTemplateKey;
  flowKey: BuiltInFlowKey;
  stepId: string;
  channels: readonly FlowTemplateChannel[];
  products: ProductChoice;
  offerDiscount: boolean;
}

const isTemplateKey = (key: string): key is FlowTemplateKey => FLOW_TEMPLATE_KEYS.some((k) => k === key);
const isTextChannel = (c: string): c is FlowTemplateChannel => c === "email" || c === "sms";

function sendSteps(flowKey: BuiltInFlowKey): FlowTemplateStep[] {
  const out: FlowTemplateStep[] = [];
  for (const { step } of programFor(BUILT_IN_FLOWS[flowKey].definition.steps)) {
    if (step.kind !== "send") continue;
    if (!isTemplateKey(step.template))
      throw new Error(`flow ${flowKey}: no default copy for ${step.template}`);
    out.push({
      templateKey: step.template,
      flowKey,
      stepId: step.id,
      channels: step.channels.filter(isTextChannel),
      products: step.products,
      offerDiscount: step.offerDiscount,
    });
  }
  return out;
}

/** Every send step of the built-in flows, in flow and step order. */
export const FLOW_TEMPLATE_STEPS: readonly FlowTemplateStep[] = Object.freeze(
  BUILT_IN_FLOW_KEYS.flatMap(sendSteps),
);

/** The send steps of one flow, in order. */
export function flowTemplateSteps(flowKey: BuiltInFlowKey): FlowTemplateStep[] {
  return FLOW_TEMPLATE_STEPS.filter((s) => s.flowKey === flowKey);
}

/** A step as the merchant reads it: "first_reminder" → "First reminder". */
export function stepName(id: string): string {
  const words = id.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The send step that uses a template key, if any. */
export function flowTemplateStep(templateKey: string): FlowTemplateStep | undefined {
  return FLOW_TEMPLATE_STEPS.find((s) => s.templateKey === templateKey);
}

/** The merchant's templates of one flow (Flow.templates): template key → channel → template. */
export const SavedFlowTemplates = z
  .record(z.string(), z.object({ email: EmailTemplate.optional(), sms: SmsTemplate.optional() }).strict())
  .superRefine((saved, ctx) => {
    for (const [key, byChannel] of Object.entries(saved)) {
      const step = flowTemplateStep(key);
      if (!step) {
        ctx.addIssue({ code: "custom", path: [key], message: `No flow sends the template "${key}"` });
        continue;
      }
      for (const channel of ["email", "sms"] as const)
        if (byChannel[channel] && !step.channels.includes(channel))
          ctx.addIssue({
            code: "custom",
            path: [key, channel],
            message: `"${key}" is not sent by ${channel}`,
          });
    }
  });
export type SavedFlowTemplates = z.infer<typeof SavedFlowTemplates>;

/** The default of a template key and channel; undefined when no step sends it by that channel. */
export function defaultFlowTemplate(
  templateKey: string,
  channel: FlowTemplateChannel,
): EmailTemplate | SmsTemplate | undefined {
  return isTemplateKey(templateKey) ? DEFAULT_FLOW_TEMPLATES[templateKey][channel] : undefined;
}

/**
 * The template a flow message is rendered with: the merchant's saved one, else the default. The
 * same object for the same `saved` object, key and channel (the dispatcher's RenderCache knows
 * templates by identity): both are looked up, never built. Throws for a key and channel no
 * built-in step sends (no outbox row of a flow can name one).
 */
export function flowTemplateFor(
  saved: SavedFlowTemplates | null,
  templateKey: string,
  channel: FlowTemplateChannel,
): EmailTemplate | SmsTemplate {
  const template = saved?.[templateKey]?.[channel] ?? defaultFlowTemplate(templateKey, channel);
  if (!template) throw new Error(`no flow template "${templateKey}" for ${channel}`);
  return template;
}

// Stored JSON read many times (each dispatch batch, each page) gives back the same parsed object,
// so templates keep their identity across reads of the same text.
const MEMO_LIMIT = 200;
const memo = new Map<string, SavedFlowTemplates>();
const StoredShape = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * Flow.templates as stored: each template that still validates, the rest dropped (the default
 * takes its place); null when nothing is saved.
 */
export function readSavedFlowTemplates(stored: unknown): SavedFlowTemplates | null {
  if (stored === null || stored === undefined) return null;
  const text = JSON.stringify(stored);
  const known = memo.get(text);
  if (known) return known;
  const whole = SavedFlowTemplates.safeParse(stored);
  const saved: SavedFlowTemplates = whole.success ? whole.data : {};
  const entries = whole.success ? null : StoredShape.safeParse(stored);
  for (const [key, byChannel] of Object.entries(entries?.data ?? {}))
    for (const channel of ["email", "sms"] as const) {
      const one = SavedFlowTemplates.safeParse({ [key]: { [channel]: byChannel[channel] } });
      const template = one.success ? one.data[key]?.[channel] : undefined;
      if (template) saved[key] = { ...saved[key], [channel]: template };
    }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, saved);
  return saved;
}

/** The made-up customer each flow's preview shows: one of the segment the flow is for. */
const SAMPLE_SEGMENT: Readonly<Record<BuiltInFlowKey, Segment>> = {
  // price-sensitive: the one segment the reminders' discount is for, so the preview shows where it goes
  abandoned_checkout: "price_sensitive",
  welcome: "regular",
  win_back: "lapsed",
  vip_recognition: "vip",
  post_purchase_cross_sell: "recent",
};

export function sampleFlowSegment(flowKey: BuiltInFlowKey): Segment {
  return SAMPLE_SEGMENT[flowKey];
}

/** A recovery link like Shopify's, in the reserved example.com domain. */
export const SAMPLE_RECOVERY_URL = "https://sample-store.example.com/checkouts/sample/recover?key=sample";

export const SAMPLE_CHECKOUT: TemplateCheckout = Object.freeze({
  url: SAMPLE_RECOVERY_URL,
  lines: [
    { title: "Wool Scarf", quantity: 1, price: "39.00" },
    { title: "Ceramic Mug Set", quantity: 2, price: "24.50" },
  ],
});

function discountOf(step: FlowTemplateStep, segment: Segment): TemplateVariables["discount"] {
  const policy = BUILT_IN_FLOWS[step.flowKey].definition.discount;
  if (
    !step.offerDiscount ||
    policy.code === null ||
    policy.percentOff === null ||
    !policy.offerTo.includes(segment)
  )
    return null;
  return { code: policy.code, percent: policy.percentOff };
}

/**
 * A message of the step for its flow's sample customer, built as a real one is: the cart for a cart
 * step, sample products for a cross-sell, the flow's discount where the step offers it to the
 * sample customer's segment, a delivery promise for the win-back. Throws for an unknown key.
 */
export function sampleFlowVariables(
  templateKey: string,
  shop?: ShopInfo,
  unsubscribeUrl: string = PREVIEW_UNSUBSCRIBE_URL,
): TemplateVariables {
  const step = flowTemplateStep(templateKey);
  if (!step) throw new Error(`no flow sends the template "${templateKey}"`);
  const segment = SAMPLE_SEGMENT[step.flowKey];
  const base = sampleVariables(segment);
  return {
    ...base,
    customer: { ...SAMPLE_CUSTOMERS[segment] },
    shop: shop ? { ...shop } : base.shop,
    // a flow's messages name the flow as their event (flow-source.server.ts), dated the day they go out
    event: { name: BUILT_IN_FLOWS[step.flowKey].definition.name, date: base.event.date },
    deadline: null,
    delivery: step.flowKey === "win_back" ? base.delivery : null,
    discount: discountOf(step, segment),
    products: step.products === "cross_sell" ? SAMPLE_PRODUCTS.map((p) => ({ ...p })) : [],
    checkout:
      step.products === "cart"
        ? { url: SAMPLE_CHECKOUT.url, lines: SAMPLE_CHECKOUT.lines.map((l) => ({ ...l })) }
        : null,
    unsubscribeUrl,
  };
}

const BARE = " (for a customer without a name, products, cart, discount or delivery promise)";
const NO_LINK = " (for a checkout without a recovery link)";

/**
 * What a template of the step must render with to be saved: the sample customer, a customer with
 * nothing optional, and for cart steps a checkout without a recovery link or lines.
 */
export function flowCheckCases(templateKey: string, shop?: ShopInfo): SampleCase[] {
  const sample = sampleFlowVariables(templateKey, shop);
  const bare: TemplateVariables = {
    ...sample,
    customer: {},
    products: [],
    checkout: null,
    discount: null,
    delivery: null,
  };
  const cases: SampleCase[] = [
    { variables: sample, suffix: "" },
    { variables: bare, suffix: BARE },
  ];
  if (flowTemplateStep(templateKey)?.products === "cart")
    cases.push({ variables: { ...bare, checkout: { url: null, lines: [] } }, suffix: NO_LINK });
  return cases;
}
