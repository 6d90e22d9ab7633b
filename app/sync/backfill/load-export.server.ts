import { upsertProducts } from "../products/store-products.server";
import { addOrderProducts, upsertCustomers, upsertOrders, type Executor } from "../store.server";
import { stageCustomers, stageOrders, type Stage, type StagedRows } from "../store-staged.server";
import type { BulkExport } from "./bulk-operations.server";
import { orderFamilies, strayOrderProducts } from "./order-lines";
import { parseCustomerLine } from "./parse-lines";
import { productFamilies } from "./product-lines";
import { streamJsonl, type StreamJsonlOptions, type StreamProgress } from "./stream-jsonl.server";

// One bulk export's JSONL into the database: the file's reader (line by line, families for the
// files with nested connections) and its batched, stale-safe upserts, then whatever the file left
// to settle once read.

export type ExportStreamOptions = Omit<StreamJsonlOptions<unknown>, "parse" | "store" | "end">;

export interface ExportTarget {
  /** with `stage` (PostgreSQL), a file is copied in and upserted by chunks; else by batches */
  db: Executor & { stage?: Stage };
  shop: string;
  /** the shop's currency: orders in another one cannot be added up */
  currency: string;
}

export async function streamExport(
  what: BulkExport,
  options: ExportStreamOptions,
  target: ExportTarget,
): Promise<StreamProgress> {
  const { db, shop } = target;
  switch (what) {
    case "customers": {
      // the orders file is loaded first: each customer is written with its aggregates
      const staged = db.stage ? stageCustomers(db.stage, shop) : null;
      return intoStaged(staged, () =>
        streamJsonl({
          ...options,
          ...writesTo(staged, (rows) => upsertCustomers(db, shop, rows, { withAggregates: true })),
          parse: parseCustomerLine,
        }),
      );
    }
    case "orders": {
      const reader = orderFamilies(target.currency);
      const staged = db.stage ? stageOrders(db.stage, shop) : null;
      const progress = await intoStaged(staged, () =>
        streamJsonl({
          ...options,
          ...writesTo(staged, (rows) => upsertOrders(db, shop, rows)),
          parse: reader.parse,
          end: reader.end,
        }),
      );
      const strays = strayOrderProducts(reader.strays());
      if (strays.size > 0) {
        options.log(`orders: line items of ${strays.size} orders came away from their order; added to them`);
        await addOrderProducts(db, shop, strays);
      }
      return progress;
    }
    case "products": {
      const reader = productFamilies();
      const progress = await streamJsonl({
        ...options,
        parse: reader.parse,
        end: reader.end,
        store: (rows) => upsertProducts(db, shop, rows),
      });
      const strays = [...reader.strays().values()].reduce((n, list) => n + list.length, 0);
      if (strays > 0) options.log(`products: ${strays} variants came away from their product; not applied`);
      return progress;
    }
    default: {
      const unreachable: never = what;
      throw new Error(`unknown export ${String(unreachable)}`);
    }
  }
}

/**
 * Where a file's rows go: into the staged chunks (one COPY stream, so a batch in flight at a time;
 * the stream's own buffer overlaps the rest), or batch by batch.
 */
function writesTo<T>(
  staged: StagedRows<T> | null,
  batch: (rows: T[]) => Promise<unknown>,
): { store: (rows: T[]) => Promise<unknown>; concurrency?: number } {
  return staged ? { store: (rows) => staged.write(rows), concurrency: 1 } : { store: batch };
}

/** Streams a file, then upserts its last chunks (if staged); a failed read drops the chunk being copied. */
async function intoStaged<T>(
  staged: StagedRows<T> | null,
  read: () => Promise<StreamProgress>,
): Promise<StreamProgress> {
  if (!staged) return read();
  try {
    const progress = await read();
    await staged.finish();
    return progress;
  } catch (error) {
    staged.abort();
    throw error;
  }
}
