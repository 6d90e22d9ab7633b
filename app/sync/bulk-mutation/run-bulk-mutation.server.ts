import { z } from "zod";
import type { AdminGraphql } from "../store-overview.server";
import { AdminApiError, callAdmin } from "../../admin-api/graphql-client.server";
import { streamJsonl } from "../backfill/stream-jsonl.server";
import {
  BULK_MUTATION_OPERATION_QUERY,
  BULK_RUN_MUTATION_MUTATION,
  STAGED_UPLOADS_CREATE_MUTATION,
} from "./documents";
import { parseResultLine, type BulkResultLine } from "./result-line";

// One bulk mutation, start to finish: stage the JSONL of variables, upload it as a multipart form
// (Shopify's parameters, then `file`), run the mutation over it, poll the operation, stream its
// result file line by line. Every Admin call goes through callAdmin, which waits out THROTTLED; the
// operation itself is not rate limited. A crash loses only this run: the caller re-sends what it
// has not recorded, and the mutations it uses must be safe to repeat.

export interface BulkMutationDeps {
  admin: AdminGraphql;
  log(line: string): void;
  sleep(ms: number): Promise<void>;
  fetch?: typeof fetch;
  /** first wait between polls (default 1 s), growing to maxPollIntervalMs (default 10 s) */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

export interface BulkMutationOutcome {
  id: string;
  /** COMPLETED, or FAILED / CANCELED / EXPIRED (then the lines read are the partial data, if any) */
  status: string;
  errorCode: string | null;
  /** result lines read */
  lines: number;
}

/** Shopify runs its limit of bulk operations for the shop; try again later. */
export class BulkOperationsBusy extends Error {
  override name = "BulkOperationsBusy";
}

const UserErrors = z.array(
  z.object({
    field: z.array(z.string()).nullable().optional(),
    message: z.string(),
    code: z.string().nullable().optional(),
  }),
);
const Staged = z.object({
  stagedUploadsCreate: z.object({
    stagedTargets: z
      .array(
        z.object({ url: z.string(), parameters: z.array(z.object({ name: z.string(), value: z.string() })) }),
      )
      .nullable(),
    userErrors: UserErrors,
  }),
});
const Started = z.object({
  bulkOperationRunMutation: z.object({
    bulkOperation: z.object({ id: z.string() }).nullable(),
    userErrors: UserErrors,
  }),
});
const Operation = z.object({
  bulkOperation: z
    .object({
      id: z.string(),
      status: z.string(),
      errorCode: z.string().nullable(),
      url: z.string().nullable(),
      partialDataUrl: z.string().nullable(),
    })
    .nullable(),
});
type Target = NonNullable<z.infer<typeof Staged>["stagedUploadsCreate"]["stagedTargets"]>[number];

const TERMINAL = ["COMPLETED", "FAILED", "CANCELED", "EXPIRED"];
const BUSY = ["LIMIT_REACHED", "OPERATION_IN_PROGRESS"];
const BUSY_RETRIES = 8;
const UPLOAD_ATTEMPTS = 3;

async function stage(deps: BulkMutationDeps): Promise<{ target: Target; path: string }> {
  const input = [
    {
      resource: "BULK_MUTATION_VARIABLES",
      filename: "bulk_op_vars",
      mimeType: "text/jsonl",
      httpMethod: "POST",
    },
  ];
  const data = Staged.parse(await callAdmin(deps.admin, STAGED_UPLOADS_CREATE_MUTATION, { input }, deps));
  const { stagedTargets, userErrors } = data.stagedUploadsCreate;
  const target = stagedTargets?.[0];
  const path = target?.parameters.find((p) => p.name === "key")?.value;
  if (userErrors.length > 0 || !target || !path) {
    throw new AdminApiError(
      `Shopify gave no upload target: ${userErrors.map((e) => e.message).join("; ") || "no key"}`,
      [],
      userErrors,
    );
  }
  return { target, path };
}

type Posted = { done: true } | { done: false; retry: boolean; failure: string };

async function postVariables(deps: BulkMutationDeps, target: Target, body: Blob): Promise<Posted> {
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  form.append("file", body, "bulk_op_vars"); // the storage service wants the file last
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(target.url, { method: "POST", body: form });
  } catch (error) {
    return { done: false, retry: true, failure: error instanceof Error ? error.message : String(error) };
  }
  const text = await response.text();
  if (response.ok) return { done: true };
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  return {
    done: false,
    retry: response.status >= 500 || response.status === 429,
    failure: `HTTP ${response.status}${code ? ` ${code}` : ""}`,
  };
}

