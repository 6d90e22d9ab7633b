import { Badge } from "@shopify/polaris";

type Tone = "info" | "success" | "attention" | "critical" | "warning" | undefined;

const TONES: Record<string, Tone> = {
  draft: undefined,
  scheduled: "info",
  sending: "attention",
  paused: "warning",
  completed: "success",
  cancelled: "critical",
  sent: "success",
  failed: "critical",
  queued: "info",
  skipped: undefined,
  holdout: undefined,
  planned: undefined,
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}

export const SEND_LABELS: Record<string, string> = {
  early_access: "Early access",
  launch: "Launch",
  reminder: "Reminder",
  last_hours: "Last hours",
};

export const SKIP_REASON_LABELS: Record<string, string> = {
  no_consent: "No marketing consent",
  no_address: "No address for the channel",
  campaign_ended: "Campaign over on the customer's clock",
  frequency_cap: "Frequency cap",
  cancelled: "Cancelled",
};

export const skipReasonLabel = (reason: string) =>
  SKIP_REASON_LABELS[reason] ?? reason.replace(/^suppressed_/, "Suppressed: ").replace(/_/g, " ");
