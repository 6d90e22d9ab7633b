import { randomUUID } from "node:crypto";
import type { PrismaClient, SyncRun } from "@prisma/client";
import { z } from "zod";
import type { AdminGraphql } from "../store-overview.server";
import { refreshProductSales, retireUnlistedProducts } from "../products/store-products.server";
import { dropRedactedRows } from "../compliance/redactions.server";
import { recomputeAggregates } from "../store.server";
import {
  bulkFailureMessage,
  cancelQuietly,
  FAILED_STATUSES,
  readBulkOperation,
  runBulkQuery,
  type BulkExport,
} from "./bulk-operations.server";
import { BACKFILL_SHOP_QUERY, CUSTOMERS_BULK_QUERY, ORDERS_BULK_QUERY, PRODUCTS_BULK_QUERY } from "./documents";
import { AdminApiError, callAdmin } from "../../admin-api/graphql-client.server";
import { streamExport, type ExportTarget } from "./load-export.server";
import type { StreamProgress } from "./stream-jsonl.server";
import { isSyncPhase, type SyncPhase } from "../sync-progress";

export { bulkFailureMessage } from "./bulk-operations.server";

// The bulk backfill as a small state machine on one SyncRun row:
//
//   requesting → waiting → customers → orders → products → aggregating → done  (running → completed)
//        └──────────┴── a bulk operation FAILED / CANCELED / EXPIRED ──→  status failed
//
// A run started before products were synced has no products operation: it skips that phase.
//
// Every phase is idempotent (upserts keyed by (shop, id), recomputation from stored orders), so a
// process killed anywhere resumes by redoing its current phase: `continueBackfill` again. Phase
// changes are conditional updates (WHERE phase = the phase we did), so callers that overlap never
// move a run twice or backwards; within one process a second concurrent call for the same run
// returns at once instead of doing the work twice.

export interface BackfillDeps {
  prisma: PrismaClient;
  /** writes the files' batches (default `prisma`; the app passes db.server's `bulkWriter()`) */
  writer?: ExportTarget["db"];
  admin: AdminGraphql;
  log(line: string): void;
  now(): Date;
  sleep(ms: number): Promise<void>;
  fetch?: typeof fetch;
  /** rows per upsert batch (default 2,000) */
  batchSize?: number;
  /** called after each progress write; throwing stops the run where it is (it stays resumable) */
  onProgress?(run: Pick<SyncRun, "id" | "phase" | "customersRead" | "ordersRead" | "productsRead">): void | Promise<void>;
  /** how often to write progress (default 500 ms) */
  progressIntervalMs?: number;
}

export type BackfillPhase = SyncPhase;
export type BackfillStatus = "running" | "completed" | "failed";
export const BACKFILL_KIND = "backfill";

const ShopResult = z.object({
  shop: z.object({
    name: z.string(),
    currencyCode: z.string(),
    ianaTimezone: z.string(),
    primaryDomain: z.object({ url: z.string() }).nullable().optional(),
    billingAddress: z.object({ countryCodeV2: z.string().nullable().optional() }).nullable().optional(),
  }),
});

/** The run moved on (another worker, or it failed) while we worked on it: stop quietly. */
class Superseded extends Error {
  override name = "Superseded";
}

const inProcess = new Map<string, Promise<SyncRun | null>>();

const callOpts = (deps: BackfillDeps) => ({ sleep: deps.sleep, log: deps.log });

async function refreshShop(deps: BackfillDeps, shop: string): Promise<string> {
  const data = ShopResult.parse(await callAdmin(deps.admin, BACKFILL_SHOP_QUERY, undefined, callOpts(deps)));
  const fields = {
    name: data.shop.name,
    currencyCode: data.shop.currencyCode,
    ianaTimezone: data.shop.ianaTimezone,
    primaryDomain: data.shop.primaryDomain?.url ?? null,
    countryCode: data.shop.billingAddress?.countryCodeV2 ?? null,
  };
  // The install hook creates the row with the granted scopes; this only fills in shop facts.
  await deps.prisma.shop.upsert({ where: { domain: shop }, create: { domain: shop, scopes: "", ...fields }, update: fields });
  return data.shop.currencyCode;
}

