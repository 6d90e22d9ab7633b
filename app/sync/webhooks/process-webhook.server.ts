import type { Prisma, PrismaClient } from "@prisma/client";
import { recordScopes, recordUninstall } from "../../shops.server";
import { SyncInputError, type CheckoutRow, type CustomerRow, type OrderRow } from "../rows";
import { lock } from "../locks.server";
import {
  ownersOfOrders,
  recomputeAggregates,
  upsertCheckouts,
  upsertCustomers,
  upsertOrders,
  type Db,
} from "../store.server";
import { handleDataRequest, redactCustomer, redactShop } from "../compliance/compliance.server";
import { isRedactedPayload } from "../compliance/redaction-sql";
import { processProductWebhook } from "../products/product-webhooks.server";
import {
  bulkFinishFromPayload,
  customerRedactionFromPayload,
  customerRowFromPayload,
  dataRequestFromPayload,
  deletedCustomerId,
  isComplianceTopic,
  orderRowFromPayload,
  scopesFromPayload,
  webhookTopic,
  type BulkOperationFinishPayload,
  type WebhookTopic,
} from "./payloads";
import { checkoutRowFromPayload } from "./checkout-payloads";

// The work of one recorded webhook delivery, run from the job queue after the HTTP answer.
// Idempotent: a processed delivery is skipped; every write is stale-safe (compares updated_at)
// and aggregates are recomputed from stored orders, so duplicates and any arrival order end in
// the state a full backfill would produce.

/** What one delivery or batch stored (the rows as applied; stale ones included: their enrollments dedupe). */
export interface AppliedChanges {
  orders: OrderRow[];
  customers: CustomerRow[];
  checkouts: CheckoutRow[];
  /** every customer the change touched (rescored) */
  customerIds: bigint[];
}

export interface ProcessWebhookDeps {
  prisma: PrismaClient;
  /** One line per event; never personal data or tokens. */
  log(line: string): void;
  now(): Date;
  /** bulk_operations/finish: the backfill reads the operation's result. */
  onBulkFinished(shop: string, bulkOperationGid: string, payload: BulkOperationFinishPayload): Promise<void>;
  /**
   * Last in the transaction that recomputed these customers' aggregates: rescore them at once
   * (segments freshness), committed or retried with the aggregates. True when a segment moved.
   */
  onCustomersChanged?(tx: Prisma.TransactionClient, shop: string, customerIds: bigint[]): Promise<boolean>;
  /**
   * In the same transaction, after the rows were stored and their customers rescored (segment
   * transitions recorded at or after `since`): what was applied, for the flows to enter on.
   */
  onApplied?(tx: Prisma.TransactionClient, shop: string, applied: AppliedChanges, since: Date): Promise<void>;
  /** After that transaction committed, when a segment moved (tag write-back). */
  onSegmentsMoved?(shop: string): Promise<void>;
  /**
   * After a transaction that wrote orders committed (results credit them). Never inside it: with
   * one database connection (PGlite) work queued from inside waits for the transaction to end.
   */
  onOrdersApplied?(shop: string): Promise<void>;
  /** app/uninstalled: stop all queued and periodic work of the shop. */
  stopShop(shop: string): Promise<void>;
}

export type ProcessOutcome = "processed" | "skipped" | "ignored" | "missing";

/** lastError of a delivery about a redacted customer, kept without personal data and not applied */
export const REDACTED_NOTE = "ignored: about a redacted customer";

/** Errors whose retry cannot succeed (the payload itself is wrong): the delivery is failed at once. */
export function isPermanentWebhookError(error: unknown): boolean {
  return error instanceof SyncInputError;
}

/** A safe, short description of an error for `lastError`: our messages never carry payload values. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}

/** After the queue's last attempt: keep the delivery visible as failed. */
export async function markWebhookFailed(
  prisma: PrismaClient,
  webhookId: string,
  error: unknown,
): Promise<void> {
  await prisma.webhookDelivery.updateMany({
    where: { id: webhookId, status: { not: "processed" } },
    data: { status: "failed", lastError: describeError(error) },
  });
}

