// The CSV the segments command writes. Pure: integers in, text out; no float formatting. The
// customer id comes from the input file: it is written as a spreadsheet-safe cell (app/csv.ts).

import { csvCell } from "../../csv";

export const CSV_HEADER = "customer_id,recency_days,frequency,monetary,r,f,m,discount_share,segment";

/** 1250 with exponent 2 → "12.50"; the amount is an exact integer of minor units. */
export function formatMinor(minor: number, exponent: number): string {
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  const cut = digits.length - exponent;
  return `${negative ? "-" : ""}${digits.slice(0, cut)}${exponent > 0 ? `.${digits.slice(cut)}` : ""}`;
}

/** discounted / frequency to 4 decimals, half up, in integer arithmetic: 1/3 → "0.3333", 1/8 → "0.1250". */
export function formatShare(discounted: number, frequency: number): string {
  const a = discounted * 20_000 + frequency;
  const b = 2 * frequency;
  const tenThousandths = (a - (a % b)) / b;
  return formatMinor(tenThousandths, 4);
}

export interface CsvRow {
  customerId: string;
  /** null for a prospect (no counted order): recency, scores and share are empty */
  recencyDays: number | null;
  frequency: number;
  monetaryMinor: number;
  r: number | null;
  f: number | null;
  m: number | null;
  discountedOrders: number;
  segment: string;
}

const cell = (v: number | null): string => (v === null ? "" : String(v));

export function formatRow(row: CsvRow, exponent: number): string {
  const share = row.frequency > 0 ? formatShare(row.discountedOrders, row.frequency) : "";
  return `${csvCell(row.customerId)},${cell(row.recencyDays)},${row.frequency},${formatMinor(row.monetaryMinor, exponent)},${cell(row.r)},${cell(row.f)},${cell(row.m)},${share},${csvCell(row.segment)}`;
}
