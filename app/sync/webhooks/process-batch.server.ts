import { isConnectionError } from "../../db/connection-errors";
import { anyOfJson } from "../../db/sql";
import { SyncInputError, type CheckoutRow, type CustomerRow, type OrderRow } from "../rows";
import {
  ownersOfOrders,
  recomputeAggregates,
  upsertCheckouts,
  upsertCustomers,
  upsertOrders,
} from "../store.server";
import { customerRowFromPayload, orderRowFromPayload, webhookTopic } from "./payloads";
import { checkoutRowFromPayload } from "./checkout-payloads";
import { lock } from "../locks.server";
import { isRedactedPayload } from "../compliance/redaction-sql";
import { describeError, keepStored, REDACTED_NOTE, type ProcessWebhookDeps } from "./process-webhook.server";

// Peak season is orders/* and customers/* by the thousand: those deliveries are applied a batch at
// a time — one transaction per shop with the same stale-safe upserts, locks and aggregate
// recomputation as one delivery alone — so processing keeps up with the intake. Everything else
// (uninstall, compliance, bulk finish), and any batch that fails, goes through `processWebhook`,
// one job per delivery, with its own retries and a visible failure.

type Parsed = { id: string; own: boolean } & (
  | { kind: "order"; row: OrderRow }
  | { kind: "customer"; row: CustomerRow; absent: Array<keyof CustomerRow> }
  | { kind: "checkout"; row: CheckoutRow }
);

// Deliveries applied in one pass at most: large enough that a backlog clears in a few passes, small
// enough that a pass's transaction holds its locks for well under a second.
const MAX_PASS = 1_000;
const BATCHED_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "customers/create",
  "customers/update",
  "checkouts/create",
  "checkouts/update",
] as const;

export interface BatchOutcome {
  processed: number;
  ignored: number;
  failed: number;
  /** Own deliveries to run one by one: topics not batched here, and batches that failed. */
  individually: string[];
  /** Deliveries this pass finished (processed, ignored or failed), own or taken along. */
  settled: string[];
  /** Deliveries taken along whose batch failed: their own jobs process them. */
  leftBehind: string[];
  /** Shops with deliveries taken along and applied: more may be waiting. */
  busyShops: string[];
}

export interface BatchOptions {
  /** More shops whose waiting deliveries to take along, besides the own deliveries' shops. */
  shops?: readonly string[];
  /** Deliveries never to take along (their batch failed before). */
  skip?: ReadonlySet<string>;
}

/**
 * Applies the own deliveries and, under a backlog, the same shops' other waiting deliveries: a pass
 * costs about the same whatever its size, so one pass takes everything waiting (up to MAX_PASS) and
 * the others' own jobs then find them done. A delivery being applied by another pass is waited for
 * when it is this pass's own, and skipped when it would only be taken along.
 */
