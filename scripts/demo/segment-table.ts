import { SEGMENTS, SEGMENT_TREATMENT } from "../../app/segments/rules";

/** The demo's segment table: customers per segment and their share, as plain text. */
export function formatSegmentTable(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const lines = SEGMENTS.map((segment) => {
    const n = counts[segment] ?? 0;
    const share = total > 0 ? ((n * 100) / total).toFixed(1) : "0.0";
    return `  ${SEGMENT_TREATMENT[segment].label.padEnd(16)} ${n.toLocaleString("en-US").padStart(9)}  ${share.padStart(5)}%`;
  });
  return [`segments (${total.toLocaleString("en-US")} customers scored):`, ...lines].join("\n");
}
