import { z } from "zod";
import { MessageTemplate } from "../../messaging/templates/message-template";
import {
  CampaignDraft,
  editIssues,
  failedEdit,
  SendKey,
  withSendTemplates,
  type DraftEditResult,
} from "./draft";

// One send's template of one channel set or dropped on a draft (the merchant's "Save template" and
// "Use the default"). Pure.

const TemplateTarget = z
  .object({
    send: SendKey,
    channel: z.enum(["email", "sms"], { errorMap: () => ({ message: 'Channel must be "email" or "sms"' }) }),
    template: z.unknown(),
  })
  .strict();

/** One send's template of one channel: the merchant's own, or null for the segment's default. */
export interface TemplateChange {
  send: SendKey;
  channel: "email" | "sms";
  template: MessageTemplate | null;
}

/**
 * The draft with one send's template set or dropped (`template: null`: back to the default), or
 * the unchanged draft and the issues ("templates.launch.sms.body": line and column in the message).
 * `change` is a TemplateChange, checked here.
 */
export function setSendTemplate(draft: CampaignDraft, change: unknown): DraftEditResult {
  const target = TemplateTarget.safeParse(change);
  if (!target.success)
    return failedEdit(
      draft,
      target.error.issues.map((i) => ({ path: ["templates", ...i.path].join("."), message: i.message })),
    );
  const { send, channel } = target.data;
  const at = `templates.${send}.${channel}`;
  const parsed = MessageTemplate.nullable().safeParse(target.data.template);
  if (!parsed.success)
    return failedEdit(
      draft,
      parsed.error.issues.map((i) => ({ path: [at, ...i.path].join("."), message: i.message })),
    );
  const template = parsed.data;
  if (template && template.channel !== channel)
    return failedEdit(draft, [
      { path: at, message: `The template is for ${template.channel}, not ${channel}` },
    ]);
  if (!draft.sends.some((s) => s.key === send))
    return failedEdit(draft, [
      { path: `templates.${send}`, message: `Send "${send}" is not part of this campaign` },
    ]);
  const { [channel]: _replaced, ...others } = draft.templates?.[send] ?? {};
  const templates = { ...draft.templates, [send]: template ? { ...others, [channel]: template } : others };
  const next = CampaignDraft.safeParse({ ...draft, templates });
  if (!next.success) return failedEdit(draft, editIssues(next.error));
  return { ok: true, draft: withSendTemplates(next.data) };
}
