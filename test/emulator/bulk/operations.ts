import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DocumentNode } from "graphql";
import { missingBulkScope } from "../auth/scopes";
import { validateBulkQuery, type BulkUserError } from "./validate";
import { produceQueryLines } from "./run-query";
import { checkBulkMutation, produceMutationLines, type BulkMutationUserError } from "./run-mutation";

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED";
export type BulkType = "QUERY" | "MUTATION";
export interface BulkOperation {
  id: string;
  n: number;
  status: BulkStatus;
  errorCode: "INTERNAL_SERVER_ERROR" | "ACCESS_DENIED" | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  /** the bulk query, or the mutation run once per line of the variables file */
  query: string;
  type: BulkType;
  file: string;
}

export interface BulkDeps {
  now(): Date;
  emulatorUrl(): string;
  rootValue(operation: "query" | "mutation"): unknown;
  /** a query serves root slice [from, to) of its connection per execution */
  context(bulk?: { from: number; to: number; cache: Map<string, number[]> }): unknown;
  /** the local file of a staged upload path, when this shop uploaded it */
  stagedFile(path: string): string | undefined;
  onFinish(op: BulkOperation): void;
  log(line: string): void;
}

/** What a producer gets: write one result line, and whether to stop (cancel, injected failure). */
export interface LineSink {
  write(line: string, root: boolean): Promise<void>;
  canceling(): boolean;
  /** producers call it after their first batch: throws when the operation was told to fail */
  checkpoint(): void;
}

// API 2026-01 and later: up to five bulk query operations and five bulk mutation operations at a
// time per app and shop (the two kinds run side by side; before 2026-01, one of each).
export const MAX_RUNNING = 5;
let dir: string | undefined;
let counter = 0;

export function resultsDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), "shopify-emulator-bulk-"));
  return dir;
}