async function upload(deps: BulkMutationDeps, target: Target, lines: readonly string[]): Promise<void> {
  const body = new Blob([lines.join("\n"), "\n"], { type: "text/jsonl" });
  for (let attempt = 1; ; attempt++) {
    const posted = await postVariables(deps, target, body);
    if (posted.done) return;
    if (!posted.retry || attempt >= UPLOAD_ATTEMPTS)
      throw new Error(`uploading the bulk mutation variables failed: ${posted.failure}`);
    await deps.sleep(1000 * attempt);
  }
}

async function start(deps: BulkMutationDeps, mutation: string, stagedUploadPath: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const data = Started.parse(
      await callAdmin(deps.admin, BULK_RUN_MUTATION_MUTATION, { mutation, stagedUploadPath }, deps),
    );
    const { bulkOperation, userErrors } = data.bulkOperationRunMutation;
    if (bulkOperation && userErrors.length === 0) return bulkOperation.id;
    const busy = userErrors.length > 0 && userErrors.every((e) => BUSY.includes(e.code ?? ""));
    if (!busy)
      throw new AdminApiError(
        `Shopify refused the bulk mutation: ${userErrors.map((e) => e.message).join("; ") || "no operation"}`,
        [],
        userErrors,
      );
    if (attempt >= BUSY_RETRIES)
      throw new BulkOperationsBusy(
        "Shopify is running its limit of bulk operations for this shop; try again later",
      );
    const wait = Math.min(60_000, 2_000 * 2 ** attempt);
    deps.log(`bulk mutation: the shop's bulk operations are busy; retrying in ${wait} ms`);
    await deps.sleep(wait);
  }
}

async function poll(deps: BulkMutationDeps, id: string) {
  let wait = deps.pollIntervalMs ?? 1000;
  for (;;) {
    await deps.sleep(wait);
    const { bulkOperation } = Operation.parse(
      await callAdmin(deps.admin, BULK_MUTATION_OPERATION_QUERY, { id }, deps),
    );
    if (!bulkOperation) throw new AdminApiError(`Shopify no longer knows bulk operation ${id}`);
    if (TERMINAL.includes(bulkOperation.status)) return bulkOperation;
    wait = Math.min(deps.maxPollIntervalMs ?? 10_000, Math.ceil(wait * 1.5));
  }
}

/**
 * Runs `mutation` once per variables line and hands every result line to `onResult` (in the
 * order Shopify wrote them; match them by lineNumber). Throws when the run could not start.
 */
export async function runBulkMutation(
  deps: BulkMutationDeps,
  mutation: string,
  variables: readonly string[],
  onResult: (line: BulkResultLine) => void,
  label = "bulk mutation",
): Promise<BulkMutationOutcome> {
  const { target, path } = await stage(deps);
  await upload(deps, target, variables);
  const id = await start(deps, mutation, path);
  deps.log(`${label}: bulk operation ${id} started (${variables.length} lines)`);
  const op = await poll(deps, id);
  const url = op.url ?? op.partialDataUrl;
  let lines = 0;
  if (url) {
    const read = await streamJsonl({
      url,
      label,
      fetch: deps.fetch,
      log: deps.log,
      parse: parseResultLine,
      store: (rows) => {
        for (const row of rows) onResult(row);
        return Promise.resolve();
      },
    });
    lines = read.stored;
  }
  deps.log(
    `${label}: bulk operation ${id} ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}, ${lines} result lines`,
  );
  return { id, status: op.status, errorCode: op.errorCode, lines };
}
