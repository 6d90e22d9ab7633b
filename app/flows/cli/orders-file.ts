import { parseOrderFacts, type OrderFacts } from "../../sync/backfill/fact-lines";
import { lineItemProduct } from "../../sync/backfill/order-lines";
import { isObj, parseJson } from "../../sync/backfill/parse-lines";
import { quickLineItem } from "../../sync/backfill/quick-order";
import { idFromGid, sortedIds, SyncInputError } from "../../sync/rows";
import type { BadLine } from "./checkouts-file";

// The flows command's orders file: the segments command's order lines (fact-lines.ts: the RFM
// definition's fields) and, when there, the bulk export's line-item lines (`__parentId`, each naming
// its product or null), which say what a customer bought (a cross-sell never offers it again). A
// line item joins its order wherever it comes in the file. Pure: the caller hands in the lines.

export type FileOrder = OrderFacts & { productIds: bigint[] };

export interface OrdersFile {
  /** in file order; a repeated order id is kept once (its first line) */
  orders: FileOrder[];
  errors: BadLine[];
}

export class OrdersFileReader {
  private readonly orders: FileOrder[] = [];
  private readonly byId = new Map<bigint, { order: FileOrder; line: number }>();
  /** line items read before their order */
  private readonly pending: Array<{ line: number; orderId: bigint; productId: bigint | null }> = [];
  private readonly errors: BadLine[] = [];

  constructor(private readonly currency: string) {}

  /** Reads line number `line` (1-based) of the file. */
  add(text: string, line: number): void {
    const bad = (reason: string) => this.errors.push({ line, reason });
    if (text.trim() === "") return void bad("empty line");
    const quick = quickLineItem(text);
    if (quick) return this.item(line, quick.parentId, quick.result);
    const parsed = parseOrderFacts(text, line, this.currency);
    switch (parsed.kind) {
      case "error":
        return void bad(parsed.reason);
      case "row": {
        const first = this.byId.get(parsed.row.id);
        if (first) return void bad(`id: duplicate order (first on line ${first.line}), counted once`);
        const order: FileOrder = { ...parsed.row, productIds: [] };
        this.byId.set(order.id, { order, line });
        this.orders.push(order);
        return;
      }
      case "child": {
        // a line item the regex did not read (another field order, an escape): the slow path
        const json = parseJson(text);
        const value = "value" in json && isObj(json.value) ? json.value : {};
        const parent = value.__parentId;
        if (typeof parent !== "string") return void bad("__parentId: expected string");
        return this.item(line, parent, lineItemProduct(value));
      }
      default: {
        const unreachable: never = parsed;
        throw new Error(`unknown line ${String(unreachable)}`);
      }
    }
  }

  private item(line: number, parentGid: string, result: ReturnType<typeof lineItemProduct>): void {
    if (result.kind === "error") return void this.errors.push({ line, reason: result.reason });
    let orderId: bigint;
    try {
      orderId = idFromGid(parentGid, "Order");
    } catch (error) {
      if (!(error instanceof SyncInputError)) throw error;
      return void this.errors.push({ line, reason: "__parentId: not an Order id" });
    }
    // null: a custom item, or a product deleted since (nothing bought to remember)
    const productId = result.kind === "child" ? result.child : null;
    const parent = this.byId.get(orderId);
    if (!parent) this.pending.push({ line, orderId, productId });
    else if (productId !== null) parent.order.productIds.push(productId);
  }

  /** Once every line is read: line items joined to their orders, and what could not be. */
  finish(): OrdersFile {
    for (const { line, orderId, productId } of this.pending) {
      const parent = this.byId.get(orderId);
      if (!parent) this.errors.push({ line, reason: `__parentId: no order ${orderId} in the file` });
      else if (productId !== null) parent.order.productIds.push(productId);
    }
    this.pending.length = 0;
    for (const order of this.orders) order.productIds = sortedIds(order.productIds);
    return { orders: this.orders, errors: [...this.errors].sort((a, b) => a.line - b.line) };
  }
}
