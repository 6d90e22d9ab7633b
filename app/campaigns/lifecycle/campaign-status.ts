// The life of a campaign and of its outbox rows (issue 5). Pure: the server functions run each
// transition as one conditional UPDATE (… WHERE status IN (from)), so two requests racing for the
// same campaign cannot both apply it, and asking twice is harmless.

export const CAMPAIGN_STATUSES = [
  "draft",
  "scheduled",
  "sending",
  "paused",
  "completed",
  "cancelled",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * planned  — planned while the campaign is a draft (a preview; re-planning replaces it)
 * holdout  — in the control group: never sent; sendAt is when it would have gone out
 * queued   — the campaign was scheduled: the dispatcher sends it at sendAt
 * sending  — claimed by a worker (leaseUntil) · sent · failed (lastError)
 * skipped  — never sent, skipReason says why (no_consent, frequency_cap, …, cancelled)
 */
export const OUTBOX_STATUSES = [
  "planned",
  "holdout",
  "queued",
  "sending",
  "sent",
  "failed",
  "skipped",
] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Messages that count against a customer's frequency caps when another campaign is planned. */
export const CAP_COUNTED_STATUSES = [
  "planned",
  "queued",
  "sending",
  "sent",
] as const satisfies readonly OutboxStatus[];

/** The dispatcher claims queued rows only of campaigns in these statuses (a paused one keeps its rows). */
export const DISPATCHABLE_STATUSES = ["scheduled", "sending"] as const satisfies readonly CampaignStatus[];

/** The skip reason of the rows a cancel stops. */
export const CANCELLED_REASON = "cancelled";

export const CAMPAIGN_ACTIONS = ["schedule", "start", "pause", "resume", "cancel", "complete"] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

interface Rule {
  /** statuses the action applies to */
  from: readonly CampaignStatus[];
  /** statuses that mean "already done": asking again changes nothing and is no error */
  done: readonly CampaignStatus[];
}

// `start` and `complete` are the dispatcher's: the first claimed message, the last one finished.
// Resume goes back to `sending` when any message already went out, else to `scheduled`.
const RULES: Readonly<Record<CampaignAction, Rule>> = {
  schedule: { from: ["draft"], done: ["scheduled", "sending"] },
  start: { from: ["scheduled"], done: ["sending"] },
  pause: { from: ["scheduled", "sending"], done: ["paused"] },
  resume: { from: ["paused"], done: ["scheduled", "sending"] },
  cancel: { from: ["draft", "scheduled", "sending", "paused"], done: ["cancelled"] },
  complete: { from: ["scheduled", "sending"], done: ["completed"] },
};

export type TransitionCheck = { kind: "apply" } | { kind: "done" } | { kind: "invalid"; message: string };

const VERB: Readonly<Record<CampaignAction, string>> = {
  schedule: "scheduled",
  start: "started",
  pause: "paused",
  resume: "resumed",
  cancel: "cancelled",
  complete: "completed",
};

/** Whether `action` applies to a campaign in `status`, was already done, or is not allowed. */
export function checkTransition(status: CampaignStatus, action: CampaignAction): TransitionCheck {
  const rule = RULES[action];
  if (rule.from.includes(status)) return { kind: "apply" };
  if (rule.done.includes(status)) return { kind: "done" };
  return { kind: "invalid", message: `A ${status} campaign cannot be ${VERB[action]}` };
}

/** The statuses `action` applies to, for the WHERE of its UPDATE. */
export function fromStatuses(action: CampaignAction): readonly CampaignStatus[] {
  return RULES[action].from;
}

export function resumeTarget(anyMessageWentOut: boolean): CampaignStatus {
  return anyMessageWentOut ? "sending" : "scheduled";
}

export function isFinalStatus(status: CampaignStatus): boolean {
  return status === "completed" || status === "cancelled";
}

/**
 * Campaigns the merchant may delete: a draft (it never sent) and a cancelled one, as long as none of
 * its messages went to a provider (checked against its outbox rows when deleting).
 */
export const DELETABLE_STATUSES = ["draft", "cancelled"] as const satisfies readonly CampaignStatus[];

export function isDeletable(status: CampaignStatus): boolean {
  return DELETABLE_STATUSES.some((s) => s === status);
}

/** Definitions are edited and plans made only while the campaign is a draft. */
export function isEditable(status: CampaignStatus): boolean {
  return status === "draft";
}

export function parseCampaignStatus(text: string): CampaignStatus | null {
  return CAMPAIGN_STATUSES.find((s) => s === text) ?? null;
}

export function parseOutboxStatus(text: string): OutboxStatus | null {
  return OUTBOX_STATUSES.find((s) => s === text) ?? null;
}

/** A list as SQL string literals: the values are the constants above, never input. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ");
}
