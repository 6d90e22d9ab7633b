import { useId } from "react";
import { BlockStack, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { formatCount } from "../format";
import { usePollWhile } from "./use-poll-while";

export interface ProgressData {
  status: string;
  counts: Record<string, number>;
  toSend: number;
  finished: number;
  nextSendAt: string | null;
  lastSentAt: string | null;
  /** the two above on the shop's clock */
  nextSendLabel: string | null;
  lastSentLabel: string | null;
}

const LIVE = new Set(["scheduled", "sending"]);

/** Counts by status and a bar; reloads the page's data every 2 s while the campaign is sending. */
export function CampaignProgress({ progress }: { progress: ProgressData }) {
  const live = LIVE.has(progress.status);
  usePollWhile(live);
  const percent = progress.toSend === 0 ? 0 : Math.round((progress.finished / progress.toSend) * 100);
  const c = progress.counts;
  const labelId = useId();
  return (
    <BlockStack gap="300">
      <ProgressBar progress={percent} tone={c.failed ? "critical" : "primary"} ariaLabelledBy={labelId} />
      <Text as="p" id={labelId}>
        {formatCount(progress.finished)} of {formatCount(progress.toSend)} finished ({percent}%)
        {live ? " · updating every 2 s" : ""}
      </Text>
      <InlineStack gap="400">
        {["queued", "sending", "sent", "failed", "holdout", "skipped", "planned"].map((s) => (
          <Text as="span" key={s}>
            {s}: <strong>{formatCount(c[s] ?? 0)}</strong>
          </Text>
        ))}
      </InlineStack>
      {progress.nextSendLabel ? <Text as="p" tone="subdued">Next send {progress.nextSendLabel}</Text> : null}
      {progress.lastSentLabel ? <Text as="p" tone="subdued">Last sent {progress.lastSentLabel}</Text> : null}
    </BlockStack>
  );
}
