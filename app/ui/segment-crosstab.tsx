import { DataTable } from "@shopify/polaris";
import { ScrollRegion } from "./scroll-region";
import type { RfmGroupCrosstab } from "../segments/report.server";
import { formatCount } from "./format";

/** Shopify's enum value the way a merchant reads it: "AT_RISK" → "At risk". */
export function rfmGroupLabel(group: string): string {
  const words = group.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Our segments (rows) against Shopify's own RFM groups (columns), counting customers. */
export function SegmentCrosstab({ crosstab }: { crosstab: RfmGroupCrosstab }) {
  const columnTotals = crosstab.groups.map((_, i) =>
    crosstab.rows.reduce((n, row) => n + (row.counts[i] ?? 0), 0),
  );
  return (
    <ScrollRegion label="Segments compared with Shopify's RFM groups">
      <DataTable
        columnContentTypes={["text", ...crosstab.groups.map(() => "numeric" as const), "numeric"]}
        headings={["Segment", ...crosstab.groups.map(rfmGroupLabel), "Total"]}
        rows={crosstab.rows.map((row) => [
          row.label,
          ...row.counts.map((n) => formatCount(n)),
          formatCount(row.total),
        ])}
        totals={[
          "",
          ...columnTotals.map((n) => formatCount(n)),
          formatCount(columnTotals.reduce((a, b) => a + b, 0)),
        ]}
        showTotalsInFooter
      />
    </ScrollRegion>
  );
}
