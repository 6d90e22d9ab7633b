import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DocumentNode } from "graphql";
import { run } from "../graphql/execute";
import { validateBulkQuery, type BulkUserError } from "./validate";
import { flattenNode, rootItems } from "./jsonl";

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED";
export interface BulkOperation {
  id: string;
  n: number;
  status: BulkStatus;
  errorCode: "INTERNAL_SERVER_ERROR" | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
  type: "QUERY";
  file: string;
}

export interface BulkDeps {
  now(): Date;
  emulatorUrl(): string;
  /** executes the document over root slice [from, to) */
  rootValue(): unknown;
  context(bulk: { from: number; to: number; cache: Map<string, number[]> }): unknown;
  onFinish(op: BulkOperation): void;
  log(line: string): void;
}

const MAX_RUNNING = 5;
const BATCH = 500;
let dir: string | undefined;
let counter = 0;

function resultsDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), "shopify-emulator-bulk-"));
  return dir;
}

export function removeResults(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

export class BulkOperations {
  private readonly ops = new Map<string, BulkOperation>();
  failNext = false;
  constructor(private readonly deps: BulkDeps) {}

  get(id: string): BulkOperation | undefined {
    return this.ops.get(id);
  }
  byNumber(n: number): BulkOperation | undefined {
    return [...this.ops.values()].find((op) => op.n === n);
  }
  current(): BulkOperation | undefined {
    return [...this.ops.values()].pop();
  }
  private running(): BulkOperation[] {
    return [...this.ops.values()].filter((op) => op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING");
  }

  runQuery(query: string): { op?: BulkOperation; userErrors: BulkUserError[] } {
    const checked = validateBulkQuery(query);
    if (!("document" in checked)) return { userErrors: checked.errors };
    if (this.running().length >= MAX_RUNNING) {
      return { userErrors: [{ field: [], code: "LIMIT_REACHED", message: `A maximum of ${MAX_RUNNING} bulk queries can run at the same time for this shop.` }] };
    }
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
      type: "QUERY",
      file: join(resultsDir(), `${counter}.jsonl`),
    };
    this.ops.set(op.id, op);
    const fail = this.failNext;
    this.failNext = false;
    setImmediate(() => void this.execute(op, checked.document, fail));
    return { op, userErrors: [] };
  }

  cancel(id: string): { op?: BulkOperation; userErrors: { field: string[]; message: string }[] } {
    const op = this.ops.get(id);
    if (!op) return { userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    if (op.status !== "CREATED" && op.status !== "RUNNING") {
      return { op, userErrors: [{ field: [], message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}` }] };
    }
    op.status = "CANCELING";
    return { op, userErrors: [] };
  }

  private async execute(op: BulkOperation, document: DocumentNode, fail: boolean): Promise<void> {
    op.status = "RUNNING";
    const out = createWriteStream(op.file);
    const cache = new Map<string, number[]>();
    let bytes = 0;
    const write = async (line: string): Promise<void> => {
      bytes += Buffer.byteLength(line) + 1;
      if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    };
    try {
      for (let from = 0; ; from += BATCH) {
        if (canceling(op)) break;
        const { data, errors } = await run(document, undefined, this.deps.rootValue(), {}, this.deps.context({ from, to: from + BATCH, cache }));
        if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
        const roots = rootItems(data);
        for (const root of roots) {
          const lines: string[] = [];
          flattenNode(root, undefined, lines);
          for (const line of lines) await write(line);
          op.objectCount += lines.length;
          op.rootObjectCount += 1;
        }
        if (fail && from === 0) throw new Error("failNextBulkOperation");
        if (roots.length < BATCH) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await close(out);
      op.fileSize = bytes;
      op.completedAt = this.deps.now().toISOString();
      if (canceling(op)) op.status = "CANCELED";
      else {
        op.status = "COMPLETED";
        op.url = op.objectCount > 0 ? `${this.deps.emulatorUrl()}/bulk-results/${op.n}.jsonl` : null;
      }
    } catch (error) {
      await close(out);
      this.deps.log(`bulk operation ${op.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      op.status = "FAILED";
      op.errorCode = "INTERNAL_SERVER_ERROR";
      op.fileSize = bytes;
      op.completedAt = this.deps.now().toISOString();
      op.partialDataUrl = op.objectCount > 0 ? `${this.deps.emulatorUrl()}/bulk-results/${op.n}.jsonl` : null;
    }
    this.deps.onFinish(op);
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
