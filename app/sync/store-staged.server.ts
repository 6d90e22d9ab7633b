import type { BulkWriter, StagedCopy } from "../db/bulk-writer.server";
import { customerCopyLine, orderCopyLine } from "./row-copy";
import type { CustomerRow, OrderRow } from "./rows";
import { CUSTOMER_RECORD, ORDER_RECORD, upsertCustomersSql, upsertOrdersSql } from "./store-sql";

// A bulk file's rows on PostgreSQL: COPY into a temporary table as the file is read, then the same
// upsert the batches run (store-sql.ts) over a whole chunk of rows at once. A chunk's upsert runs
// while the next chunk is read and copied, and two run side by side: inserting a row and its index
// entries is PostgreSQL's largest cost here, and one statement over a whole file keeps one core
// busy while the other waits (docs/benchmarks.md). Each chunk commits on its own, like a batch:
// running a file again is the same as running it once.

export type Stage = BulkWriter["stage"];

export interface StagedRows<T> {
  write(rows: readonly T[]): Promise<void>;
  /** waits for every chunk; the rows upserted (duplicates, stale and redacted rows are not) */
  finish(): Promise<number>;
  /** drops the chunk being copied; chunks already upserting finish on their own */
  abort(): void;
}

export interface StagingOptions {
  /** rows per chunk (default 100,000) */
  chunkRows?: number;
  /** chunks upserting at the same time (default 2) */
  parallel?: number;
}

interface StagedTable<T> {
  table: string;
  record: string;
  line(row: T): string;
  upsert: string;
}

function staged<T>(stage: Stage, shop: string, spec: StagedTable<T>, options: StagingOptions): StagedRows<T> {
  const chunkRows = options.chunkRows ?? 100_000;
  const parallel = Math.max(1, options.parallel ?? 2);
  let copying: StagedCopy | null = null;
  let rowsInChunk = 0;
  let upserted = 0;
  const upserting: Array<Promise<void>> = [];

  const endChunk = async () => {
    const copy = copying;
    copying = null;
    rowsInChunk = 0;
    if (!copy) return;
    const done = copy.finish(spec.upsert, [shop]).then((n) => {
      upserted += n;
    });
    done.catch(() => undefined); // awaited below or by finish; never an unhandled rejection
    upserting.push(done);
    while (upserting.length >= parallel) await upserting.shift();
  };

  const writeInTurn = async (rows: readonly T[]) => {
    let text = "";
    for (const row of rows) {
      text += spec.line(row);
      rowsInChunk += 1;
      if (rowsInChunk < chunkRows) continue;
      copying ??= await stage(spec.table, spec.record);
      await copying.write(text);
      text = "";
      await endChunk();
    }
    if (text === "") return;
    copying ??= await stage(spec.table, spec.record);
    await copying.write(text);
  };
  // one COPY at a time: a write waits for the one before it
  let last: Promise<void> = Promise.resolve();
  return {
    write(rows) {
      const next = last.then(() => writeInTurn(rows));
      last = next.catch(() => undefined);
      return next;
    },
    async finish() {
      await last;
      await endChunk();
      while (upserting.length > 0) await upserting.shift();
      return upserted;
    },
    abort() {
      copying?.abort();
      copying = null;
    },
  };
}

/** Orders of a bulk file, which carries every order's products (each row must have productIds). */
export function stageOrders(stage: Stage, shop: string, options: StagingOptions = {}): StagedRows<OrderRow> {
  const line = (row: OrderRow) => {
    if (row.productIds === undefined) throw new Error("a staged order must carry its products");
    return orderCopyLine(row);
  };
  const upsert = upsertOrdersSql({ source: "staged_orders AS r", carriesProducts: "true" });
  return staged(stage, shop, { table: "staged_orders", record: ORDER_RECORD, line, upsert }, options);
}

/**
 * Customers of a bulk file (each row with its time zone and RFM group), written with their
 * aggregates from the orders stored before them.
 */
export function stageCustomers(
  stage: Stage,
  shop: string,
  options: StagingOptions = {},
): StagedRows<CustomerRow> {
  const line = (row: CustomerRow) => {
    if (row.timeZone === undefined || row.rfmGroup === undefined)
      throw new Error("a staged customer must carry its time zone and RFM group");
    return customerCopyLine(row);
  };
  const upsert = upsertCustomersSql({
    source: "staged_customers AS r",
    aggregates: "lateral",
    carriesProfile: "true",
  });
  return staged(stage, shop, { table: "staged_customers", record: CUSTOMER_RECORD, line, upsert }, options);
}
