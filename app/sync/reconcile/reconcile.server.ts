import { randomUUID } from "node:crypto";
import type { PrismaClient, SyncRun } from "@prisma/client";
import { callAdmin } from "../../admin-api/graphql-client.server";
import { parseCustomerLine, parseOrderLine } from "../backfill/parse-lines";
import { BACKFILL_KIND } from "../backfill/run-backfill.server";
import type { CustomerRow, OrderRow } from "../rows";
import type { AdminGraphql } from "../store-overview.server";
import { refreshProductSales } from "../products/store-products.server";
import { dropRedactedRows } from "../compliance/redactions.server";
import {
  addOrderProducts,
  ownersOfOrders,
  recomputeAggregates,
  upsertCustomers,
  upsertOrders,
} from "../store.server";
import { readOrderProducts, unstoredOrderIds } from "./order-products.server";
import { reconcileProducts } from "./reconcile-products.server";

// Periodic reconciliation: re-reads the customers and orders Shopify updated since the last
// successful sync and upserts them (stale-safe), so a webhook that never arrived heals within one
// period. Records are converted by the backfill's own line parsers (same fields, same mapping);
// orders come without line items (a page of them would cost too much), so their products stay as
// stored — except for orders the app never stored, whose products are read on their own
// (order-products.server.ts). Then the products updated since, and each product's sales count.

export const RECONCILE_KIND = "reconcile";
/** Re-read a little before the last sync began: clocks differ and writes land late. */
export const SAFETY_MARGIN_MS = 10 * 60_000;
// Shopify refuses a query whose requested cost is over 1,000 points, and a connection costs its
// page size times what one node asks for: a customer here ~5 points, an order ~9.
export const CUSTOMERS_PAGE_SIZE = 150;
export const ORDERS_PAGE_SIZE = 100;

export interface ReconcileDeps {
  prisma: PrismaClient;
  admin: AdminGraphql;
  /** One line per event; never personal data or tokens. */
  log(line: string): void;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** Page size of every read (tests use small pages); by default each query's own. */
  pageSize?: number;
}

export const RECONCILE_CUSTOMERS_QUERY = `#graphql
  query ReconcileCustomers($first: Int!, $after: String, $query: String) {
    customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        firstName
        lastName
        email
        phone
        createdAt
        updatedAt
        locale
        tags
        emailMarketingConsent {
          marketingState
          marketingOptInLevel
          consentUpdatedAt
        }
        smsMarketingConsent {
          marketingState
          marketingOptInLevel
          consentUpdatedAt
        }
        defaultAddress {
          countryCodeV2
          provinceCode
          timeZone
        }
        statistics {
          rfmGroup
        }
      }
    }
  }
`;

export const RECONCILE_ORDERS_QUERY = `#graphql
  query ReconcileOrders($first: Int!, $after: String, $query: String) {
    shop {
      currencyCode
    }
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        createdAt
        updatedAt
        cancelledAt
        test
        customer {
          id
        }
        currentTotalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        totalDiscountsSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        discountCodes
        landingPageUrl
        customerJourneySummary {
          firstVisit {
            landingPage
            referrerUrl
            utmParameters {
              source
              medium
              campaign
            }
          }
        }
      }
    }
  }
`;

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

/** Shopify search syntax for "updated after": `updated_at:>'2026-11-20T11:50:00Z'`. */
export function updatedSinceQuery(since: Date): string {
  return `updated_at:>'${since.toISOString().replace(/\.\d{3}Z$/, "Z")}'`;
}

/**
 * Where the next reconciliation starts: the start of the last completed reconciliation or
 * backfill (a bulk export is a snapshot taken when it started), minus the safety margin.
 * null: the shop was never synced — the backfill, not reconciliation, brings it in.
 */
