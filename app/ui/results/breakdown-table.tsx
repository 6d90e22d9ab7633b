import { DataTable } from "@shopify/polaris";
import { ScrollRegion } from "../scroll-region";
import type { BreakdownRow } from "./results-view";

export const BREAKDOWN_HEADINGS = [
  "Sent",
  "Delivered %",
  "Open %",
  "Click %",
  "Orders",
  "Revenue",
  "Complaint %",
  "Unsubscribe %",
];

export const breakdownCells = (r: BreakdownRow): string[] => [
  r.sent,
  r.delivered,
  r.open,
  r.click,
  r.orders,
  r.revenue,
  r.complaint,
  r.unsubscribe,
];

/** One row per channel or segment; every rate is a share of the messages before it (opens: of emails). */
export function BreakdownTable({ first, rows }: { first: string; rows: BreakdownRow[] }) {
  return (
    <ScrollRegion label={`By ${first.toLowerCase()}`}>
      <DataTable
        columnContentTypes={["text", ...BREAKDOWN_HEADINGS.map(() => "numeric" as const)]}
        headings={[first, ...BREAKDOWN_HEADINGS]}
        rows={rows.map((r) => [r.label, ...breakdownCells(r)])}
      />
    </ScrollRegion>
  );
}