export async function processWebhook(deps: ProcessWebhookDeps, webhookId: string): Promise<ProcessOutcome> {
  const { prisma, log } = deps;
  const delivery = await prisma.webhookDelivery.findUnique({ where: { id: webhookId } });
  if (!delivery) {
    log(`webhook ${webhookId}: no such delivery, nothing to do`);
    return "missing";
  }
  if (delivery.status === "processed") return "skipped";
  const { shop } = delivery;
  const topic = webhookTopic(delivery.topic);

  const finish = async (outcome: "processed" | "ignored", note?: string): Promise<ProcessOutcome> => {
    // updateMany: shop/redact deletes the shop's deliveries, this one included.
    await prisma.webhookDelivery.updateMany({
      where: { id: webhookId },
      data: {
        status: "processed",
        attempts: { increment: 1 },
        lastError: note ?? null,
        processedAt: new Date(),
      },
    });
    return outcome;
  };

  if (!topic) {
    log(`webhook ${webhookId}: topic ${delivery.topic} is not handled; ignored`);
    return finish("ignored", `ignored: topic ${delivery.topic} is not handled`);
  }
  if (!isComplianceTopic(topic) && topic !== "app/uninstalled") {
    const known = await prisma.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
    if (!known || known.uninstalledAt) {
      log(`webhook ${webhookId} ${topic}: shop ${shop} is ${known ? "uninstalled" : "unknown"}; ignored`);
      return finish("ignored", `ignored: shop ${known ? "uninstalled" : "unknown"}`);
    }
  }

  // What is left of a delivery about a redacted customer (triggered before the redaction): nothing
  // to apply. The redaction itself still runs from what is left of it.
  if (isRedactedPayload(delivery.payload) && topic !== "customers/redact") {
    log(`webhook ${webhookId} ${topic}: about a redacted customer; ignored`);
    return finish("ignored", REDACTED_NOTE);
  }

  try {
    const outcome = await dispatch(deps, {
      webhookId,
      shop,
      topic,
      payload: delivery.payload,
      triggeredAt: delivery.triggeredAt ?? delivery.receivedAt,
    });
    if (outcome) return finish("ignored", outcome.ignored);
  } catch (error) {
    const permanent = isPermanentWebhookError(error);
    await prisma.webhookDelivery.update({
      where: { id: webhookId },
      data: {
        attempts: { increment: 1 },
        lastError: describeError(error),
        ...(permanent ? { status: "failed" } : {}),
      },
    });
    log(
      `webhook ${webhookId} ${topic} for ${shop} failed${permanent ? " (bad payload, not retried)" : ""}: ${describeError(error)}`,
    );
    throw error;
  }
  return finish("processed");
}

interface Delivery {
  webhookId: string;
  shop: string;
  topic: WebhookTopic;
  payload: unknown;
  /** when Shopify says the event happened (else when it was received) */
  triggeredAt: Date;
}

/** Nothing, or why the delivery changed nothing (it is then recorded as ignored). */
type DispatchOutcome = void | { ignored: string };

