import { readFileSync } from "node:fs";
import type { Prisma, PrismaClient } from "@prisma/client";
import { BUILT_IN_FLOWS } from "~/flows/built-in";
import { enterFlows, enterFlowsAfterRescore } from "~/flows/enter-flows.server";
import { flowEventsFrom } from "~/flows/flow-events.server";
import { flowIdFor } from "~/flows/ids";
import { runDueSteps } from "~/flows/run-due-steps.server";
import { DEFAULT_AUDIENCE_SETTINGS } from "~/messaging/rules/settings";
import { rescoreCustomersIn, rescoreShop } from "~/segments/rescore.server";
import { recordInstall } from "~/shops.server";
import { orderFamilies } from "~/sync/backfill/order-lines";
import { parseCustomerLine, type LineResult } from "~/sync/backfill/parse-lines";
import { productFamilies } from "~/sync/backfill/product-lines";
import { refreshProductSales, upsertProducts } from "~/sync/products/store-products.server";
import type { CheckoutRow, CustomerRow, OrderRow, ProductRow } from "~/sync/rows";
import { recomputeAggregates, upsertCheckouts, upsertCustomers, upsertOrders } from "~/sync/store.server";
import { checkoutRowFromPayload } from "~/sync/webhooks/checkout-payloads";
import type { AppliedChanges } from "~/sync/webhooks/process-webhook.server";
import type { FlowHistoryFiles } from "../../support/flow-history";

// A shop's history (the flows command's files) lived by the app's runtime on a clock the test
// moves: the shop as the backfill stored it at `from` (scored once), then every webhook of the
// window in one transaction each, as the app processes it (store; recompute and rescore the
// customer; flowEventsFrom; enterFlows), the nightly rescore at 00:00 UTC with
// enterFlowsAfterRescore, and runDueSteps at every moment a step is due. Read with the app's own
// readers (the backfill's and the webhooks'), not the command's.

export interface History {
  customers: CustomerRow[];
  orders: OrderRow[];
  products: ProductRow[];
  checkouts: CheckoutRow[];
}

export interface OutboxMessage {
  status: string;
  skipReason: string | null;
  channel: string;
  sendAt: string | null;
}

type Parse<T> = (text: string, line: number) => LineResult<T> | { kind: "held" };

function rowsOf<T>(file: string, parse: Parse<T>): T[] {
  const rows: T[] = [];
  const lines = readFileSync(file, "utf8").split("\n");
  lines.forEach((text, i) => {
    if (text === "") return;
    const result = parse(text, i + 1);
    if (result.kind === "row") rows.push(result.row);
    else if (result.kind === "error") throw new Error(`${file}:${i + 1}: ${result.reason}`);
  });
  return rows;
}

export function readHistory(files: FlowHistoryFiles, currency = "USD"): History {
  const orderReader = orderFamilies(currency);
  const productReader = productFamilies();
  return {
    customers: rowsOf(files.customers, parseCustomerLine),
    orders: [...rowsOf(files.orders, (t, l) => orderReader.parse(t, l)), ...orderReader.end()],
    products: [...rowsOf(files.products, (t, l) => productReader.parse(t, l)), ...productReader.end()],
    checkouts: rowsOf(files.checkouts, (text) => ({
      kind: "row",
      row: checkoutRowFromPayload("checkouts/update", JSON.parse(text)),
    })),
  };
}

type Happening =
  | { at: Date; rank: 0 }
  | { at: Date; rank: 1; id: bigint; checkout: CheckoutRow }
  | { at: Date; rank: 2; id: bigint; order: OrderRow }
  | { at: Date; rank: 3; id: bigint; customer: CustomerRow; channel: "email" | "sms" };

/** The window's webhooks in order: at one instant the 00:00 UTC rescore, checkouts, orders, consents (each by id). */
function happenings(history: History, from: Date, until: Date): Happening[] {
  const inWindow = (at: Date | null): at is Date => at !== null && at >= from && at < until;
  const all: Happening[] = [];
  for (let t = Math.floor(from.getTime() / 86_400_000 + 1) * 86_400_000; t < until.getTime(); t += 86_400_000)
    all.push({ at: new Date(t), rank: 0 });
  for (const checkout of history.checkouts)
    if (inWindow(checkout.shopifyUpdatedAt))
      all.push({ at: checkout.shopifyUpdatedAt, rank: 1, id: checkout.id, checkout });
  for (const order of history.orders)
    if (order.customerId !== null && inWindow(order.shopifyCreatedAt))
      all.push({ at: order.shopifyCreatedAt, rank: 2, id: order.id, order });
  for (const customer of history.customers) {
    if (customer.emailMarketingState === "SUBSCRIBED" && inWindow(customer.emailConsentUpdatedAt))
      all.push({ at: customer.emailConsentUpdatedAt, rank: 3, id: customer.id, customer, channel: "email" });
    if (customer.smsMarketingState === "SUBSCRIBED" && inWindow(customer.smsConsentUpdatedAt))
      all.push({ at: customer.smsConsentUpdatedAt, rank: 3, id: customer.id, customer, channel: "sms" });
  }
  const idOf = (h: Happening) => ("id" in h ? h.id : 0n);
  return all.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      a.rank - b.rank ||
      (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0),
  );
}