async function failRun(deps: BackfillDeps, run: SyncRun, message: string): Promise<void> {
  await deps.prisma.syncRun.updateMany({
    where: { id: run.id, status: "running" },
    data: { status: "failed", error: message, finishedAt: deps.now() },
  });
  deps.log(`backfill ${run.id} (${run.shop}) failed: ${message}`);
}

/** Moves the run from `from` to the next phase; false when someone else already did. */
async function advance(deps: BackfillDeps, run: SyncRun, from: BackfillPhase, data: Partial<SyncRun>): Promise<boolean> {
  const { count } = await deps.prisma.syncRun.updateMany({ where: { id: run.id, status: "running", phase: from }, data });
  return count === 1;
}

/**
 * Starts a backfill of the shop's customers, orders and products: one SyncRun, three bulk queries.
 * While one runs for the shop, returns that one instead of starting another.
 */
export async function startBackfill(deps: BackfillDeps, shop: string): Promise<SyncRun> {
  const running = await deps.prisma.syncRun.findFirst({
    where: { shop, kind: BACKFILL_KIND, status: "running" },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
  });
  if (running) return running;
  const id = randomUUID();
  // One running backfill per shop, race-free without a unique index: the per-shop transaction
  // lock orders concurrent starts, and the insert (its own snapshot) sees a committed rival.
  const at = deps.now();
  const [, inserted] = await deps.prisma.$transaction([
    deps.prisma.$executeRawUnsafe(`SELECT 1 FROM pg_advisory_xact_lock(hashtext($1))`, `backfill:${shop}`),
    deps.prisma.$executeRawUnsafe(
      `INSERT INTO "SyncRun" (id, shop, kind, status, phase, "startedAt", "updatedAt")
       SELECT $1, $2, $3, 'running', 'requesting', $4::timestamp, $4::timestamp
       WHERE NOT EXISTS (SELECT 1 FROM "SyncRun" WHERE shop = $2 AND kind = $3 AND status = 'running')`,
      id,
      shop,
      BACKFILL_KIND,
      at.toISOString(),
    ),
  ]);
  if (inserted !== 1) {
    const rival = await deps.prisma.syncRun.findFirst({ where: { shop, kind: BACKFILL_KIND, status: "running" } });
    if (rival) return rival;
    return startBackfill(deps, shop); // it finished in between
  }
  deps.log(`backfill ${id} (${shop}) started`);
  return (await continueBackfill(deps, id, { untilPhase: "waiting" })) ?? (await loadRun(deps, id));
}

async function loadRun(deps: BackfillDeps, id: string): Promise<SyncRun> {
  return deps.prisma.syncRun.findUniqueOrThrow({ where: { id } });
}

/** A failed (or finished) run's shop gets a new backfill; a running one is returned as it is. */
export async function retryBackfill(deps: BackfillDeps, runId: string): Promise<SyncRun> {
  const run = await loadRun(deps, runId);
  return startBackfill(deps, run.shop);
}

export interface ContinueOptions {
  /** keep polling the bulk operations (every `pollIntervalMs`) instead of returning while they run */
  waitForBulk?: boolean;
  pollIntervalMs?: number;
  /** stop once the run reaches this phase (used by startBackfill) */
  untilPhase?: BackfillPhase;
}

/**
 * Drives the run as far as it can go now: requests what is missing, reads the bulk operations,
 * loads customers then orders, recomputes aggregates. Safe to call again at any time (after a
 * crash, from the bulk_operations/finish webhook, from a periodic job); returns the run as it
 * stands, still `running` in phase `waiting` while Shopify prepares the files.
 */
export async function continueBackfill(deps: BackfillDeps, runId: string, options: ContinueOptions = {}): Promise<SyncRun | null> {
  const ongoing = inProcess.get(runId);
  if (ongoing) {
    await ongoing.catch(() => undefined);
    return deps.prisma.syncRun.findUnique({ where: { id: runId } });
  }
  const work = drive(deps, runId, options);
  inProcess.set(runId, work);
  try {
    return await work;
  } finally {
    inProcess.delete(runId);
  }
}

