import { csvCell } from "../../csv";
import { offsetAt } from "../../messaging/rules/time-zone";
import type { EventExportRow } from "../../results/report/export-queries.server";
import { formatMinorUnits } from "../../sync/money";

// The lines of a campaign's or flow's events export. Pure. Times in UTC and on the shop's clock,
// both ISO 8601 so a spreadsheet sorts them; revenue as a plain decimal in the shop's currency.

export const EVENTS_CSV_HEADER = [
  "message_id",
  "customer_id",
  "channel",
  "segment",
  "send_key",
  "kind",
  "machine",
  "machine_reason",
  "link_id",
  "first_at_utc",
  "first_at_local",
  "last_at_utc",
  "last_at_local",
  "count",
  "order_id",
  "attribution_model",
  "revenue",
  "currency",
].join(",");

const two = (n: number) => String(n).padStart(2, "0");

/** "2026-11-28T09:00:00.000-05:00": the instant on the zone's clock, with its offset then. */
export function localIso(at: Date, zone: string): string {
  const offsetMinutes = Math.round(offsetAt(at.getTime(), zone) / 60_000);
  const wall = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offsetMinutes);
  return `${wall}${offsetMinutes < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

export function eventCsvLine(row: EventExportRow, zone: string, currencyCode: string): string {
  return [
    row.messageId,
    row.customerId,
    row.channel,
    row.segment,
    row.sendKey,
    row.kind,
    row.machine ? "true" : "false",
    row.machineReason,
    row.linkId,
    row.firstAt.toISOString(),
    localIso(row.firstAt, zone),
    row.lastAt.toISOString(),
    localIso(row.lastAt, zone),
    row.count,
    row.orderId,
    row.model,
    row.revenueMinor === null ? null : formatMinorUnits(row.revenueMinor, currencyCode),
    row.revenueMinor === null ? null : currencyCode,
  ]
    .map(csvCell)
    .join(",");
}