export async function processWebhookBatch(
  deps: ProcessWebhookDeps,
  webhookIds: readonly string[],
  options: BatchOptions = {},
): Promise<BatchOutcome> {
  const { prisma } = deps;
  const outcome: BatchOutcome = {
    processed: 0,
    ignored: 0,
    failed: 0,
    individually: [],
    settled: [],
    leftBehind: [],
    busyShops: [],
  };
  const own =
    webhookIds.length === 0
      ? []
      : await prisma.webhookDelivery.findMany({
          where: { id: { in: [...webhookIds] }, status: "received" },
          select: { id: true, shop: true, topic: true, payload: true },
        });
  const ownIds = new Set(own.map((d) => d.id));
  const shops = [...new Set([...own.map((d) => d.shop), ...(options.shops ?? [])])];
  const notTaken = [...ownIds, ...(options.skip ?? [])];
  const waiting =
    shops.length === 0 || own.length >= MAX_PASS
      ? []
      : await prisma.webhookDelivery.findMany({
          where: {
            shop: { in: shops },
            status: "received",
            topic: { in: [...BATCHED_TOPICS] },
            ...(notTaken.length > 0 ? { id: { notIn: notTaken } } : {}),
          },
          orderBy: { receivedAt: "asc" },
          take: MAX_PASS - own.length,
          select: { id: true, shop: true, topic: true, payload: true },
        });
  const byShop = new Map<string, Parsed[]>();
  const failed: Array<{ id: string; error: unknown }> = [];
  const redacted: string[] = [];
  for (const delivery of [...own, ...waiting]) {
    const isOwn = ownIds.has(delivery.id);
    if (isRedactedPayload(delivery.payload)) {
      redacted.push(delivery.id);
      continue;
    }
    try {
      const parsed = parse(delivery.id, isOwn, delivery.topic, delivery.payload);
      if (!parsed) {
        if (isOwn) outcome.individually.push(delivery.id);
        continue;
      }
      const items = byShop.get(delivery.shop);
      if (items) items.push(parsed);
      else byShop.set(delivery.shop, [parsed]);
    } catch (error) {
      if (!(error instanceof SyncInputError)) throw error;
      failed.push({ id: delivery.id, error });
    }
  }
  for (const { id, error } of failed) {
    // The payload itself is wrong: a retry cannot succeed, so it is failed at once, as one alone.
    const marked = await prisma.webhookDelivery.updateMany({
      where: { id, status: "received" },
      data: { status: "failed", attempts: { increment: 1 }, lastError: describeError(error) },
    });
    if (marked.count > 0) outcome.settled.push(id);
    deps.log(`webhook ${id} failed (bad payload, not retried): ${describeError(error)}`);
  }
  outcome.failed = failed.length;
  if (redacted.length > 0) {
    // About a redacted customer, triggered before the redaction: kept (ids only), not applied.
    const ignored = await prisma.webhookDelivery.updateMany({
      where: { id: { in: redacted }, status: "received" },
      data: {
        status: "processed",
        attempts: { increment: 1 },
        lastError: REDACTED_NOTE,
        processedAt: new Date(),
      },
    });
    outcome.ignored += ignored.count;
    outcome.settled.push(...redacted);
  }

  const stored = await prisma.shop.findMany({
    where: { domain: { in: [...byShop.keys()] } },
    select: { domain: true, uninstalledAt: true },
  });
  const installed = new Set(stored.filter((s) => !s.uninstalledAt).map((s) => s.domain));
  for (const [shop, items] of byShop) {
    if (!installed.has(shop)) {
      const known = stored.some((s) => s.domain === shop);
      const ids = items.map((item) => item.id);
      const ignored = await prisma.webhookDelivery.updateMany({
        where: { id: { in: ids }, status: "received" },
        data: {
          status: "processed",
          processedAt: new Date(),
          attempts: { increment: 1 },
          lastError: `ignored: shop ${known ? "uninstalled" : "unknown"}`,
        },
      });
      outcome.ignored += ignored.count;
      outcome.settled.push(...ids);
      continue;
    }
    try {
      const applied = await applyShopBatch(deps, shop, items);
      outcome.processed += applied.deliveries.length;
      outcome.settled.push(...applied.deliveries);
      if (applied.deliveries.some((id) => !ownIds.has(id))) outcome.busyShops.push(shop);
      if (applied.moved) await deps.onSegmentsMoved?.(shop);
      if (applied.orders > 0) await deps.onOrdersApplied?.(shop);
    } catch (error) {
      // A lost connection fails the pass as a whole: its jobs retry it, and a later pass takes the
      // deliveries along again. Only an error of the data splits the batch into one job each.
      if (isConnectionError(error)) throw error;
      deps.log(
        `webhook batch of ${items.length} for ${shop} failed, processing them one by one: ${describeError(error)}`,
      );
      for (const item of items) (item.own ? outcome.individually : outcome.leftBehind).push(item.id);
    }
  }
  return outcome;
}

