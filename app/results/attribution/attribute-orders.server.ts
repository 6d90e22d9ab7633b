import type { AttributionWindows } from "../../campaigns/settings/attribution-windows";
import { landingUtm } from "../../messaging/tracking/utm";
import { attributeOrder, type Attribution } from "./attribute-order";
import {
  attributedThrough,
  ordersSyncedAfter,
  saveAttributions,
  setAttributedThrough,
  touchesOf,
  type AttributionDb,
  type TouchRow,
} from "./attribution-queries.server";

// Credits the orders a shop synced since the last run (webhooks, backfill and reconciliation all
// write orders, so one cursor over Order.syncedAt serves them all). The cursor never passes the last
// 15 s: an order's syncedAt is its transaction's start, and a transaction may commit after a run
// has read past that time, so the next run reads those seconds again. Idempotent: an order's credit is replaced, never added to.

const BATCH = 500;
// longer than a webhook transaction may run (5 s) with room to spare
const LOOK_BACK_MS = 15_000;
const DAY_MS = 86_400_000;

export interface AttributeOrdersDeps {
  prisma: AttributionDb;
  windows: (shop: string) => Promise<AttributionWindows>;
  now?: () => Date;
}

function longestWindowMs(windows: AttributionWindows): number {
  return Math.max(
    windows.emailClickHours * 3_600_000,
    windows.smsClickHours * 3_600_000,
    windows.discountCodeDays * DAY_MS,
  );
}

function byCustomer(rows: readonly TouchRow[]): Map<bigint, TouchRow[]> {
  const map = new Map<bigint, TouchRow[]>();
  for (const row of rows) {
    const list = map.get(row.customerId);
    if (list) list.push(row);
    else map.set(row.customerId, [row]);
  }
  return map;
}

export async function attributeOrders(
  deps: AttributeOrdersDeps,
  shop: string,
): Promise<{ orders: number; credited: number }> {
  const { prisma } = deps;
  const windows = await deps.windows(shop);
  const horizon = (deps.now?.() ?? new Date()).getTime() - LOOK_BACK_MS;
  const through = await attributedThrough(prisma, shop);
  let cursor = through ?? { syncedAt: new Date(0), id: -1n };
  let newest = through?.syncedAt ?? null;
  let orders = 0;
  let creditedCount = 0;
  for (;;) {
    const batch = await ordersSyncedAfter(prisma, shop, cursor, BATCH);
    const last = batch.at(-1);
    if (!last) break;
    const placed = batch.map((o) => o.createdAt.getTime());
    const touches = byCustomer(
      await touchesOf(
        prisma,
        shop,
        [...new Set(batch.map((o) => o.customerId))],
        new Date(Math.min(...placed) - longestWindowMs(windows)),
        new Date(Math.max(...placed)),
      ),
    );
    const credited: Array<{ orderId: bigint; attribution: Attribution }> = [];
    const uncredited: bigint[] = [];
    for (const order of batch) {
      const attribution = attributeOrder(
        {
          createdAt: order.createdAt,
          cancelled: order.cancelledAt !== null,
          test: order.test,
          discountCodes: order.discountCodes,
          landing: landingUtm(order.landingPage),
        },
        touches.get(order.customerId) ?? [],
        windows,
      );
      if (attribution) credited.push({ orderId: order.id, attribution });
      else uncredited.push(order.id);
    }
    await saveAttributions(prisma, shop, credited, uncredited);
    orders += batch.length;
    creditedCount += credited.length;
    cursor = { syncedAt: last.syncedAt, id: last.id };
    if (!newest || last.syncedAt > newest) newest = last.syncedAt;
    if (batch.length < BATCH) break;
  }
  if (newest) {
    const settled = Math.min(newest.getTime(), horizon);
    if (!through || settled > through.syncedAt.getTime()) await setAttributedThrough(prisma, shop, new Date(settled));
  }
  return { orders, credited: creditedCount };
}
