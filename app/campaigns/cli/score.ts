import type { CustomerTable } from "../../segments/cli/table";
import { recencyDays, scoreColumns } from "../../segments/rfm";
import { SEGMENTS, segmentFor, type Segment, type SegmentThresholds } from "../../segments/rules";

// Each customer's primary segment as of T, the way `segments` computes it (same table, same
// scoring, same rules), kept as an index into SEGMENTS per slot. Pure.

export function segmentIndex(segment: Segment): number {
  return SEGMENTS.indexOf(segment);
}

export function segmentsOf(table: CustomerTable, asOf: Date, thresholds: SegmentThresholds): Uint8Array {
  const n = table.size;
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if ((table.frequency[i] ?? 0) > 0) recency[i] = recencyDays(asOf, new Date(table.lastMs[i] ?? 0));
  }
  const scores = scoreColumns({
    count: n,
    frequency: table.frequency,
    recencyDays: recency,
    monetaryMinor: table.monetary,
  });
  const segments = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const frequency = table.frequency[i] ?? 0;
    const scored = frequency > 0;
    const segment = segmentFor(
      {
        frequency,
        recencyDays: scored ? (recency[i] ?? 0) : null,
        f: scored ? (scores.f[i] ?? 0) : null,
        m: scored ? (scores.m[i] ?? 0) : null,
        discountedOrders: table.discounted[i] ?? 0,
      },
      thresholds,
    );
    segments[i] = segmentIndex(segment);
  }
  return segments;
}
