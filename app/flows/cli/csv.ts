import { csvCell } from "../../csv";
import { CHANNELS } from "../../messaging/rules/channels";
import type { FlowRow } from "../model";

// The replay's CSV: one row per (flow, trigger, step, channel considered). Pure. Ids come from the
// input files, so every cell is written as a spreadsheet-safe CSV cell (app/csv.ts).

export const FLOWS_CSV_COLUMNS = [
  "flow",
  "step",
  "trigger_id",
  "customer_id",
  "channel",
  "holdout",
  "due_at_utc",
  "send_at_utc",
  "skip_reason",
] as const;
export const FLOWS_CSV_HEADER = FLOWS_CSV_COLUMNS.join(",");

export function formatFlowRow(row: FlowRow): string {
  return [
    row.flowKey,
    row.stepId,
    row.triggerEntityId,
    row.customerId,
    row.channel,
    row.holdout ? "true" : "false",
    row.dueAt.toISOString(),
    row.sendAt?.toISOString() ?? "",
    row.skipReason ?? "",
  ]
    .map(csvCell)
    .join(",");
}

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The CSV's order: flow (as listed), trigger id and customer id (as strings), step, channel (email, sms, webhook). */
export function sortFlowRows(rows: readonly FlowRow[], flowKeys: readonly string[]): FlowRow[] {
  const flow = (key: string) => flowKeys.indexOf(key);
  return [...rows].sort(
    (a, b) =>
      flow(a.flowKey) - flow(b.flowKey) ||
      text(a.triggerEntityId, b.triggerEntityId) ||
      text(a.customerId, b.customerId) ||
      a.stepIndex - b.stepIndex ||
      CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel),
  );
}
