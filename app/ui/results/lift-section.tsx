import { Banner, BlockStack, DataTable, Text } from "@shopify/polaris";
import type { LiftCard } from "../../results/report/describe-lift";
import { ScrollRegion } from "../scroll-region";
import type { SegmentLiftRow } from "./results-view";

// The headline of a Results page: what difference the messages made against the customers held
// back, or why that is not known yet; then the same per segment.

const TONE = { enough: "success", waiting: "info" } as const;

function Lines({ lines }: { lines: string[] }) {
  return (
    <BlockStack gap="100">
      {lines.map((line) => (
        <Text as="p" key={line}>
          {line}
        </Text>
      ))}
    </BlockStack>
  );
}

export function LiftHeadline({ card }: { card: LiftCard }) {
  if (card.state === "none") {
    return (
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {card.headline}
        </Text>
        <Lines lines={card.lines} />
      </BlockStack>
    );
  }
  return (
    <Banner tone={TONE[card.state]} title={card.headline}>
      <Lines lines={card.lines} />
    </Banner>
  );
}

export function SegmentLiftTable({ rows }: { rows: SegmentLiftRow[] }) {
  if (rows.length === 0) return null;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        By segment
      </Text>
      <ScrollRegion label="Lift by segment">
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "text"]}
          headings={["Segment", "Sent to", "Held out", "Conversion lift (95% interval)", "Verdict"]}
          rows={rows.map((r) => [r.label, r.treated, r.control, r.lift, r.verdict])}
        />
      </ScrollRegion>
    </BlockStack>
  );
}
