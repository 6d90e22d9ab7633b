import type { FlowRow } from "../model";
import type { ReplayResult } from "./replay";

// The summary the flows command writes to standard error. Pure.

const list = (counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>): string => {
  const entries = counts instanceof Map ? [...counts] : Object.entries(counts);
  return entries.length === 0 ? "none" : entries.map(([k, n]) => `${k} ${n}`).join(", ");
};

/** Per flow: "abandoned_checkout: 12 sent, 2 holdout, 3 converted" (sent first, then reasons as they come). */
function rowLines(rows: readonly FlowRow[], flowKeys: readonly string[]): string[] {
  return flowKeys.flatMap((key) => {
    const counts = new Map<string, number>([["sent", 0]]);
    for (const row of rows)
      if (row.flowKey === key)
        counts.set(row.skipReason ?? "sent", (counts.get(row.skipReason ?? "sent") ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return total === 0 ? [] : [`  ${key}: ${[...counts].map(([reason, n]) => `${n} ${reason}`).join(", ")}`];
  });
}

export function summaryLines(
  result: ReplayResult,
  flowKeys: readonly string[],
  from: Date,
  until: Date,
): string[] {
  const { counts, rows, waiting } = result;
  const h = counts.happenings;
  const stillWaiting = new Map<string, number>();
  for (const t of waiting) stillWaiting.set(t.flow.key, (stillWaiting.get(t.flow.key) ?? 0) + 1);
  return [
    `window ${from.toISOString()} to ${until.toISOString()}: ${h.checkout} checkout activities, ${h.order} orders, ` +
      `${h.consent} consents given, ${h.nightly_rescore} nightly rescores`,
    ...(counts.guest + counts.unknownCustomer > 0
      ? [
          `events without a customer of the customers file: ${counts.guest} of guests, ${counts.unknownCustomer} of unknown customers`,
        ]
      : []),
    `entered: ${list(new Map(flowKeys.map((k) => [k, counts.entered[k] ?? 0])))}`,
    `not entered: ${list(counts.notEntered)}`,
    `${rows.length} rows from ${counts.decisions} step decisions:`,
    ...rowLines(rows, flowKeys),
    `still waiting at ${until.toISOString()} (not decided): ${list(new Map(flowKeys.flatMap((k) => (stillWaiting.has(k) ? [[k, stillWaiting.get(k) ?? 0]] : []))))}`,
  ];
}
