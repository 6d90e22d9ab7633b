import type { PrismaClient } from "@prisma/client";
import { changeCampaignStatus, type MerchantAction } from "../../campaigns/lifecycle/change-campaign-status.server";
import { deleteCampaign } from "../../campaigns/lifecycle/delete-campaign.server";
import type { CampaignDeps } from "../../campaigns/lifecycle/deps";
import { editCampaign } from "../../campaigns/lifecycle/edit-campaign.server";
import { planCampaign, refuseEndedCampaign } from "../../campaigns/plan/plan-campaign.server";
import { getCampaign, requireDefinition } from "../../campaigns/lifecycle/read-campaign.server";
import { audienceSize, BACKGROUND_PLAN_FROM, requestPlan, type EnqueuePlan } from "../../campaigns/plan/request-plan.server";
import { sendCampaignNow } from "../../campaigns/lifecycle/send-campaign-now.server";
import type { RenderResult } from "../../messaging/templates/message-template";
import type { ChannelReadiness } from "../../messaging/channel-config/types";
import type { CampaignTestDeps } from "../../campaigns/lifecycle/send-campaign-test.server";
import { failureOf, type ActionFailure } from "./action-failure.server";
import { draftEditsFromForm } from "./edit-form.server";
import { shopInfo, tryTemplate } from "./message-preview.server";
import { resetTemplate, saveTemplate, type TemplateActionResult } from "./template-action.server";
import { sendTestFromForm, type TestSendActionResult } from "./test-send-action.server";

// The campaign page's posts: save the draft, plan it, schedule / send now / pause / resume /
// cancel / delete; try, save or reset a template; send a test. CampaignErrors come back as messages (and
// field errors), never a 500.

export type CampaignActionResult =
  | { ok: true; intent: string; message: string; kick: boolean }
  | { ok: true; intent: "try-template"; message: string; kick: false; render: RenderResult }
  | { ok: true; intent: "delete"; message: string; kick: false; deleted: string }
  | TemplateActionResult
  | TestSendActionResult
  | ActionFailure;

export interface CampaignActionEnv {
  deps: CampaignDeps;
  prisma: Pick<PrismaClient, "shop" | "customerScore" | "channelConfig" | "$transaction">;
  readiness: () => Promise<Record<string, ChannelReadiness>>;
  /** what "Send test" sends with (the sealed settings' box, the shop's hourly limit); without it there are no test sends */
  testSend?: Omit<CampaignTestDeps, "prisma">;
  /** Queues a background plan; without it every plan runs in the request. */
  enqueuePlan?: EnqueuePlan;
  /** Audiences from this many customers are planned in the background (default BACKGROUND_PLAN_FROM). */
  backgroundFrom?: number;
}

const STATUS_ACTIONS: readonly MerchantAction[] = ["schedule", "pause", "resume", "cancel"];
const isStatusAction = (value: string): value is MerchantAction => STATUS_ACTIONS.some((a) => a === value);

const count = (n: number) => n.toLocaleString("en-US");

export async function campaignAction(
  env: CampaignActionEnv,
  shop: string,
  campaignId: string,
  form: FormData,
): Promise<CampaignActionResult> {
  const intent = String(form.get("intent") ?? "");
  const { deps } = env;
  try {
    if (intent === "save") {
      await editCampaign(deps, shop, campaignId, { draft: draftEditsFromForm(form) });
      return { ok: true, intent, message: "Saved. Plan the campaign again to see its audience.", kick: false };
    }
    if ((intent === "plan" || intent === "send-now") && env.enqueuePlan) {
      await refuseEndedCampaign(deps, shop, campaignId);
      const campaign = await getCampaign(deps.prisma, shop, campaignId);
      const customers = await audienceSize(env.prisma, shop, campaign.segment);
      if (customers >= (env.backgroundFrom ?? BACKGROUND_PLAN_FROM)) {
        await requestPlan(deps, env.enqueuePlan, shop, campaignId, intent === "send-now");
        const then = intent === "send-now" ? "then it is scheduled to send now" : "the audience shows here when it is done";
        return { ok: true, intent, message: `Planning ${count(customers)} customers in the background; ${then}.`, kick: false };
      }
    }
    if (intent === "plan") {
      const plan = await planCampaign(deps, shop, campaignId);
      return { ok: true, intent, message: `Planned: ${count(plan.byStatus.planned)} to send, ${count(plan.byStatus.holdout)} holdout, ${count(plan.byStatus.skipped)} skipped.`, kick: false };
    }
    if (intent === "send-now") {
      const { plan, change } = await sendCampaignNow(deps, shop, campaignId, { readiness: await env.readiness() });
      return { ok: true, intent, message: `Sending now: ${count(plan.byStatus.planned)} messages queued (${change.status}).`, kick: true };
    }
    if (isStatusAction(intent)) {
      const readiness = intent === "schedule" ? await env.readiness() : undefined;
      const change = await changeCampaignStatus(deps, shop, campaignId, intent, { readiness });
      const message = change.changed ? `The campaign is now ${change.status}.` : `The campaign was already ${change.status}.`;
      return { ok: true, intent, message, kick: intent === "schedule" || intent === "resume" };
    }
    if (intent === "delete") {
      const deleted = await deleteCampaign(deps, env.prisma, shop, campaignId);
      const rows = deleted.messages === 0 ? "" : ` with ${count(deleted.messages)} planned messages that never went out`;
      return { ok: true, intent, message: `Deleted ${deleted.name}${rows}.`, kick: false, deleted: deleted.key };
    }
    if (intent === "try-template") {
      const definition = requireDefinition(await getCampaign(deps.prisma, shop, campaignId));
      const render = await tryTemplate(definition, await shopInfo(env.prisma, shop), form, shop);
      const message = render.ok ? "Renders." : "Does not render: fix each error below (part, line and column).";
      return { ok: true, intent, message, kick: false, render };
    }
    if (intent === "save-template") return await saveTemplate(deps, env.prisma, shop, campaignId, form);
    if (intent === "reset-template") return await resetTemplate(deps, shop, campaignId, form);
    if (intent === "send-test") {
      if (!env.testSend) return { ok: false, status: 400, message: "Test sends are not available here", fieldErrors: {} };
      const testDeps = { ...env.testSend, prisma: { campaign: deps.prisma.campaign, shop: env.prisma.shop, channelConfig: env.prisma.channelConfig } };
      return await sendTestFromForm(testDeps, await env.readiness(), shop, campaignId, form);
    }
    return { ok: false, status: 400, message: `Unknown action "${intent}"`, fieldErrors: {} };
  } catch (error) {
    const failure = failureOf(error);
    // Edits name fields "draft.name", "draft.sends.0.localDate": the form's names without the prefix.
    const fieldErrors = Object.fromEntries(
      Object.entries(failure.fieldErrors).map(([path, message]) => [path.replace(/^draft\./, ""), message]),
    );
    return { ...failure, fieldErrors };
  }
}
