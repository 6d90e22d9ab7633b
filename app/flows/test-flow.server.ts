import type { PrismaClient } from "@prisma/client";
import type { ChannelReadiness } from "../messaging/channel-config/types";
import type { TemplateError } from "../messaging/templates/message-template";
import { shopInfo } from "../messaging/templates/shop-info.server";
import { sendTestMessage, type TestSendDeps } from "../messaging/test-send/send-test.server";
import {
  parseTestRecipient,
  TEST_UNSUBSCRIBE_URL,
  type TestChannel,
} from "../messaging/test-send/test-message";
import type { BuiltInFlowKey } from "./built-in";
import { readShopFlow } from "./flow-settings.server";
import { flowTemplateFor, flowTemplateSteps, sampleFlowVariables, stepName } from "./templates";

// "Test with a sample event": every send step of a flow, in order, sent now to the merchant's own
// address and phone with the flow's sample data (a made-up customer, cart and products), through
// the messaging stage's test send. Nothing is written: no enrollment, no outbox row, so no count,
// cap or report sees a test. Each message goes by every channel of its step the merchant gave an
// address for (a real customer gets the first channel they consented to).

export interface FlowTestRequest {
  flowKey: BuiltInFlowKey;
  /** the merchant's email address; empty: no email steps */
  email: unknown;
  /** the merchant's phone (E.164); empty: no SMS steps */
  phone: unknown;
}

export interface FlowTestMessage {
  step: string;
  templateKey: string;
  channel: TestChannel;
  ok: boolean;
  /** "Sent to …", or why not */
  message: string;
  errors: TemplateError[];
}

export type FlowTestResult =
  | { ok: true; messages: FlowTestMessage[] }
  | { ok: false; message: string; fieldErrors: Record<string, string> };

export type FlowTestDeps = TestSendDeps & { prisma: Pick<PrismaClient, "channelConfig" | "shop" | "flow"> };

const given = (value: unknown) => typeof value === "string" && value.trim() !== "";

export async function sendFlowTest(
  deps: FlowTestDeps,
  shop: string,
  readiness: Readonly<Record<string, ChannelReadiness | undefined>>,
  request: FlowTestRequest,
): Promise<FlowTestResult> {
  const fieldErrors: Record<string, string> = {};
  const to: Partial<Record<TestChannel, string>> = {};
  for (const [channel, field, raw] of [
    ["email", "email", request.email],
    ["sms", "phone", request.phone],
  ] as const) {
    if (!given(raw)) continue;
    const recipient = parseTestRecipient(channel, raw);
    if (recipient.ok) to[channel] = recipient.to;
    else fieldErrors[field] = recipient.message;
  }
  if (Object.keys(fieldErrors).length > 0)
    return { ok: false, message: "Check the address and phone number.", fieldErrors };
  if (!to.email && !to.sms)
    return {
      ok: false,
      message: "Enter an email address or a phone number to send the test to.",
      fieldErrors: { email: "Enter an email address or a phone number" },
    };

  const [flow, info] = await Promise.all([
    readShopFlow(deps.prisma, shop, request.flowKey),
    shopInfo(deps.prisma, shop),
  ]);
  const messages: FlowTestMessage[] = [];
  for (const step of flowTemplateSteps(request.flowKey)) {
    for (const channel of step.channels) {
      const recipient = to[channel];
      if (!recipient) continue;
      const result = await sendTestMessage(deps, shop, readiness, {
        channel,
        to: recipient,
        template: flowTemplateFor(flow.templates, step.templateKey, channel),
        variables: sampleFlowVariables(step.templateKey, info, TEST_UNSUBSCRIBE_URL),
        sourceId: flow.id,
      });
      messages.push({
        step: stepName(step.stepId),
        templateKey: step.templateKey,
        channel,
        ok: result.ok,
        message: result.ok ? `Sent to ${result.to}` : result.message,
        errors: result.ok ? [] : result.errors,
      });
    }
  }
  if (messages.length === 0)
    return {
      ok: false,
      message: "This flow sends by email only: enter an email address.",
      fieldErrors: { email: "This flow sends by email only" },
    };
  return { ok: true, messages };
}
