import { SyncInputError, type CheckoutRow, type CustomerRow, type OrderRow } from "../rows";
import {
  ownersOfOrders,
  recomputeAggregates,
  upsertCheckouts,
  upsertCustomers,
  upsertOrders,
} from "../store.server";
import {
  checkoutRowFromPayload,
  customerRowFromPayload,
  orderRowFromPayload,
  webhookTopic,
} from "./payloads";
import { describeError, keepStored, lock, type ProcessWebhookDeps } from "./process-webhook.server";

// Peak season is orders/* and customers/* by the thousand: those deliveries are applied a batch at
// a time — one transaction per shop with the same stale-safe upserts, locks and aggregate
// recomputation as one delivery alone — so processing keeps up with the intake. Everything else
// (uninstall, compliance, bulk finish), and any batch that fails, goes through `processWebhook`,
// one job per delivery, with its own retries and a visible failure.

type Parsed =
  | { id: string; kind: "order"; row: OrderRow }
  | { id: string; kind: "customer"; row: CustomerRow; absent: Array<keyof CustomerRow> }
  | { id: string; kind: "checkout"; row: CheckoutRow };

const MAX_BATCH = 500;
// Long enough that a delivery's own job normally got it first; short next to a backlog.
const WAITING_MS = 1_000;
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
  /** Deliveries to run one by one: topics not batched here, and batches that failed. */
  individually: string[];
}

export async function processWebhookBatch(
  deps: ProcessWebhookDeps,
  webhookIds: string[],
): Promise<BatchOutcome> {
  const { prisma } = deps;
  const outcome: BatchOutcome = { processed: 0, ignored: 0, failed: 0, individually: [] };
  const own = await prisma.webhookDelivery.findMany({
    where: { id: { in: webhookIds }, status: "received" },
    select: { id: true, shop: true, topic: true, payload: true },
  });
  // Under a backlog each recorded batch is small, and a job costs about the same whatever its size:
  // take along the same shops' deliveries still waiting. Their own jobs then find them processed.
  // Only this job's deliveries ever fall back to one-by-one jobs (the others keep their own job).
  const ownIds = new Set(own.map((d) => d.id));
  const ownShops = [...new Set(own.map((d) => d.shop))];
  const waiting =
    ownShops.length === 0 || own.length >= MAX_BATCH
      ? []
      : await prisma.webhookDelivery.findMany({
          where: {
            shop: { in: ownShops },
            status: "received",
            topic: { in: [...BATCHED_TOPICS] },
            receivedAt: { lt: new Date(deps.now().getTime() - WAITING_MS) },
            id: { notIn: [...ownIds] },
          },
          orderBy: { receivedAt: "asc" },
          take: MAX_BATCH - own.length,
          select: { id: true, shop: true, topic: true, payload: true },
        });
  const deliveries = [...own, ...waiting];
  const byShop = new Map<string, Parsed[]>();
  const failed: Array<{ id: string; error: unknown }> = [];
  for (const delivery of deliveries) {
    try {
      const parsed = parse(delivery.id, delivery.topic, delivery.payload);
      if (!parsed) {
        if (ownIds.has(delivery.id)) outcome.individually.push(delivery.id);
        continue;
      }
      byShop.set(delivery.shop, [...(byShop.get(delivery.shop) ?? []), parsed]);
    } catch (error) {
      if (!(error instanceof SyncInputError)) throw error;
      failed.push({ id: delivery.id, error });
    }
  }
  for (const { id, error } of failed) {
    // The payload itself is wrong: a retry cannot succeed, so it is failed at once, as one alone.
    await prisma.webhookDelivery.updateMany({
      where: { id, status: "received" },
      data: { status: "failed", attempts: { increment: 1 }, lastError: describeError(error) },
    });
    deps.log(`webhook ${id} failed (bad payload, not retried): ${describeError(error)}`);
  }
  outcome.failed = failed.length;

  const shops = await prisma.shop.findMany({
    where: { domain: { in: [...byShop.keys()] } },
    select: { domain: true, uninstalledAt: true },
  });
  const installed = new Set(shops.filter((s) => !s.uninstalledAt).map((s) => s.domain));
  for (const [shop, items] of byShop) {
    if (!installed.has(shop)) {
      const known = shops.some((s) => s.domain === shop);
      const ignored = await prisma.webhookDelivery.updateMany({
        where: { id: { in: items.map((item) => item.id) }, status: "received" },
        data: {
          status: "processed",
          attempts: { increment: 1 },
          lastError: `ignored: shop ${known ? "uninstalled" : "unknown"}`,
        },
      });
      outcome.ignored += ignored.count;
      continue;
    }
    try {
      const applied = await applyShopBatch(deps, shop, items);
      outcome.processed += applied.deliveries;
      await deps.onCustomersChanged?.(shop, applied.customers);
    } catch (error) {
      deps.log(
        `webhook batch of ${items.length} for ${shop} failed, processing them one by one: ${describeError(error)}`,
      );
      outcome.individually.push(...items.filter((item) => ownIds.has(item.id)).map((item) => item.id));
    }
  }
  return outcome;
}

function parse(id: string, storedTopic: string, payload: unknown): Parsed | null {
  const topic = webhookTopic(storedTopic);
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      return { id, kind: "order", row: orderRowFromPayload(topic, payload) };
    case "customers/create":
    case "customers/update":
      return { id, kind: "customer", ...customerRowFromPayload(topic, payload) };
    case "checkouts/create":
    case "checkouts/update":
      return { id, kind: "checkout", row: checkoutRowFromPayload(topic, payload) };
    default:
      return null;
  }
}

/** One transaction: only deliveries still `received` once locked are applied, then marked processed. */
async function applyShopBatch(deps: ProcessWebhookDeps, shop: string, items: Parsed[]) {
  const changed = new Set<bigint>();
  const deliveries = await deps.prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `SELECT id FROM "WebhookDelivery" WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) AND status = 'received'
       ORDER BY id FOR UPDATE`,
      JSON.stringify(items.map((item) => item.id)),
    );
    const lockedIds = new Set(locked.map((row) => row.id));
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
    await tx.$executeRawUnsafe(
      `UPDATE "WebhookDelivery" SET status = 'processed', attempts = attempts + 1, "lastError" = NULL
       WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      JSON.stringify(live.map((item) => item.id)),
    );
    return live.length;
  });
  return { deliveries, customers: [...changed] };
}
