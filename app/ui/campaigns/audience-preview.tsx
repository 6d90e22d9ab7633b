import { BlockStack, DataTable, InlineGrid, Text } from "@shopify/polaris";
import { formatCount } from "../format";
import { segmentLabel } from "./campaign-list";
import { SEND_LABELS, skipReasonLabel } from "./status-badge";

export interface AudienceData {
  plannedAt: string | null;
  customers: number;
  toSend: number;
  holdout: number;
  skipped: number;
  bySegment: Record<string, number>;
  byChannel: Array<{ channel: string; toSend: number; holdout: number; skipped: number }>;
  bySkipReason: Record<string, number>;
  groups: Array<{ sendKey: string; segment: string; channel: string; status: string; skipReason: string | null; rows: number }>;
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {formatCount(value)}
      </Text>
    </BlockStack>
  );
}

/** Who the plan reaches, before anything is scheduled: by segment, channel, holdout and skip reason. */
export function AudiencePreview({ audience }: { audience: AudienceData }) {
  if (audience.groups.length === 0)
    return (
      <Text as="p" tone="subdued">
        Not planned yet: plan the campaign to see its audience.
      </Text>
    );
  const sends = [...new Set(audience.groups.map((g) => g.sendKey))];
  return (
    <BlockStack gap="400">
      {audience.plannedAt === null ? (
        <Text as="p" tone="caution">
          The campaign changed since this plan: plan it again before scheduling.
        </Text>
      ) : null}
      <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
        <Figure label="Customers" value={audience.customers} />
        <Figure label="Messages to send" value={audience.toSend} />
        <Figure label="Holdout" value={audience.holdout} />
        <Figure label="Skipped" value={audience.skipped} />
      </InlineGrid>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric"]}
        headings={["Channel", "To send", "Holdout", "Skipped"]}
        rows={audience.byChannel.map((c) => [c.channel, formatCount(c.toSend), formatCount(c.holdout), formatCount(c.skipped)])}
      />
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={["Segment", "Messages"]}
          rows={Object.entries(audience.bySegment).map(([s, n]) => [segmentLabel(s), formatCount(n)])}
        />
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={["Skip reason", "Messages"]}
          rows={Object.entries(audience.bySkipReason).map(([r, n]) => [skipReasonLabel(r), formatCount(n)])}
        />
      </InlineGrid>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric"]}
        headings={["Send", "To send", "Holdout", "Skipped"]}
        rows={sends.map((send) => {
          const of = (pred: (status: string) => boolean) =>
            audience.groups.filter((g) => g.sendKey === send && pred(g.status)).reduce((n, g) => n + g.rows, 0);
          return [
            SEND_LABELS[send] ?? send,
            formatCount(of((s) => s !== "holdout" && s !== "skipped")),
            formatCount(of((s) => s === "holdout")),
            formatCount(of((s) => s === "skipped")),
          ];
        })}
      />
    </BlockStack>
  );
}