async function dispatch(deps: ProcessWebhookDeps, d: Delivery): Promise<DispatchOutcome> {
  const { prisma } = deps;
  const { shop, topic, payload } = d;
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled": {
      const order = orderRowFromPayload(topic, payload);
      const owners = new Set<bigint>();
      const moved = await prisma.$transaction(async (tx) => {
        await lock(tx, shop, "order", [order.id]);
        for (const id of await ownersOfOrders(tx, shop, [order.id])) owners.add(id);
        if (order.customerId !== null) owners.add(order.customerId);
        await lock(tx, shop, "customer", [...owners]);
        await upsertOrders(tx, shop, [order]);
        await recomputeAggregates(tx, shop, [...owners]);
        const since = new Date();
        const moved = await deps.onCustomersChanged?.(tx, shop, [...owners]);
        await deps.onApplied?.(
          tx,
          shop,
          { orders: [order], customers: [], checkouts: [], customerIds: [...owners] },
          since,
        );
        return moved;
      });
      if (moved) await deps.onSegmentsMoved?.(shop);
      await deps.onOrdersApplied?.(shop);
      return;
    }
    case "customers/create":
    case "customers/update": {
      const { row, absent } = customerRowFromPayload(topic, payload);
      const moved = await prisma.$transaction(async (tx) => {
        await lock(tx, shop, "customer", [row.id]);
        const merged = absent.length > 0 ? await keepStored(tx, shop, row, absent) : row;
        await upsertCustomers(tx, shop, [merged]);
        // Orders may have arrived before their customer.
        await recomputeAggregates(tx, shop, [row.id]);
        const since = new Date();
        const moved = await deps.onCustomersChanged?.(tx, shop, [row.id]);
        await deps.onApplied?.(
          tx,
          shop,
          { orders: [], customers: [merged], checkouts: [], customerIds: [row.id] },
          since,
        );
        return moved;
      });
      if (moved) await deps.onSegmentsMoved?.(shop);
      return;
    }
    case "customers/delete": {
      const id = deletedCustomerId(topic, payload);
      // Exports already made for the merchant (DataRequest) are kept; only redaction removes them.
      await prisma.customer.deleteMany({ where: { shop, id } });
      return;
    }
    case "checkouts/create":
    case "checkouts/update":
      await prisma.$transaction(async (tx) => {
        const checkout = checkoutRowFromPayload(topic, payload);
        await upsertCheckouts(tx, shop, [checkout]);
        const ids = checkout.customerId === null ? [] : [checkout.customerId];
        await deps.onApplied?.(
          tx,
          shop,
          { orders: [], customers: [], checkouts: [checkout], customerIds: ids },
          new Date(),
        );
      });
      return;
    case "products/create":
    case "products/update":
    case "products/delete":
      await processProductWebhook(prisma, shop, topic, payload);
      return;
    case "bulk_operations/finish": {
      const finished = bulkFinishFromPayload(topic, payload);
      await deps.onBulkFinished(shop, finished.admin_graphql_api_id, finished);
      return;
    }
    case "app/uninstalled":
      if (!(await recordUninstall(prisma, shop, d.triggeredAt))) {
        deps.log(`app/uninstalled for ${shop} ignored: triggered before the current installation began`);
        return { ignored: "ignored: triggered before the current installation" };
      }
      await deps.stopShop(shop);
      deps.log(`shop ${shop} uninstalled: work stopped`);
      return;
    case "app/scopes_update":
      await recordScopes(prisma, { shop, scopes: scopesFromPayload(topic, payload) });
      return;
    case "customers/data_request": {
      const id = await handleDataRequest(prisma, shop, dataRequestFromPayload(topic, payload), {
        webhookId: d.webhookId,
        now: deps.now(),
      });
      deps.log(`customers/data_request for ${shop}: export ${id} stored`);
      return;
    }
    case "customers/redact": {
      const counts = await redactCustomer(
        prisma,
        shop,
        customerRedactionFromPayload(topic, payload),
        d.triggeredAt,
      );
      deps.log(
        `customers/redact for ${shop}: deleted ${counts.customers} customer, ${counts.orders} orders, ${counts.checkouts} checkouts, ${counts.dataRequests} exports; ${counts.deliveries} stored deliveries kept without personal data`,
      );
      return;
    }
    case "shop/redact": {
      const counts = await redactShop(prisma, shop);
      deps.log(
        `shop/redact for ${shop}: deleted ${Object.entries(counts)
          .map(([t, n]) => `${t} ${n}`)
          .join(", ")}`,
      );
      return;
    }
    default: {
      const unreachable: never = topic;
      throw new Error(`unhandled topic ${String(unreachable)}`);
    }
  }
}

/** Fields a payload did not carry keep their stored values (e.g. a payload without consent keys). */
export async function keepStored(
  tx: Db,
  shop: string,
  row: CustomerRow,
  absent: Array<keyof CustomerRow>,
): Promise<CustomerRow> {
  const stored = await tx.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `SELECT * FROM "Customer" WHERE shop = $1 AND id = $2::bigint`,
    shop,
    row.id.toString(),
  );
  const current = stored[0];
  if (!current) return row;
  const merged: Record<string, unknown> = { ...row };
  for (const field of absent) merged[field] = current[field] ?? null;
  return merged as unknown as CustomerRow;
}
