import { PLAN_CSV_COLUMNS, planCsvRecord, type PlanRow } from "../audience";

// The plan CSV. Pure. Values are ids, codes, ISO times and zone names, so quoting is a safeguard
// (RFC 4180) for a zone name read from a file, not the common case.

export const PLAN_CSV_HEADER = PLAN_CSV_COLUMNS.join(",");

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function formatPlanRow(row: PlanRow): string {
  const record = planCsvRecord(row);
  return PLAN_CSV_COLUMNS.map((column) => csvField(record[column])).join(",");
}
