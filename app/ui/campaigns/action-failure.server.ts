import { isCampaignError } from "../../campaigns/lifecycle/campaign-error";
import { CHANNEL_TITLES, isChannelName } from "../../messaging/channel-config/channels";
import type { TemplateError } from "../../messaging/templates/message-template";

// CampaignErrors as the Campaigns pages show them: a status, one message, field errors.

export interface ActionFailure {
  ok: false;
  status: number;
  message: string;
  /** form field → message, for INVALID_DEFINITION */
  fieldErrors: Record<string, string>;
  /** the refusal's name: the CampaignError's code, or a test send's own (TEST_SEND_REFUSALS) */
  code?: string;
  /** a template that does not render: each error by part, line and column */
  templateErrors?: TemplateError[];
}

const STATUS_OF = {
  NOT_FOUND: 404,
  INVALID_DEFINITION: 400,
  INVALID_TRANSITION: 409,
  CHANNEL_NOT_READY: 409,
  NOT_PLANNED: 409,
  DISABLED: 409,
  SUPERSEDED: 409,
  SEASON_ENDED: 409,
  HAS_SENT_MESSAGES: 409,
} as const;

/** A CampaignError in the merchant's words; anything else is rethrown (a real fault). */
export function failureOf(error: unknown): ActionFailure {
  if (!isCampaignError(error)) throw error;
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.details.issues ?? []) fieldErrors[issue.path || "form"] ??= issue.message;
  let message = error.message;
  if (error.code === "CHANNEL_NOT_READY") {
    const names = (error.details.channels ?? []).map((c) => (isChannelName(c) ? CHANNEL_TITLES[c] : c));
    message = names
      .map((name) => `Channel ${name} has not passed its connection test — Settings → Channels`)
      .join(". ");
  }
  return { ok: false, status: STATUS_OF[error.code], message, fieldErrors, code: error.code };
}
