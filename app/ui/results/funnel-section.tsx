import { Banner, BlockStack, DataTable, Text } from "@shopify/polaris";
import { ScrollRegion } from "../scroll-region";
import { FunnelChart } from "./results-charts";
import type { ComplaintLine, FunnelStep } from "./results-view";

// Planned to revenue: the table (what a screen reader and the tests read), the chart of the same
// counts, the complaint line, and the attribution rule every money figure follows.

export function ComplaintBanner({ complaint }: { complaint: ComplaintLine | null }) {
  if (!complaint) return null;
  if (!complaint.over) {
    return (
      <Text as="p" tone="subdued">
        {complaint.text}
      </Text>
    );
  }
  return (
    <Banner tone="critical" title="Too many spam complaints">
      <Text as="p">{complaint.text}</Text>
    </Banner>
  );
}

export function FunnelSection({
  steps,
  attribution,
  complaint,
}: {
  steps: FunnelStep[];
  attribution: string;
  complaint: ComplaintLine | null;
}) {
  return (
    <BlockStack gap="400">
      <ScrollRegion label="Funnel">
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "text"]}
          headings={["Step", "Count", "Rate", "Not counted and other notes"]}
          rows={steps.map((s) => [s.label, s.value, s.rate, s.note])}
        />
      </ScrollRegion>
      <FunnelChart steps={steps} />
      <ComplaintBanner complaint={complaint} />
      <Text as="p" tone="subdued">
        {attribution}
      </Text>
    </BlockStack>
  );
}
