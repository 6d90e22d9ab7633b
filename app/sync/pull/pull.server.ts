import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { BulkOperation, bulkFailureMessage, FAILED_STATUSES, RunQueryResult, type BulkExport } from "../backfill/bulk-operations.server";
import {
  BACKFILL_SHOP_QUERY,
  BULK_CANCEL_MUTATION,
  BULK_OPERATION_QUERY,
  BULK_RUN_QUERY_MUTATION,
  CUSTOMERS_BULK_QUERY,
  ORDERS_BULK_QUERY,
} from "../backfill/documents";
import type { PullOptions } from "./args";
import { PullError } from "./pull-error";
import type { ShopAdmin } from "./shop-admin.server";

// `pull`: the app's customers and orders bulk queries against one shop, polled to the end, their
// JSONL downloaded as DIR/customers.jsonl and DIR/orders.jsonl, and the shop's zone, currency and
// country as DIR/shop.json — the inputs of the segments and plan commands. Progress on stderr.

export const PULL_SCOPES_QUERY = `#graphql
  query PullAccessScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

const EXPORTS: ReadonlyArray<{ what: Extract<BulkExport, "customers" | "orders">; query: string; file: string }> = [
  { what: "customers", query: CUSTOMERS_BULK_QUERY, file: "customers.jsonl" },
  { what: "orders", query: ORDERS_BULK_QUERY, file: "orders.jsonl" },
];
const REQUIRED_SCOPES = ["read_customers", "read_orders"];

export interface PullDeps {
  admin: ShopAdmin;
  stderr(line: string): void;
  sleep(ms: number): Promise<void>;
  now(): number;
}

const Scopes = z.object({ currentAppInstallation: z.object({ accessScopes: z.array(z.object({ handle: z.string() })) }) });
const Shop = z.object({
  shop: z.object({
    ianaTimezone: z.string(),
    currencyCode: z.string(),
    billingAddress: z.object({ countryCodeV2: z.string().nullable().optional() }).nullable().optional(),
  }),
});

/** Checks the token's scopes before starting anything that would only fail later. */
async function checkScopes(deps: PullDeps): Promise<void> {
  const granted = new Set(Scopes.parse(await deps.admin.request(PULL_SCOPES_QUERY)).currentAppInstallation.accessScopes.map((s) => s.handle));
  const has = (scope: string) => granted.has(scope) || granted.has(scope.replace(/^read_/, "write_"));
  const missing = REQUIRED_SCOPES.filter((scope) => !has(scope));
  if (missing.length > 0)
    throw new PullError("SCOPE_MISSING", `the access token lacks the ${missing.join(" and ")} scope${missing.length > 1 ? "s" : ""}: add ${missing.length > 1 ? "them" : "it"} to the custom app's Admin API access scopes and install the app again`);
  if (!granted.has("read_all_orders")) deps.stderr("note: without the read_all_orders scope Shopify exports only the last 60 days of orders");
}

async function startExport(deps: PullDeps, what: BulkExport, query: string): Promise<string> {
  const data = RunQueryResult.parse(await deps.admin.request(BULK_RUN_QUERY_MUTATION, { query }));
  const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
  if (userErrors.length > 0 || !bulkOperation)
    throw new PullError("EXPORT_FAILED", `Shopify refused to start the ${what} export: ${userErrors.map((e) => e.message).join("; ") || "no operation returned"}`);
  return bulkOperation.id;
}

async function readExport(deps: PullDeps, id: string): Promise<BulkOperation | null> {
  return z.object({ bulkOperation: BulkOperation.nullable() }).parse(await deps.admin.request(BULK_OPERATION_QUERY, { id })).bulkOperation;
}

/**
 * Polls until every export has completed; progress lines when a count moves (at most every 2 s).
 * One that fails ends the pull: the others are cancelled and Shopify's reason is the error.
 */
