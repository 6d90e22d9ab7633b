import type { PrismaClient } from "@prisma/client";
import { defaultTemplate } from "../../campaigns/lifecycle/campaign-templates";
import { CampaignError } from "../../campaigns/lifecycle/campaign-error";
import { isEditable } from "../../campaigns/lifecycle/campaign-status";
import type { CampaignDeps } from "../../campaigns/lifecycle/deps";
import { editCampaign } from "../../campaigns/lifecycle/edit-campaign.server";
import { getCampaign, requireDefinition } from "../../campaigns/lifecycle/read-campaign.server";
import { canonicalText } from "../../campaigns/lifecycle/definition";
import { SendKey } from "../../campaigns/playbooks";
import type { RenderResult } from "../../messaging/templates/message-template";
import type { ActionFailure } from "./action-failure.server";
import { renderPreview, saveErrors, shopInfo } from "./message-preview.server";
import { templateFromForm } from "./template-form";

// The campaign page's template box: "Save template" keeps the merchant's template for one send and
// channel, "Use the default" drops it. Both go through editCampaign (drafts only, the plan cleared,
// written over the version read). A template is saved only when it renders with the campaign's
// data; the errors come back by part, line and column.

export type TemplateActionResult =
  | { ok: true; intent: "save-template"; message: string; kick: false; render: RenderResult }
  | { ok: true; intent: "reset-template"; message: string; kick: false }
  | ActionFailure;

interface Target {
  send: SendKey;
  channel: "email" | "sms";
}

function targetOf(form: FormData): Target | ActionFailure {
  const send = SendKey.safeParse(form.get("sendKey"));
  const channel = form.get("channel");
  if (!send.success)
    return {
      ok: false,
      status: 400,
      message: send.error.issues[0]?.message ?? "Pick a send",
      fieldErrors: {},
    };
  if (channel !== "email" && channel !== "sms")
    return { ok: false, status: 400, message: 'Channel must be "email" or "sms"', fieldErrors: {} };
  return { send: send.data, channel };
}

async function editableDefinition(deps: CampaignDeps, shop: string, campaignId: string) {
  const campaign = await getCampaign(deps.prisma, shop, campaignId);
  // the same refusal editCampaign gives, before the template is rendered for nothing
  if (!isEditable(campaign.status))
    throw new CampaignError("INVALID_TRANSITION", `A ${campaign.status} campaign cannot be edited`, {
      status: campaign.status,
    });
  return requireDefinition(campaign);
}

export async function saveTemplate(
  deps: CampaignDeps,
  prisma: Pick<PrismaClient, "shop">,
  shop: string,
  campaignId: string,
  form: FormData,
): Promise<TemplateActionResult> {
  const target = targetOf(form);
  if ("ok" in target) return target;
  const parsed = templateFromForm(form);
  if (!parsed.ok)
    return {
      ok: false,
      status: 400,
      message: "The template is incomplete; not saved.",
      fieldErrors: {},
      templateErrors: parsed.errors,
    };
  if (parsed.template.channel !== target.channel)
    return {
      ok: false,
      status: 400,
      message: "The template is for another channel; not saved.",
      fieldErrors: {},
    };
  const definition = await editableDefinition(deps, shop, campaignId);
  const info = await shopInfo(prisma, shop);
  const errors = await saveErrors(definition, parsed.template, info, shop);
  if (errors.length > 0)
    return {
      ok: false,
      status: 400,
      message: "The template does not render; not saved.",
      fieldErrors: {},
      templateErrors: errors,
    };
  // The default's own text saved back is no template of the merchant's: nothing to keep.
  const same =
    canonicalText(parsed.template) ===
    canonicalText(defaultTemplate(target.send, target.channel, definition.draft.segment));
  await editCampaign(deps, shop, campaignId, {
    template: { ...target, template: same ? null : parsed.template },
  });
  return {
    ok: true,
    intent: "save-template",
    message: same
      ? "This is the default template: the campaign uses the default."
      : "Template saved. Plan the campaign again before scheduling it.",
    kick: false,
    render: await renderPreview(parsed.template, definition, info),
  };
}

export async function resetTemplate(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
  form: FormData,
): Promise<TemplateActionResult> {
  const target = targetOf(form);
  if ("ok" in target) return target;
  // editCampaign refuses a campaign that is not a draft; nothing renders before it.
  await editCampaign(deps, shop, campaignId, { template: { ...target, template: null } });
  return {
    ok: true,
    intent: "reset-template",
    message: "The default template is back. Plan the campaign again before scheduling it.",
    kick: false,
  };
}
