import { z } from "zod";
import type { AdminGraphql } from "../store-overview.server";
import { BULK_CANCEL_MUTATION, BULK_OPERATION_QUERY, BULK_RUN_QUERY_MUTATION } from "./documents";
import { AdminApiError, callAdmin } from "../../admin-api/graphql-client.server";

// The backfill's bulk queries: start one, read one, cancel the ones still running, and say in the
// merchant's words why one did not complete.

export type BulkExport = "customers" | "orders" | "products";

export interface BulkDeps {
  admin: AdminGraphql;
  log(line: string): void;
  sleep(ms: number): Promise<void>;
}

export const BulkOperation = z.object({
  id: z.string(),
  status: z.string(),
  errorCode: z.string().nullable().optional(),
  objectCount: z.string().nullable().optional(),
  rootObjectCount: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
  partialDataUrl: z.string().nullable().optional(),
});
export type BulkOperation = z.infer<typeof BulkOperation>;

export const RunQueryResult = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(
      z.object({
        field: z.array(z.string()).nullable().optional(),
        message: z.string(),
        code: z.string().nullable().optional(),
      }),
    ),
  }),
});

const callOpts = (deps: BulkDeps) => ({ sleep: deps.sleep, log: deps.log });

/** Starts a bulk query; Shopify's refusal becomes an AdminApiError with its userErrors. */
export async function runBulkQuery(deps: BulkDeps, query: string, what: BulkExport): Promise<string> {
  const data = RunQueryResult.parse(
    await callAdmin(deps.admin, BULK_RUN_QUERY_MUTATION, { query }, callOpts(deps)),
  );
  const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
  if (userErrors.length > 0 || !bulkOperation) {
    throw new AdminApiError(
      `Shopify refused to start the ${what} export: ${userErrors.map((e) => e.message).join("; ") || "no operation returned"}`,
      [],
      userErrors,
    );
  }
  return bulkOperation.id;
}

export async function readBulkOperation(deps: BulkDeps, id: string): Promise<BulkOperation | null> {
  const data = z
    .object({ bulkOperation: BulkOperation.nullable() })
    .parse(await callAdmin(deps.admin, BULK_OPERATION_QUERY, { id }, callOpts(deps)));
  return data.bulkOperation;
}

export const FAILED_STATUSES = ["FAILED", "CANCELED", "CANCELING", "EXPIRED"];

const SCOPES: Record<BulkExport, string> = {
  customers: "read_customers, read_orders and read_all_orders",
  orders: "read_customers, read_orders and read_all_orders",
  products: "read_products",
};

/** What the merchant reads when an export did not complete. */
export function bulkFailureMessage(
  what: BulkExport,
  op: Pick<BulkOperation, "status" | "errorCode"> | null,
): string {
  if (!op) return `Shopify no longer knows the ${what} export. Start the sync again.`;
  if (op.status === "CANCELED" || op.status === "CANCELING")
    return `The ${what} export was cancelled before it finished. Start the sync again.`;
  if (op.status === "EXPIRED")
    return `The ${what} export expired before the app could read it. Start the sync again.`;
  switch (op.errorCode) {
    case "ACCESS_DENIED":
      return `Shopify denied access to ${what}. Check that the app has the ${SCOPES[what]} permissions, then try again.`;
    case "TIMEOUT":
      return `Shopify's ${what} export took too long and was stopped. Try again later.`;
    default:
      return `Shopify could not complete the ${what} export (${op.errorCode ?? "unknown error"}). Try again.`;
  }
}

/** Cancels the operations still running (after another one failed); a failure to cancel is only logged. */
export async function cancelQuietly(deps: BulkDeps, ops: Array<BulkOperation | null>): Promise<void> {
  for (const op of ops) {
    if (!op || (op.status !== "CREATED" && op.status !== "RUNNING")) continue;
    try {
      await callAdmin(deps.admin, BULK_CANCEL_MUTATION, { id: op.id }, callOpts(deps));
    } catch (error) {
      deps.log(
        `could not cancel bulk operation ${op.id}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
