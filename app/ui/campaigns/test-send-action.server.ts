import type { ChannelReadiness } from "../../messaging/channel-config/types";
import { sendCampaignTest, type CampaignTestDeps } from "../../campaigns/lifecycle/send-campaign-test.server";
import type { TestSendRefusal } from "../../messaging/test-send/send-test.server";
import type { ActionFailure } from "./action-failure.server";

// The campaign page's "Send test": the form's channel, send and address in, the merchant's words out.

export type TestSendActionResult =
  { ok: true; intent: "send-test"; message: string; kick: false } | ActionFailure;

const STATUS: Record<TestSendRefusal, number> = {
  INVALID_REQUEST: 400,
  CHANNEL_NOT_CONFIGURED: 409,
  CHANNEL_NOT_READY: 409,
  INVALID_RECIPIENT: 400,
  TEMPLATE_ERROR: 400,
  RATE_LIMITED: 429,
  SEND_FAILED: 502,
};

export async function sendTestFromForm(
  deps: CampaignTestDeps,
  readiness: Record<string, ChannelReadiness>,
  shop: string,
  campaignId: string,
  form: FormData,
): Promise<TestSendActionResult> {
  const result = await sendCampaignTest(deps, shop, readiness, {
    campaignId,
    channel: form.get("channel"),
    sendKey: form.get("sendKey"),
    to: form.get("to"),
  });
  if (result.ok)
    return {
      ok: true,
      intent: "send-test",
      message: `Test sent to ${result.to}. It is marked [Test] and its unsubscribe link goes nowhere.`,
      kick: false,
    };
  return {
    ok: false,
    status: STATUS[result.code],
    code: result.code,
    message: result.message,
    fieldErrors: result.code === "INVALID_RECIPIENT" ? { to: result.message } : {},
    templateErrors: result.errors,
  };
}