export async function reconcileSince(prisma: PrismaClient, shop: string): Promise<Date | null> {
  const last = await prisma.syncRun.findFirst({
    where: { shop, kind: { in: [RECONCILE_KIND, BACKFILL_KIND] }, status: "completed" },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  return last ? new Date(last.startedAt.getTime() - SAFETY_MARGIN_MS) : null;
}

export interface ReconcileResult {
  status: "completed" | "skipped";
  since: Date | null;
  customersRead: number;
  ordersRead: number;
  productsRead: number;
  linesSkipped: number;
  run: SyncRun | null;
}

const NOTHING_READ = { customersRead: 0, ordersRead: 0, productsRead: 0, linesSkipped: 0, run: null };

export async function reconcileShop(deps: ReconcileDeps, shop: string): Promise<ReconcileResult> {
  const { prisma, log } = deps;
  const installed = await prisma.shop.findUnique({
    where: { domain: shop },
    select: { uninstalledAt: true },
  });
  if (!installed || installed.uninstalledAt) {
    log(`reconcile ${shop}: shop ${installed ? "uninstalled" : "unknown"}, skipped`);
    return { status: "skipped", since: null, ...NOTHING_READ };
  }
  const since = await reconcileSince(prisma, shop);
  if (!since) {
    log(`reconcile ${shop}: never synced, skipped (the backfill brings the data in)`);
    return { status: "skipped", since, ...NOTHING_READ };
  }
  const startedAt = deps.now();
  const run = await prisma.syncRun.create({
    data: { id: randomUUID(), shop, kind: RECONCILE_KIND, status: "running", phase: "customers", startedAt },
  });
  const query = updatedSinceQuery(since);
  const callOptions = { sleep: deps.sleep, log };
  let customersRead = 0;
  let ordersRead = 0;
  let productsRead = 0;
  let linesSkipped = 0;
  const skip = (what: string, reason: string) => {
    linesSkipped++;
    log(`reconcile ${shop}: skipped a ${what}: ${reason}`);
  };

  try {
    // Customers first, so orders' aggregates land on customer rows that exist.
    for (let after: string | null = null; ;) {
      const data: { customers: Page<unknown> } = await callAdmin(
        deps.admin,
        RECONCILE_CUSTOMERS_QUERY,
        { first: deps.pageSize ?? CUSTOMERS_PAGE_SIZE, after, query },
        callOptions,
      );
      const rows: CustomerRow[] = [];
      for (const node of data.customers.nodes) {
        const result = parseCustomerLine(JSON.stringify(node), 0);
        if (result.kind === "row") rows.push(result.row);
        else if (result.kind === "error") skip("customer", result.reason);
      }
      await upsertCustomers(prisma, shop, rows);
      await recomputeAggregates(
        prisma,
        shop,
        rows.map((r) => r.id),
      );
      customersRead += rows.length;
      if (!data.customers.pageInfo.hasNextPage || !data.customers.pageInfo.endCursor) break;
      after = data.customers.pageInfo.endCursor;
    }
    await prisma.syncRun.update({ where: { id: run.id }, data: { phase: "orders", customersRead } });

    for (let after: string | null = null; ;) {
      const data: { shop: { currencyCode: string }; orders: Page<unknown> } = await callAdmin(
        deps.admin,
        RECONCILE_ORDERS_QUERY,
        { first: deps.pageSize ?? ORDERS_PAGE_SIZE, after, query },
        callOptions,
      );
      const rows: OrderRow[] = [];
      for (const node of data.orders.nodes) {
        const result = parseOrderLine(JSON.stringify(node), 0, data.shop.currencyCode);
        if (result.kind === "row") rows.push(result.row);
        else if (result.kind === "error") skip("order", result.reason);
      }
      const ids = rows.map((r) => r.id);
      const owners = new Set(await ownersOfOrders(prisma, shop, ids));
      for (const row of rows) if (row.customerId !== null) owners.add(row.customerId);
      const missed = await unstoredOrderIds(prisma, shop, ids);
      await upsertOrders(prisma, shop, rows);
      await recomputeAggregates(prisma, shop, [...owners]);
      if (missed.length > 0) {
        await addOrderProducts(
          prisma,
          shop,
          await readOrderProducts({ admin: deps.admin, call: callOptions, skip }, missed),
        );
      }
      ordersRead += rows.length;
      if (!data.orders.pageInfo.hasNextPage || !data.orders.pageInfo.endCursor) break;
      after = data.orders.pageInfo.endCursor;
    }
    // Rows of a customer redacted while their page was being written (the writes skip the rest).
    const dropped = await dropRedactedRows(prisma, shop);
    if (dropped > 0) log(`reconcile ${shop}: ${dropped} rows of redacted customers dropped`);
    await prisma.syncRun.update({ where: { id: run.id }, data: { phase: "products", ordersRead } });
    productsRead = await reconcileProducts({
      db: prisma,
      admin: deps.admin,
      shop,
      query,
      call: callOptions,
      skip,
      pageSize: deps.pageSize,
    });
    // Orders came in (by webhook or now): the best sellers cross-sells rank by may have moved.
    if (ordersRead > 0) await refreshProductSales(prisma, shop);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await prisma.syncRun.update({
      where: { id: run.id },
      data: {
        status: "failed",
        error: message.slice(0, 500),
        customersRead,
        ordersRead,
        productsRead,
        linesSkipped,
        finishedAt: deps.now(),
      },
    });
    log(`reconcile ${shop}: failed: ${message.slice(0, 500)}`);
    throw error;
  }
  const done = await prisma.syncRun.update({
    where: { id: run.id },
    data: {
      status: "completed",
      phase: "done",
      customersRead,
      ordersRead,
      productsRead,
      linesSkipped,
      finishedAt: deps.now(),
    },
  });
  log(
    `reconcile ${shop}: ${customersRead} customers, ${ordersRead} orders and ${productsRead} products updated since ${since.toISOString()} re-read`,
  );
  return { status: "completed", since, customersRead, ordersRead, productsRead, linesSkipped, run: done };
}