/** The history through the app's runtime; the flows' outbox rows by message id. */
export async function replayInApp(
  prisma: PrismaClient,
  {
    shop,
    timeZone,
    from,
    until,
    history,
    settings = {},
  }: {
    shop: string;
    timeZone: string;
    from: Date;
    until: Date;
    history: History;
    /** per flow key, a FlowSettings entry (`enabled` becomes the Flow row's status) */
    settings?: Record<string, Prisma.InputJsonObject>;
  },
): Promise<Map<string, OutboxMessage>> {
  await recordInstall(prisma, { shop, scopes: "read_customers,read_orders,read_products" });
  await prisma.shop.update({
    where: { domain: shop },
    data: { ianaTimezone: timeZone, currencyCode: "USD" },
  });
  for (const key of Object.keys(BUILT_IN_FLOWS)) {
    const { enabled = true, ...setting } = settings[key] ?? {};
    await prisma.flow.create({
      data: {
        id: flowIdFor(shop, key),
        shop,
        key,
        status: enabled === false ? "off" : "on",
        setting: { ...setting },
      },
    });
  }
  await upsertCustomers(prisma, shop, history.customers);
  await upsertProducts(prisma, shop, history.products);
  await upsertOrders(
    prisma,
    shop,
    history.orders.filter((o) => o.shopifyCreatedAt < from),
  );
  await upsertCheckouts(
    prisma,
    shop,
    history.checkouts.filter((k) => k.shopifyUpdatedAt < from),
  );
  await recomputeAggregates(prisma, shop);
  await refreshProductSales(prisma, shop);
  await rescoreShop({ prisma, now: () => from, log: () => undefined }, shop);

  let clock = from;
  const deps = {
    prisma,
    now: () => clock,
    audienceFor: async () => DEFAULT_AUDIENCE_SETTINGS,
    log: () => undefined,
  };
  // one webhook's transaction: store, rescore the customers it touched, enter the flows
  const webhook = (
    customerIds: bigint[],
    apply: (tx: Prisma.TransactionClient) => Promise<Omit<AppliedChanges, "customerIds">>,
    rescore = true,
  ) =>
    prisma.$transaction(async (tx) => {
      const applied = { ...(await apply(tx)), customerIds };
      if (rescore && customerIds.length > 0) await rescoreCustomersIn(tx, shop, clock, customerIds);
      await enterFlows(tx, shop, await flowEventsFrom(tx, shop, applied, clock), clock);
    });
  // No dispatcher runs here: a message queued for a moment before the replay's next one has gone out
  // by then, as it would have in the app (an order withdraws only what is still queued).
  const dispatch = () =>
    prisma.outboxMessage.updateMany({
      where: { shop, status: "queued", enrollmentId: { not: null }, sendAt: { lt: clock } },
      data: { status: "sent" },
    });
  const queue = happenings(history, from, until);
  for (let h = 0; ;) {
    const next = queue[h];
    const { _min } = await prisma.flowEnrollment.aggregate({
      where: { shop, status: "waiting" },
      _min: { wakeAt: true },
    });
    const wake = _min.wakeAt && _min.wakeAt < until ? _min.wakeAt : null;
    if (!next && !wake) break;
    if (next && (!wake || next.at <= wake)) {
      h++;
      clock = next.at;
      await dispatch();
      if (next.rank === 0) {
        await rescoreShop({ prisma, now: () => clock, log: () => undefined }, shop);
        await enterFlowsAfterRescore(prisma, shop, clock, clock);
      } else if (next.rank === 1) {
        // checkouts/*: stored, not rescored
        const { checkout } = next;
        const ids = checkout.customerId === null ? [] : [checkout.customerId];
        await webhook(
          ids,
          async (tx) => {
            await upsertCheckouts(tx, shop, [checkout]);
            return { orders: [], customers: [], checkouts: [checkout] };
          },
          false,
        );
      } else if (next.rank === 2) {
        const { order } = next;
        const ids = order.customerId === null ? [] : [order.customerId];
        await webhook(ids, async (tx) => {
          await upsertOrders(tx, shop, [order]);
          await recomputeAggregates(tx, shop, ids);
          return { orders: [order], customers: [], checkouts: [] };
        });
      } else {
        // a customers/update that gave this channel's consent (the other channel's is its own update)
        const other =
          next.channel === "email" ? { smsConsentUpdatedAt: null } : { emailConsentUpdatedAt: null };
        const customer = { ...next.customer, ...other };
        await webhook([customer.id], async () => ({ orders: [], customers: [customer], checkouts: [] }));
      }
    } else if (wake) {
      clock = wake;
      await dispatch();
      await runDueSteps(deps);
    }
  }
  const rows = await prisma.outboxMessage.findMany({ where: { shop, enrollmentId: { not: null } } });
  return new Map(
    rows.map((r) => [
      r.id,
      {
        // what the command calls a send, queued or already gone
        status: r.status === "sent" ? "queued" : r.status,
        skipReason: r.skipReason,
        channel: r.channel,
        sendAt: r.sendAt?.toISOString() ?? null,
      },
    ]),
  );
}