export function removeResults(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

const limitMessage = (type: BulkType) =>
  `A maximum of ${MAX_RUNNING} bulk ${type === "QUERY" ? "queries" : "mutations"} can run at the same time for this shop.`;

export class BulkOperations {
  private readonly ops = new Map<string, BulkOperation>();
  private readonly waiting: Array<() => void> = [];
  private held = false;
  failNext = false;
  constructor(private readonly deps: BulkDeps) {}

  get(id: string): BulkOperation | undefined {
    return this.ops.get(id);
  }
  byNumber(n: number): BulkOperation | undefined {
    return [...this.ops.values()].find((op) => op.n === n);
  }
  /** The newest operation of a type (currentBulkOperation). */
  current(type: BulkType): BulkOperation | undefined {
    return [...this.ops.values()].filter((op) => op.type === type).pop();
  }
  private running(type: BulkType): BulkOperation[] {
    return [...this.ops.values()].filter(
      (op) =>
        op.type === type && (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING"),
    );
  }

  /** Tests: new operations stay CREATED (and count against the limit) until released. */
  hold(held: boolean): void {
    this.held = held;
    if (!held) for (const start of this.waiting.splice(0)) start();
  }

  /** `granted`: the scopes of the token that asked (undefined: every scope the app has). */
  runQuery(query: string, granted?: readonly string[]): { op?: BulkOperation; userErrors: BulkUserError[] } {
    const checked = validateBulkQuery(query);
    if (!("document" in checked)) return { userErrors: checked.errors };
    if (this.running("QUERY").length >= MAX_RUNNING)
      return { userErrors: [{ field: [], code: "LIMIT_REACHED", message: limitMessage("QUERY") }] };
    const document: DocumentNode = checked.document;
    const op = this.create("QUERY", query);
    const missing = granted && missingBulkScope(document, granted);
    this.schedule(op, (sink) =>
      missing ? Promise.reject(new BulkAccessDenied(missing)) : produceQueryLines(document, sink, {
        rootValue: () => this.deps.rootValue("query"),
        context: (slice) => this.deps.context(slice),
      }),
    );
    return { op, userErrors: [] };
  }

  async runMutation(
    mutation: string,
    stagedUploadPath: string,
  ): Promise<{ op?: BulkOperation; userErrors: BulkMutationUserError[] }> {
    const checked = await checkBulkMutation(mutation, stagedUploadPath, this.deps.stagedFile);
    if ("userErrors" in checked) return { userErrors: checked.userErrors };
    if (this.running("MUTATION").length >= MAX_RUNNING) {
      return { userErrors: [{ field: null, code: "LIMIT_REACHED", message: limitMessage("MUTATION") }] };
    }
    const op = this.create("MUTATION", mutation);
    this.schedule(op, (sink) =>
      produceMutationLines(checked, sink, {
        rootValue: () => this.deps.rootValue("mutation"),
        context: () => this.deps.context(),
      }),
    );
    return { op, userErrors: [] };
  }

  cancel(id: string): { op?: BulkOperation; userErrors: { field: string[]; message: string }[] } {
    const op = this.ops.get(id);
    if (!op) return { userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (op.status !== "CREATED" && op.status !== "RUNNING") {
      return {
        op,
        userErrors: [
          { field: [], message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}` },
        ],
      };
    }
    op.status = "CANCELING";
    return { op, userErrors: [] };
  }

  private create(type: BulkType, query: string): BulkOperation {
    counter += 1;
    const op: BulkOperation = {
      id: `gid://shopify/BulkOperation/${counter}`,
      n: counter,
      status: "CREATED",
      errorCode: null,
      createdAt: this.deps.now().toISOString(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query,
      type,
      file: join(resultsDir(), `${counter}.jsonl`),
    };
    this.ops.set(op.id, op);
    return op;
  }

  private schedule(op: BulkOperation, produce: (sink: LineSink) => Promise<void>): void {
    const fail = this.failNext;
    this.failNext = false;
    const start = () => setImmediate(() => void this.execute(op, produce, fail));
    if (this.held) this.waiting.push(start);
    else start();
  }

  private async execute(
    op: BulkOperation,
    produce: (sink: LineSink) => Promise<void>,
    fail: boolean,
  ): Promise<void> {
    if (canceling(op)) {
      op.status = "CANCELED";
      op.completedAt = this.deps.now().toISOString();
      this.deps.onFinish(op);
      return;
    }
    op.status = "RUNNING";
    const out = createWriteStream(op.file);
    let bytes = 0;
    const sink: LineSink = {
      write: async (line, root) => {
        bytes += Buffer.byteLength(line) + 1;
        op.objectCount += 1;
        if (root) op.rootObjectCount += 1;
        if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      },
      canceling: () => canceling(op),
      checkpoint: () => {
        if (fail) throw new Error("failNextBulkOperation");
      },
    };
    const fileUrl = `${this.deps.emulatorUrl()}/bulk-results/${op.n}.jsonl`;
    try {
      await produce(sink);
      await close(out);
      op.fileSize = bytes;
      op.completedAt = this.deps.now().toISOString();
      if (canceling(op)) op.status = "CANCELED";
      else {
        op.status = "COMPLETED";
        op.url = op.objectCount > 0 ? fileUrl : null;
      }
    } catch (error) {
      await close(out);
      this.deps.log(
        `bulk operation ${op.id} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      op.status = "FAILED";
      op.errorCode = error instanceof BulkAccessDenied ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR";
      op.fileSize = bytes;
      op.completedAt = this.deps.now().toISOString();
      op.partialDataUrl = op.objectCount > 0 ? fileUrl : null;
    }
    this.deps.onFinish(op);
  }
}

/** A bulk query over data the token has no scope for: the operation fails with ACCESS_DENIED. */
class BulkAccessDenied extends Error {
  constructor(scope: string) {
    super(`access denied: the query needs ${scope}`);
  }
}

function close(out: WriteStream): Promise<void> {
  return new Promise((resolve) => out.end(resolve));
}

// a function so TypeScript does not narrow the status across awaits
function canceling(op: BulkOperation): boolean {
  return op.status === "CANCELING";
}

/** The GraphQL view of an operation. */
export function bulkView(op: BulkOperation): Record<string, unknown> {
  return {
    __typename: "BulkOperation",
    id: op.id,
    status: op.status,
    errorCode: op.errorCode,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.fileSize === null ? null : String(op.fileSize),
    url: op.url,
    partialDataUrl: op.partialDataUrl,
    query: op.query,
    type: op.type,
  };
}
