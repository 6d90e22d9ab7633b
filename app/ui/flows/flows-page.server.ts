import type { PrismaClient } from "@prisma/client";
import { BUILT_IN_FLOWS, PEAK_FIRST_MESSAGE_MINUTES } from "../../flows/built-in";
import { readShopFlows } from "../../flows/flow-settings.server";
import {
  customerTimeline,
  flowCounts,
  shopZone,
  type CustomerTimeline,
  type FlowCounts,
} from "../../flows/report.server";
import {
  delayField,
  delayUnit,
  flowSettingValues,
  type DelayUnit,
  type FlowSettingValues,
} from "../../flows/setting-form";
import { flowTemplateSteps, stepName } from "../../flows/templates";
import type { ChannelReadiness } from "../../messaging/channel-config/types";
import { shopInfo } from "../../messaging/templates/shop-info.server";
import { timesNote } from "../format-time";
import { customerIdOf } from "./customer-id";
import { describeSteps, FLOW_TRIGGERS, formatMinutes, type StepLine } from "./describe-flow";
import { previewFlowTemplate, type FlowTemplatePreview, type Renderer } from "./flow-preview.server";

// The Flows page: each built-in flow with its state, steps, editable delays, templates, live counts
// and (for the template the merchant picked, ?template=) the preview; and one customer's timeline
// (?customer=). Every read is scoped by the session's shop.

export interface DelayView {
  stepId: string;
  field: string;
  label: string;
  unit: DelayUnit;
  /** the bounds in words ("15 minutes to 1 day") */
  bounds: string;
}

export interface FlowView {
  id: string;
  key: string;
  name: string;
  status: string;
  pausedReason: string | null;
  settingReset: boolean;
  trigger: string;
  steps: StepLine[];
  delays: DelayView[];
  values: FlowSettingValues;
  /** the abandoned checkout's peak preset: its first message 30 minutes after the last activity */
  peak: { minutes: number; active: boolean } | null;
  templates: Array<{
    templateKey: string;
    step: string;
    channels: Array<{ channel: string; saved: boolean }>;
  }>;
  counts: FlowCounts;
}

export interface TestReadiness {
  configured: boolean;
  testOk: boolean;
}

export interface FlowsPage {
  flows: FlowView[];
  preview: FlowTemplatePreview | null;
  customerQuery: string;
  timeline: CustomerTimeline | null;
  timelineError: string | null;
  readiness: Record<"email" | "sms", TestReadiness>;
  timesNote: string;
}

type PagePrisma = Pick<
  PrismaClient,
  "flow" | "shop" | "$queryRaw" | "flowEnrollment" | "outboxMessage" | "customer"
>;

const ready = (r: ChannelReadiness | undefined): TestReadiness => ({
  configured: r?.configured ?? false,
  testOk: r?.testOk ?? false,
});

export async function loadFlowsPage(
  prisma: PagePrisma,
  shop: string,
  params: URLSearchParams,
  readiness: Readonly<Record<string, ChannelReadiness | undefined>>,
  render?: Renderer,
): Promise<FlowsPage> {
  const [flows, counts, info, zone] = await Promise.all([
    readShopFlows(prisma, shop),
    flowCounts(prisma, shop),
    shopInfo(prisma, shop),
    shopZone(prisma, shop),
  ]);
  const views: FlowView[] = flows.map((flow) => {
    const first = flow.setting.delays.first_message_wait;
    return {
      id: flow.id,
      key: flow.key,
      name: flow.name,
      status: flow.status,
      pausedReason: flow.pausedReason,
      settingReset: flow.settingReset,
      trigger: FLOW_TRIGGERS[flow.key],
      steps: describeSteps(flow.key, flow.setting),
      delays: BUILT_IN_FLOWS[flow.key].delays.map((d) => ({
        stepId: d.stepId,
        field: delayField(d.stepId),
        label: d.label,
        unit: delayUnit(d),
        bounds: `${formatMinutes(d.min)} to ${formatMinutes(d.max)}`,
      })),
      values: flowSettingValues(flow.key, flow.setting),
      peak:
        flow.key === "abandoned_checkout"
          ? { minutes: PEAK_FIRST_MESSAGE_MINUTES, active: first === PEAK_FIRST_MESSAGE_MINUTES }
          : null,
      templates: flowTemplateSteps(flow.key).map((s) => ({
        templateKey: s.templateKey,
        step: stepName(s.stepId),
        channels: s.channels.map((channel) => ({
          channel,
          saved: flow.templates?.[s.templateKey]?.[channel] !== undefined,
        })),
      })),
      counts: counts[flow.key],
    };
  });

  const wanted = params.get("template");
  const owner = wanted
    ? flows.find((f) => flowTemplateSteps(f.key).some((s) => s.templateKey === wanted))
    : undefined;
  const preview = owner && wanted ? await previewFlowTemplate(owner, wanted, info, render) : null;

  const customerQuery = (params.get("customer") ?? "").slice(0, 60);
  let timeline: CustomerTimeline | null = null;
  let timelineError: string | null = null;
  if (customerQuery.trim() !== "") {
    const id = customerIdOf(customerQuery);
    if (id === null)
      timelineError = 'Enter a customer id like 7208375255287 or "gid://shopify/Customer/7208375255287"';
    else timeline = await customerTimeline(prisma, shop, id);
  }
  return {
    flows: views,
    preview,
    customerQuery,
    timeline,
    timelineError,
    readiness: { email: ready(readiness.email), sms: ready(readiness.sms) },
    timesNote: timesNote(zone),
  };
}
