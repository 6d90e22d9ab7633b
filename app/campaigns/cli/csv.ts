import { csvCell } from "../../csv";
import { PLAN_CSV_COLUMNS, planCsvRecord, type PlanRow } from "../audience";

// The plan CSV. Pure. Values are ids, codes, ISO times and zone names; ids and zone names come from
// the input files, so every cell is written as a spreadsheet-safe CSV cell (app/csv.ts).

export const PLAN_CSV_HEADER = PLAN_CSV_COLUMNS.join(",");

export function formatPlanRow(row: PlanRow): string {
  const record = planCsvRecord(row);
  return PLAN_CSV_COLUMNS.map((column) => csvCell(record[column])).join(",");
}
