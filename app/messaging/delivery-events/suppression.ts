import type { SuppressionReason } from "../rules/channels";

// What the message log shows (OutboxMessage.lastError) for a message whose failure or delivery
// report suppressed its customer on the channel: the suppression first, then the classified reason
// (channels/failure-reason.ts).

export const SUPPRESSED_NOTE_PREFIX = "suppressed (";

export function suppressedNote(reason: SuppressionReason, detail: string): string {
  return `${SUPPRESSED_NOTE_PREFIX}${reason}): ${detail}`;
}
