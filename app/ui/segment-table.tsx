import { DataTable } from "@shopify/polaris";
import { ScrollRegion } from "./scroll-region";
import type { SegmentSummary } from "../segments/report.server";
import { formatCount } from "./format";

/** One row per segment: size, shares of customers and revenue, average order value, treatment. */
export function SegmentTable({ segments }: { segments: SegmentSummary[] }) {
  return (
    <ScrollRegion label="Segments table">
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text"]}
        headings={[
          "Segment",
          "Customers",
          "Share of customers",
          "Share of revenue",
          "Average order value",
          "Treatment",
        ]}
        rows={segments.map((s) => [
          s.label,
          formatCount(s.customers),
          s.customerShare,
          s.revenueShare,
          s.averageOrderValue ?? "—",
          s.treatment,
        ])}
        verticalAlign="top"
      />
    </ScrollRegion>
  );
}