async function awaitExports(deps: PullDeps, ids: ReadonlyMap<BulkExport, string>): Promise<Map<BulkExport, BulkOperation>> {
  const done = new Map<BulkExport, BulkOperation>();
  const latest = new Map<BulkExport, BulkOperation>();
  const shown = new Map<BulkExport, { line: string; at: number }>();
  for (let round = 0; done.size < ids.size; round++) {
    for (const [what, id] of ids) {
      if (done.has(what)) continue;
      const op = await readExport(deps, id);
      if (!op) throw new PullError("EXPORT_FAILED", bulkFailureMessage(what, null));
      latest.set(what, op);
      const line = `${what}: ${op.status.toLowerCase()}, ${Number(op.objectCount ?? 0).toLocaleString("en-US")} objects`;
      const ended = op.status === "COMPLETED" || FAILED_STATUSES.includes(op.status);
      const before = shown.get(what);
      if (before?.line !== line && (ended || !before || deps.now() - before.at >= 2000)) {
        deps.stderr(line);
        shown.set(what, { line, at: deps.now() });
      }
      if (FAILED_STATUSES.includes(op.status)) {
        await cancelRunning(deps, latest.values());
        throw new PullError(op.errorCode === "ACCESS_DENIED" ? "SCOPE_MISSING" : "EXPORT_FAILED", bulkFailureMessage(what, op));
      }
      if (ended) done.set(what, op);
    }
    if (done.size < ids.size) await deps.sleep(Math.min(5000, 250 * 2 ** Math.min(round, 4)));
  }
  return done;
}

async function cancelRunning(deps: PullDeps, ops: Iterable<BulkOperation>): Promise<void> {
  for (const op of ops) {
    if (op.status !== "CREATED" && op.status !== "RUNNING") continue;
    try {
      await deps.admin.request(BULK_CANCEL_MUTATION, { id: op.id });
    } catch (error) {
      deps.stderr(`could not cancel the export ${op.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Downloads a finished export to `file` (through a .part file, so a broken download leaves none). */
async function download(deps: PullDeps, what: BulkExport, op: BulkOperation, file: string): Promise<void> {
  const part = `${file}.part`;
  if (!op.url) {
    // no objects: Shopify gives no file
    await writeFile(file, "");
    deps.stderr(`${what}: no objects, wrote an empty ${file}`);
    return;
  }
  const response = await deps.admin.fetchFile(op.url);
  if (!response.body) throw new PullError("EXPORT_FAILED", `the ${what} file came without a body; run pull again`);
  let bytes = 0;
  let shownAt = deps.now();
  const reader = response.body.getReader();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      bytes += value.byteLength;
      if (deps.now() - shownAt >= 2000) {
        deps.stderr(`${what}: downloaded ${(bytes / 1e6).toFixed(1)} MB`);
        shownAt = deps.now();
      }
      yield value;
    }
  }
  try {
    await pipeline(Readable.from(chunks()), createWriteStream(part));
    await rename(part, file);
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  deps.stderr(`${what}: wrote ${file} (${Number(op.objectCount ?? 0).toLocaleString("en-US")} objects, ${(bytes / 1e6).toFixed(1)} MB)`);
}

export async function runPull(options: PullOptions, deps: PullDeps): Promise<void> {
  try {
    await mkdir(options.out, { recursive: true });
    if (!(await stat(options.out)).isDirectory()) throw new Error("not a directory");
  } catch (error) {
    throw new PullError("USAGE", `cannot use --out ${options.out}: ${error instanceof Error && "code" in error ? String(error.code) : error instanceof Error ? error.message : String(error)}`);
  }
  await checkScopes(deps);
  const shop = Shop.parse(await deps.admin.request(BACKFILL_SHOP_QUERY)).shop;

  const ids = new Map<BulkExport, string>();
  for (const { what, query } of EXPORTS) ids.set(what, await startExport(deps, what, query));
  deps.stderr(`exports started for ${options.shop}: ${[...ids.keys()].join(", ")}`);
  const ops = await awaitExports(deps, ids);
  for (const { what, file } of EXPORTS) {
    const op = ops.get(what);
    if (op) await download(deps, what, op, join(options.out, file));
  }
  const shopFile = join(options.out, "shop.json");
  await writeFile(shopFile, `${JSON.stringify({ ianaTimezone: shop.ianaTimezone, currencyCode: shop.currencyCode, countryCode: shop.billingAddress?.countryCodeV2 ?? null })}\n`);
  deps.stderr(`wrote ${shopFile}`);
  const files = (name: string) => join(options.out, name);
  deps.stderr(`next: npm run cli -- segments --customers ${files("customers.jsonl")} --orders ${files("orders.jsonl")}`);
}
