import { Link } from "@remix-run/react";
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { SegmentSummary } from "../segments/report.server";
import { formatCount } from "./format";
import { ScrollRegion } from "./scroll-region";

/** The dashboard's segment table: who is where, and what each segment is worth. */
export function SegmentOverview({ segments, scoredAt }: { segments: SegmentSummary[]; /** on the shop's clock */ scoredAt: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Segments
        </Text>
        <ScrollRegion label="Segments table">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "text"]}
            headings={["Segment", "Customers", "Share of customers", "Share of revenue", "Treatment"]}
            rows={segments.map((s) => [
              s.label,
              formatCount(s.customers),
              s.customerShare,
              s.revenueShare,
              s.treatment,
            ])}
          />
        </ScrollRegion>
        <Text as="p" tone="subdued">
          Scored {scoredAt} · <Link to="/app/segments">All segments and members</Link>
        </Text>
      </BlockStack>
    </Card>
  );
}
