import type { BulkWriter, StagedCopy } from "../db/bulk-writer.server";
import { customerCopyLine, orderCopyLine } from "./row-copy";
import type { CustomerRow, OrderRow } from "./rows";
import { CUSTOMER_RECORD, ORDER_RECORD, upsertCustomersSql, upsertOrdersSql } from "./store-sql";

// A bulk file's rows on PostgreSQL: COPY into a temporary table as the file is read, then the same
// upsert the batches run (store-sql.ts), once, over all of them. The rows reach "Customer" and
// "Order" only in that last statement, so a file that fails half way writes nothing, and running it
// again is the same as running it once.

export type Stage = BulkWriter["stage"];

export interface StagedRows<T> {
  write(rows: readonly T[]): Promise<void>;
  /** the rows upserted (duplicates, stale and redacted rows are not) */
  finish(): Promise<number>;
  abort(): void;
}

function staged<T>(copy: StagedCopy, line: (row: T) => string, upsert: string, shop: string): StagedRows<T> {
  return {
    async write(rows) {
      let text = "";
      for (const row of rows) text += line(row);
      if (text !== "") await copy.write(text);
    },
    finish: () => copy.finish(upsert, [shop]),
    abort: () => copy.abort(),
  };
}

/** Orders of a bulk file, which carries every order's products (each row must have productIds). */
export async function stageOrders(stage: Stage, shop: string): Promise<StagedRows<OrderRow>> {
  const copy = await stage("staged_orders", ORDER_RECORD);
  const line = (row: OrderRow) => {
    if (row.productIds === undefined) throw new Error("a staged order must carry its products");
    return orderCopyLine(row);
  };
  return staged(copy, line, upsertOrdersSql({ source: "staged_orders AS r", carriesProducts: "true" }), shop);
}

/**
 * Customers of a bulk file (each row with its time zone and RFM group), written with their
 * aggregates from the orders stored before them.
 */
export async function stageCustomers(stage: Stage, shop: string): Promise<StagedRows<CustomerRow>> {
  const copy = await stage("staged_customers", CUSTOMER_RECORD);
  const line = (row: CustomerRow) => {
    if (row.timeZone === undefined || row.rfmGroup === undefined)
      throw new Error("a staged customer must carry its time zone and RFM group");
    return customerCopyLine(row);
  };
  const upsert = upsertCustomersSql({ source: "staged_customers AS r", aggregates: "grouped", carriesProfile: "true" });
  return staged(copy, line, upsert, shop);
}
