// When spam complaints pause an email campaign (pure). Mailbox providers start filtering a sender
// whose complaint rate passes about 0.1% (DESIGN.md: pause automatically above it). One complaint
// never pauses: in a small send it would be a rate of percents that says nothing yet.

export const COMPLAINT_RATE_LIMIT = 0.001;
export const MIN_COMPLAINTS_TO_PAUSE = 2;

export interface ComplaintCount {
  /** the campaign's emails accepted by the provider */
  sent: number;
  /** of those, reported as spam */
  complaints: number;
}

export function complaintRateTooHigh({ sent, complaints }: ComplaintCount): boolean {
  return complaints >= MIN_COMPLAINTS_TO_PAUSE && complaints > sent * COMPLAINT_RATE_LIMIT;
}

/** What the campaign page shows as the reason for the pause. */
export function complaintPauseReason({ sent, complaints }: ComplaintCount): string {
  const rate = sent > 0 ? `${((complaints / sent) * 100).toFixed(2)}%` : "all";
  return `Paused automatically: ${complaints} spam complaints for ${sent.toLocaleString("en-US")} emails sent (${rate}) is above ${(COMPLAINT_RATE_LIMIT * 100).toFixed(1)}%. Check the audience and the content before resuming.`;
}
