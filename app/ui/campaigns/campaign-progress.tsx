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
}

const LIVE = new Set(["scheduled", "sending"]);

/** Counts by status and a bar; reloads the page's data every 2 s while the campaign is sending. */
export function CampaignProgress({ progress }: { progress: ProgressData }) {
  const live = LIVE.has(progress.status);
  usePollWhile(live);
  const percent = progress.toSend === 0 ? 0 : Math.round((progress.finished / progress.toSend) * 100);
  const c = progress.counts;
  return (
    <BlockStack gap="300">
      <ProgressBar progress={percent} tone={c.failed ? "critical" : "primary"} />
      <Text as="p">
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
      {progress.nextSendAt ? <Text as="p" tone="subdued">Next send {new Date(progress.nextSendAt).toUTCString()}</Text> : null}
      {progress.lastSentAt ? <Text as="p" tone="subdued">Last sent {new Date(progress.lastSentAt).toUTCString()}</Text> : null}
    </BlockStack>
  );
}
