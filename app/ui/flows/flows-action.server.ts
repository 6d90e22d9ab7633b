import type { PrismaClient } from "@prisma/client";
import { BUILT_IN_FLOWS, PEAK_FIRST_MESSAGE_MINUTES, type BuiltInFlowKey } from "../../flows/built-in";
import {
  applyPeakPreset,
  isBuiltInFlowKey,
  resetFlowTemplate,
  saveFlowSettingFromForm,
  saveFlowTemplate,
  setFlowStatus,
  type FlowStore,
} from "../../flows/flow-settings.server";
import { flowTemplateStep, sampleFlowVariables } from "../../flows/templates";
import { sendFlowTest, type FlowTestDeps, type FlowTestMessage } from "../../flows/test-flow.server";
import type { ChannelReadiness } from "../../messaging/channel-config/types";
import type { RenderResult, TemplateError } from "../../messaging/templates/message-template";
import { getRenderPool } from "../../messaging/templates/render-pool.server";
import { shopInfo } from "../../messaging/templates/shop-info.server";
import { templateFromForm } from "../campaigns/template-form";
import { tryFlowTemplate, type Renderer } from "./flow-preview.server";

// The Flows page's posts: turn a flow on or off, save its delays and holdout, the peak preset,
// preview / save / reset a template, and "Test with a sample event". Bad input comes back as a
// message with the fields it is about, never a 500.

export interface FlowsActionFailure {
  ok: false;
  status: number;
  message: string;
  fieldErrors: Record<string, string>;
  templateErrors?: TemplateError[];
}

export type FlowsActionResult =
  | {
      ok: true;
      intent: "turn-on" | "turn-off" | "save-settings" | "peak-preset" | "reset-template";
      message: string;
    }
  | { ok: true; intent: "try-template" | "save-template"; message: string; render: RenderResult }
  | { ok: true; intent: "test-flow"; message: string; messages: FlowTestMessage[] }
  | FlowsActionFailure;

export interface FlowsActionEnv {
  prisma: FlowStore & Pick<PrismaClient, "shop" | "channelConfig">;
  readiness: () => Promise<Record<string, ChannelReadiness>>;
  /** what test sends go through (the sealed settings' box, the shop's hourly limit); none: no test sends */
  testSend?: Omit<FlowTestDeps, "prisma">;
  render?: Renderer;
  now?: () => Date;
}

const fail = (
  status: number,
  message: string,
  fieldErrors: Record<string, string> = {},
): FlowsActionFailure => ({
  ok: false,
  status,
  message,
  fieldErrors,
});
const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

function flowOf(form: FormData): BuiltInFlowKey | null {
  const key = form.get("flow");
  return isBuiltInFlowKey(key) ? key : null;
}

async function templateAction(
  env: FlowsActionEnv,
  shop: string,
  intent: string,
  form: FormData,
): Promise<FlowsActionResult> {
  const templateKey = text(form, "templateKey");
  const step = flowTemplateStep(templateKey);
  if (!step) return fail(400, `No flow step has the template "${templateKey}"`);
  const render = env.render ?? getRenderPool();
  const info = await shopInfo(env.prisma, shop);
  if (intent === "try-template") {
    const result = await tryFlowTemplate(shop, templateKey, info, form, render);
    return {
      ok: true,
      intent,
      message: result.ok ? "Renders." : "Does not render: fix each error below (part, line and column).",
      render: result,
    };
  }
  if (intent === "reset-template") {
    const channel = form.get("channel");
    if (channel !== "email" && channel !== "sms") return fail(400, 'Channel must be "email" or "sms"');
    await resetFlowTemplate(env.prisma, shop, step.flowKey, templateKey, channel, env.now?.());
    return { ok: true, intent, message: "The default template is back." };
  }
  const parsed = templateFromForm(form);
  if (!parsed.ok)
    return { ...fail(400, "The template is incomplete; not saved."), templateErrors: parsed.errors };
  const saved = await saveFlowTemplate(env.prisma, shop, step.flowKey, templateKey, parsed.template, info, {
    render,
    ...(env.now ? { now: env.now() } : {}),
  });
  if (!saved.ok) return { ...fail(400, saved.message), templateErrors: saved.errors };
  return {
    ok: true,
    intent: "save-template",
    message: saved.isDefault
      ? "This is the default template: the flow uses the default."
      : "Template saved. The flow's next messages use it.",
    render: await render.render(parsed.template, sampleFlowVariables(templateKey, info)),
  };
}

export async function flowsAction(
  env: FlowsActionEnv,
  shop: string,
  form: FormData,
): Promise<FlowsActionResult> {
  const intent = text(form, "intent");
  const now = env.now?.() ?? new Date();
  switch (intent) {
    case "turn-on":
    case "turn-off": {
      const key = flowOf(form);
      if (!key) return fail(400, "Pick one of the flows");
      const flow = await setFlowStatus(env.prisma, shop, key, intent === "turn-on" ? "on" : "off", now);
      return { ok: true, intent, message: `${flow.name} is ${flow.status === "on" ? "on" : "off"}.` };
    }
    case "save-settings": {
      const key = flowOf(form);
      if (!key) return fail(400, "Pick one of the flows");
      const saved = await saveFlowSettingFromForm(env.prisma, shop, key, form, now);
      if (!saved.ok) return fail(400, "Check the highlighted fields; nothing was saved.", saved.fieldErrors);
      return { ok: true, intent, message: `Saved the ${BUILT_IN_FLOWS[key].definition.name} settings.` };
    }
    case "peak-preset": {
      await applyPeakPreset(env.prisma, shop, now);
      return {
        ok: true,
        intent,
        message: `Peak preset on: the first message goes ${PEAK_FIRST_MESSAGE_MINUTES} minutes after the last checkout activity.`,
      };
    }
    case "try-template":
    case "save-template":
    case "reset-template":
      return templateAction(env, shop, intent, form);
    case "test-flow": {
      const key = flowOf(form);
      if (!key) return fail(400, "Pick one of the flows");
      if (!env.testSend) return fail(400, "Test sends are not available here");
      const result = await sendFlowTest(
        { ...env.testSend, prisma: env.prisma },
        shop,
        await env.readiness(),
        {
          flowKey: key,
          email: form.get("email"),
          phone: form.get("phone"),
        },
      );
      if (!result.ok) return fail(400, result.message, result.fieldErrors);
      const sent = result.messages.filter((m) => m.ok).length;
      const message =
        sent === result.messages.length
          ? `Sent ${sent} test ${sent === 1 ? "message" : "messages"}, one per step, marked [Test].`
          : `Sent ${sent} of ${result.messages.length} test messages; see why below.`;
      return { ok: true, intent, message, messages: result.messages };
    }
    default:
      return fail(400, `Unknown action "${intent}"`);
  }
}
