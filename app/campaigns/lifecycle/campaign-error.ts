import type { SettingsIssue } from "../calendar/issues";

// The one error type of the campaigns stage: routes map `code` to a response (404, 409, 422) and
// show `message` as it is; it never carries personal data.

export const CAMPAIGN_ERROR_CODES = [
  /** no campaign with that id in this shop */
  "NOT_FOUND",
  /** the action is not allowed from the campaign's status (e.g. resume a draft, edit a scheduled one) */
  "INVALID_TRANSITION",
  /** a channel the campaign would send on has no configuration that passed its connection test */
  "CHANNEL_NOT_READY",
  /** the definition (stored or edited) does not validate; `issues` names each field */
  "INVALID_DEFINITION",
  /** scheduling needs a complete, current plan: plan the campaign (again) first */
  "NOT_PLANNED",
  /** the draft is switched off (`enabled: false`): enable it before planning */
  "DISABLED",
  /** another plan of the campaign, an edit or a status change started meanwhile; this plan stopped */
  "SUPERSEDED",
  /** the campaign's (or the playbook season's) last day has passed on the shop's calendar */
  "SEASON_ENDED",
  /** a campaign whose messages went to a provider is kept: its outbox rows are the record of them */
  "HAS_SENT_MESSAGES",
] as const;
export type CampaignErrorCode = (typeof CAMPAIGN_ERROR_CODES)[number];

export interface CampaignErrorDetails {
  status?: string;
  /** CHANNEL_NOT_READY: the channels without a tested configuration */
  channels?: readonly string[];
  /** INVALID_DEFINITION: one issue per field path */
  issues?: readonly SettingsIssue[];
}

export class CampaignError extends Error {
  override readonly name = "CampaignError";
  constructor(
    readonly code: CampaignErrorCode,
    message: string,
    readonly details: CampaignErrorDetails = {},
  ) {
    super(message);
  }
}

export function isCampaignError(error: unknown, code?: CampaignErrorCode): error is CampaignError {
  return error instanceof CampaignError && (code === undefined || error.code === code);
}