async function drive(deps: BackfillDeps, runId: string, options: ContinueOptions): Promise<SyncRun | null> {
  for (;;) {
    const run = await deps.prisma.syncRun.findUnique({ where: { id: runId } });
    if (!run || run.status !== "running") return run;
    // The row is read back from the database: an unknown phase is an error, not a guess.
    if (!isSyncPhase(run.phase)) throw new Error(`SyncRun ${run.id}: unknown phase "${run.phase}"`);
    const phase: BackfillPhase = run.phase;
    if (options.untilPhase && phase === options.untilPhase) return run;
    try {
      const next = await step(deps, run, phase, options);
      if (next === "stop") return await deps.prisma.syncRun.findUnique({ where: { id: runId } });
    } catch (error) {
      if (error instanceof Superseded) continue;
      if (error instanceof AdminApiError && error.userErrors.length > 0) {
        await failRun(deps, run, error.message);
        continue;
      }
      throw error;
    }
  }
}

const QUERIES: Record<BulkExport, string> = {
  customers: CUSTOMERS_BULK_QUERY,
  orders: ORDERS_BULK_QUERY,
  products: PRODUCTS_BULK_QUERY,
};
const EXPORTS = ["customers", "orders", "products"] as const;
/**
 * The phase after loading each export. Orders load first, so each customer's row is written once
 * with its aggregates (upsertCustomers `withAggregates`) instead of being rewritten afterwards.
 */
const AFTER = { orders: "customers", customers: "products", products: "aggregating" } as const;

// The SyncRun columns of each export.
const bulkIdOf = (run: SyncRun, what: BulkExport): string | null =>
  what === "customers" ? run.customersBulkId : what === "orders" ? run.ordersBulkId : run.productsBulkId;
const bulkIdColumn = (what: BulkExport, id: string | null) =>
  what === "customers" ? { customersBulkId: id } : what === "orders" ? { ordersBulkId: id } : { productsBulkId: id };
const readColumn = (what: BulkExport, n: number) =>
  what === "customers" ? { customersRead: n } : what === "orders" ? { ordersRead: n } : { productsRead: n };
const totalColumn = (what: BulkExport, n: number) =>
  what === "customers" ? { customersTotal: n } : what === "orders" ? { ordersTotal: n } : { productsTotal: n };

async function step(deps: BackfillDeps, run: SyncRun, phase: BackfillPhase, options: ContinueOptions): Promise<"next" | "stop"> {
  switch (phase) {
    case "requesting": {
      await refreshShop(deps, run.shop);
      // Each id is saved as soon as its operation exists, so a crash here never starts it twice.
      for (const what of EXPORTS) {
        if (bulkIdOf(run, what)) continue;
        const id = await runBulkQuery(deps, QUERIES[what], what);
        await deps.prisma.syncRun.updateMany({
          where: { id: run.id, phase: "requesting", ...bulkIdColumn(what, null) },
          data: bulkIdColumn(what, id),
        });
      }
      const fresh = await loadRun(deps, run.id);
      if (EXPORTS.every((what) => bulkIdOf(fresh, what))) await advance(deps, run, "requesting", { phase: "waiting" });
      return "next";
    }
    case "waiting": {
      const requested = EXPORTS.filter((what) => what !== "products" || run.productsBulkId);
      const ops = await Promise.all(requested.map((what) => readBulkOperation(deps, bulkIdOf(run, what) ?? "")));
      for (const [i, what] of requested.entries()) {
        const op = ops[i] ?? null;
        if (!op || FAILED_STATUSES.includes(op.status)) {
          await failRun(deps, run, bulkFailureMessage(what, op));
          await cancelQuietly(deps, ops);
          return "next";
        }
      }
      if (ops.every((op) => op?.status === "COMPLETED")) {
        const data: Partial<SyncRun> = { phase: "orders" };
        for (const [i, what] of requested.entries()) Object.assign(data, totalColumn(what, Number(ops[i]?.rootObjectCount ?? 0)));
        await advance(deps, run, "waiting", data);
        return "next";
      }
      if (!options.waitForBulk) return "stop";
      await deps.sleep(options.pollIntervalMs ?? 1000);
      return "next";
    }
    case "customers":
    case "orders":
    case "products": {
      // A run requested before products were synced has nothing to load for them.
      const loadedSince = await databaseNow(deps.prisma);
      const result = bulkIdOf(run, phase) ? await loadFile(deps, run, phase) : { stored: 0, skipped: 0 };
      if (phase === "products" && bulkIdOf(run, phase)) {
        const retired = await retireUnlistedProducts(deps.prisma, run.shop, loadedSince, run.startedAt);
        if (retired > 0) deps.log(`backfill ${run.id} (${run.shop}): ${retired} products deleted in Shopify marked deleted`);
      }
      // linesSkipped holds the earlier files' count until now (it is only written at phase changes)
      const skipped = (phase === "orders" ? 0 : run.linesSkipped) + result.skipped;
      await advance(deps, run, phase, { phase: AFTER[phase], ...readColumn(phase, result.stored), linesSkipped: skipped });
      return "next";
    }
    case "aggregating": {
      deps.log(`backfill ${run.id} (${run.shop}): recomputing aggregates`);
      // Rows of a customer redacted while their batch was being written (the writes skip the rest).
      const dropped = await dropRedactedRows(deps.prisma, run.shop);
      if (dropped > 0) deps.log(`backfill ${run.id} (${run.shop}): ${dropped} rows of redacted customers dropped`);
      await recomputeAggregates(deps.prisma, run.shop);
      await refreshProductSales(deps.prisma, run.shop);
      // The tables just grew by the shop's whole history: fresh statistics before the rescore and
      // the first webhooks plan against them (autovacuum would get there, later).
      await deps.prisma.$executeRawUnsafe(`ANALYZE "Customer", "Order", "Product"`);
      if (await advance(deps, run, "aggregating", { phase: "done", status: "completed", finishedAt: deps.now() })) {
        deps.log(
          `backfill ${run.id} (${run.shop}) completed: ${run.customersRead} customers, ${run.ordersRead} orders, ${run.productsRead} products, ${run.linesSkipped} lines skipped`,
        );
      }
      return "next";
    }
    default:
      await failRun(deps, run, `The sync stopped in an unknown state (${String(phase)}). Start it again.`);
      return "next";
  }
}

