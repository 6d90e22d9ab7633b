import type { CSSProperties } from "react";
import { BlockStack, Text } from "@shopify/polaris";
import type { RfCell } from "../segments/report.server";
import { formatCount } from "./format";
import { heatCellColors } from "./heat-shade";

// A 5 × 5 grid of customers by R score (rows, 5 = bought most recently) and F score (columns,
// 5 = buys most often), shaded by count. ARIA table roles let a screen reader read it as a table.

const grid: CSSProperties = {
  display: "grid",
  gridTemplateColumns: "auto repeat(5, minmax(3rem, 1fr))",
  gap: "4px",
  alignItems: "stretch",
};
const label: CSSProperties = {
  display: "flex",
  alignItems: "center",
  justifyContent: "center",
  padding: "4px",
};

function cellStyle(count: number, max: number): CSSProperties {
  return {
    ...label,
    ...heatCellColors(count, max),
    minHeight: "2.75rem",
    borderRadius: "6px",
    fontVariantNumeric: "tabular-nums",
  };
}

export function SegmentHeatmap({ cells, max }: { cells: RfCell[]; max: number }) {
  const rows = [5, 4, 3, 2, 1];
  const cols = [1, 2, 3, 4, 5];
  const count = (r: number, f: number) => cells.find((c) => c.r === r && c.f === f)?.customers ?? 0;
  return (
    <BlockStack gap="200">
      <div
        role="table"
        aria-label="Customers by recency score (rows) and frequency score (columns)"
        style={grid}
      >
        <div role="row" style={{ display: "contents" }}>
          <div role="columnheader" style={label}>
            <Text as="span" variant="bodySm" tone="subdued">
              R \ F
            </Text>
          </div>
          {cols.map((f) => (
            <div role="columnheader" key={f} style={label}>
              <Text as="span" variant="bodySm" tone="subdued">
                F{f}
              </Text>
            </div>
          ))}
        </div>
        {rows.map((r) => (
          <div role="row" key={r} style={{ display: "contents" }}>
            <div role="rowheader" style={label}>
              <Text as="span" variant="bodySm" tone="subdued">
                R{r}
              </Text>
            </div>
            {cols.map((f) => {
              const n = count(r, f);
              return (
                <div
                  role="cell"
                  key={f}
                  style={cellStyle(n, max)}
                  title={`R ${r}, F ${f}: ${formatCount(n)} customers`}
                  aria-label={`R ${r}, F ${f}: ${formatCount(n)} customers`}
                >
                  {formatCount(n)}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        R5 bought most recently, F5 buys most often. Darker cells hold more customers. Prospects (no orders
        yet) have no scores and are not shown.
      </Text>
    </BlockStack>
  );
}