function parse(id: string, own: boolean, storedTopic: string, payload: unknown): Parsed | null {
  const topic = webhookTopic(storedTopic);
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      return { id, own, kind: "order", row: orderRowFromPayload(topic, payload) };
    case "customers/create":
    case "customers/update":
      return { id, own, kind: "customer", ...customerRowFromPayload(topic, payload) };
    case "checkouts/create":
    case "checkouts/update":
      return { id, own, kind: "checkout", row: checkoutRowFromPayload(topic, payload) };
    default:
      return null;
  }
}

// A pass's rescore grows with the shop: at a million customers, under load, a pass took 7.6 s, and
// Prisma's default 5 s rolled it back for a retry that did all of it again.
const PASS_TRANSACTION = { timeout: 60_000 };

/** One transaction: only deliveries still `received` once locked are applied, then marked processed. */
async function applyShopBatch(deps: ProcessWebhookDeps, shop: string, items: Parsed[]) {
  const changed = new Set<bigint>();
  const deliveries = await deps.prisma.$transaction(async (tx) => {
    // Own deliveries wait for another pass that holds them (then find them done); deliveries only
    // taken along are skipped when another pass holds them. Both in id order: no deadlocks.
    const lockedIds = new Set<string>();
    for (const own of [true, false]) {
      const ids = items.filter((item) => item.own === own).map((item) => item.id);
      if (ids.length === 0) continue;
      const locked = await tx.$queryRawUnsafe<Array<{ id: string }>>(
        `SELECT id FROM "WebhookDelivery" WHERE id ${anyOfJson("$1")} AND status = 'received'
         ORDER BY id COLLATE "C" FOR UPDATE ${own ? "" : "SKIP LOCKED"}`,
        JSON.stringify(ids),
      );
      for (const row of locked) lockedIds.add(row.id);
    }
    const live = items.filter((item) => lockedIds.has(item.id));
    const orders = live.flatMap((item) => (item.kind === "order" ? [item.row] : []));
    const customers = live.flatMap((item) => (item.kind === "customer" ? [item] : []));
    const checkouts = live.flatMap((item) => (item.kind === "checkout" ? [item.row] : []));

    await lock(
      tx,
      shop,
      "order",
      orders.map((order) => order.id),
    );
    for (const id of await ownersOfOrders(
      tx,
      shop,
      orders.map((order) => order.id),
    ))
      changed.add(id);
    for (const order of orders) if (order.customerId !== null) changed.add(order.customerId);
    for (const customer of customers) changed.add(customer.row.id);
    await lock(tx, shop, "customer", [...changed]);

    await upsertOrders(tx, shop, orders);
    const merged: CustomerRow[] = [];
    for (const { row, absent } of customers)
      merged.push(absent.length > 0 ? await keepStored(tx, shop, row, absent) : row);
    await upsertCustomers(tx, shop, merged);
    // Orders may have arrived before their customer, and a customer's orders in any order.
    await recomputeAggregates(tx, shop, [...changed]);
    await upsertCheckouts(tx, shop, checkouts);
    const since = new Date();
    const moved = (await deps.onCustomersChanged?.(tx, shop, [...changed])) ?? false;
    await deps.onApplied?.(
      tx,
      shop,
      { orders, customers: merged, checkouts, customerIds: [...changed] },
      since,
    );
    // Last, on the clock rather than the transaction's start: about when the rows became visible.
    await tx.$executeRawUnsafe(
      `UPDATE "WebhookDelivery" SET status = 'processed', attempts = attempts + 1, "lastError" = NULL,
         "processedAt" = clock_timestamp() AT TIME ZONE 'UTC'
       WHERE id ${anyOfJson("$1")}`,
      JSON.stringify(live.map((item) => item.id)),
    );
    return { ids: live.map((item) => item.id), moved, orders: orders.length };
  }, PASS_TRANSACTION);
  return { deliveries: deliveries.ids, moved: deliveries.moved, orders: deliveries.orders };
}