/** The database's clock: rows' `syncedAt` are written by it. */
async function databaseNow(prisma: PrismaClient): Promise<Date> {
  const [row] = await prisma.$queryRawUnsafe<Array<{ now: Date }>>(`SELECT now() AS now`);
  if (!(row?.now instanceof Date)) throw new Error("the database did not tell its time");
  return row.now;
}

async function loadFile(deps: BackfillDeps, run: SyncRun, what: BulkExport): Promise<StreamProgress> {
  const op = await readBulkOperation(deps, bulkIdOf(run, what) ?? "");
  if (!op || op.status !== "COMPLETED") {
    await failRun(deps, run, bulkFailureMessage(what, op));
    throw new Superseded();
  }
  if (!op.url) return { lines: 0, stored: 0, skipped: 0, bytes: 0 }; // no objects: Shopify gives no file
  let currency = "";
  if (what === "orders") {
    const shop = await deps.prisma.shop.findUnique({ where: { domain: run.shop } });
    currency = shop?.currencyCode ?? (await refreshShop(deps, run.shop));
  }
  deps.log(`backfill ${run.id} (${run.shop}): loading ${what}`);
  const db = deps.prisma;
  const options = {
    url: op.url,
    label: what,
    fetch: deps.fetch,
    log: deps.log,
    batchSize: deps.batchSize ?? 2000,
    // Two batches in flight let parsing overlap the database's work (see docs/benchmarks.md).
    concurrency: 2,
    progressIntervalMs: deps.progressIntervalMs ?? 500,
    now: () => deps.now().getTime(),
    onProgress: async (progress: StreamProgress) => {
      const { count } = await db.syncRun.updateMany({
        where: { id: run.id, status: "running", phase: what },
        data: readColumn(what, progress.stored),
      });
      if (count === 0) throw new Superseded();
      await deps.onProgress?.({
        id: run.id,
        phase: what,
        customersRead: what === "customers" ? progress.stored : what === "products" ? run.customersRead : 0,
        ordersRead: what === "orders" ? progress.stored : run.ordersRead,
        productsRead: what === "products" ? progress.stored : 0,
      });
    },
  };
  return streamExport(what, options, { db: deps.writer ?? db, shop: run.shop, currency });
}

/** The running backfill a `bulk_operations/finish` webhook is about, if any (scoped by shop). */
export async function backfillRunForBulkOperation(prisma: PrismaClient, shop: string, bulkOperationId: string): Promise<SyncRun | null> {
  return prisma.syncRun.findFirst({
    where: {
      shop,
      kind: BACKFILL_KIND,
      status: "running",
      OR: EXPORTS.map((what) => bulkIdColumn(what, bulkOperationId)),
    },
  });
}
