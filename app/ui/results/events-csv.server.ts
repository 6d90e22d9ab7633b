import type { PrismaClient } from "@prisma/client";
import { exportMessageIds, exportRows } from "../../results/report/export-queries.server";
import { displayZone } from "../format-time";
import { EVENTS_CSV_HEADER, eventCsvLine } from "./events-csv";
import { findPageSource } from "./results-page.server";

// A campaign's or flow's events as CSV, streamed: its messages are read 1,000 at a time in id
// order with their events and credited orders, and the next page only when the client pulls, so
// a campaign of a million messages never sits in memory.

const PAGE = 1_000;

type Db = Pick<PrismaClient, "$queryRaw" | "$queryRawUnsafe" | "campaign" | "flow" | "shop">;

export function eventsCsv(
  prisma: Db,
  shop: string,
  sourceId: string,
  zone: string,
  currencyCode: string,
  pageSize = PAGE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: string | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (after === null) {
        after = "";
        controller.enqueue(encoder.encode(`${EVENTS_CSV_HEADER}\r\n`));
        return;
      }
      // Pages with no lines (holdouts, skipped messages) are passed over within one pull.
      for (;;) {
        const ids = await exportMessageIds(prisma, shop, sourceId, after, pageSize);
        const through = ids.at(-1);
        if (through === undefined) {
          controller.close();
          return;
        }
        const rows = await exportRows(prisma, shop, sourceId, after, through);
        after = through;
        if (rows.length > 0) {
          const text = rows.map((row) => `${eventCsvLine(row, zone, currencyCode)}\r\n`).join("");
          controller.enqueue(encoder.encode(text));
          return;
        }
      }
    },
  });
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);

/** The export as the route serves it, or null when the id is no campaign or flow of this shop. */
export async function exportEventsCsv(
  prisma: Db,
  shop: string,
  sourceId: string,
): Promise<{ body: ReadableStream<Uint8Array>; filename: string } | null> {
  const source = await findPageSource(prisma, shop, sourceId);
  if (!source) return null;
  const row = await prisma.shop.findUnique({
    where: { domain: shop },
    select: { ianaTimezone: true, currencyCode: true },
  });
  return {
    body: eventsCsv(prisma, shop, source.id, displayZone(row?.ianaTimezone), row?.currencyCode ?? "USD"),
    filename: `results-${slug(source.key) || source.kind}-events-${new Date().toISOString().slice(0, 10)}.csv`,
  };
}
