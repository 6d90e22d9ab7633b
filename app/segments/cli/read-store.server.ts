import { parseCustomerFacts, parseOrderFacts, type CustomerFacts } from "../../sync/backfill/fact-lines";
import { CustomerFactsReader } from "../../sync/jsonl/customer-facts-bytes";
import { forEachLine } from "../../sync/jsonl/file-lines.server";
import { OrderFactsReader, READ } from "../../sync/jsonl/order-facts-bytes";
import { IdIndex } from "./id-index";
import { describeFileError, FileAccessError } from "./input-file.server";
import { CustomerTable } from "./table";

// Both command lines read the store the same way: the customers file, then the orders file, one
// line at a time, into a CustomerTable (per customer the RFM aggregates, nothing per order but its
// id, to count a repeated order once). A bad line is reported as FILE:LINE: reason.

/** Thrown after reporting the first bad line under --strict. */
export class StrictStop extends Error {}

export interface ReadCounters {
  badLines: Record<"customers" | "orders", number>;
  customers: number;
  orders: number;
  counted: number;
  unknownCustomer: number;
}

export interface StoreFiles {
  customers: string;
  orders: string;
  /** the shop's currency (an order in another one is bad input); null: the first order's */
  currency: string | null;
  /** T: orders placed after it are not counted */
  asOf: Date;
  strict: boolean;
}

export interface ReadStore {
  table: CustomerTable;
  counters: ReadCounters;
  /** the shop's currency, or the first order's; null when no order names one */
  currency: string | null;
}

/** The currency of an order line, read loosely (the parser checks the line properly). */
function currencyOf(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const set: unknown = Reflect.get(value, "currentTotalPriceSet");
    const money: unknown = typeof set === "object" && set !== null ? Reflect.get(set, "shopMoney") : null;
    const code: unknown =
      typeof money === "object" && money !== null ? Reflect.get(money, "currencyCode") : null;
    return typeof code === "string" && /^[A-Z]{3}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}

const decode = (buf: Buffer, start: number, end: number): string => {
  const text = buf.toString("utf8", start, end);
  return text.endsWith("\r") ? text.slice(0, -1) : text;
};

/** forEachLine with a read failure as the command's one-line error. */
async function eachLine(
  file: string,
  visit: (buf: Buffer, start: number, end: number) => void,
): Promise<void> {
  try {
    await forEachLine(file, visit);
  } catch (error) {
    if (error instanceof StrictStop) throw error;
    throw new FileAccessError(`cannot read ${file}: ${describeFileError(error)}`);
  }
}

/**
 * Reads both files; `onCustomer` gets each accepted customer in slot order. Throws StrictStop at the
 * first bad line under `strict`, FileAccessError when a file cannot be read. Lines are read from
 * the bytes (CustomerFactsReader, OrderFactsReader); a line they leave to the string parsers is
 * decoded and read by parseCustomerFacts / parseOrderFacts, which also say why a line is bad.
 */
export async function readStore(
  files: StoreFiles,
  stderr: (line: string) => void,
  onCustomer?: (customer: CustomerFacts) => void,
): Promise<ReadStore> {
  const counters: ReadCounters = {
    badLines: { customers: 0, orders: 0 },
    customers: 0,
    orders: 0,
    counted: 0,
    unknownCustomer: 0,
  };
  const bad = (kind: "customers" | "orders", line: number, reason: string): void => {
    stderr(`${files[kind]}:${line}: ${reason}`);
    counters.badLines[kind]++;
    if (files.strict) throw new StrictStop();
  };
  const table = new CustomerTable();

  const addCustomer = (id: number, line: number, facts: () => CustomerFacts): void => {
    if (!Number.isSafeInteger(id)) bad("customers", line, "id: beyond 2^53");
    else if (!table.add(id)) bad("customers", line, "id: duplicate customer");
    else {
      onCustomer?.(facts());
      counters.customers++;
    }
  };
  const customerText = (text: string, line: number): void => {
    if (text.trim() === "") return bad("customers", line, "empty line");
    const result = parseCustomerFacts(text, line);
    if (result.kind === "child") return;
    if (result.kind === "error") return bad("customers", line, result.reason);
    addCustomer(Number(result.row.id), line, () => result.row);
  };
  const customers = new CustomerFactsReader();
  const customerFacts = () => customers.facts();
  let line = 0;
  await eachLine(files.customers, (buf, start, end) => {
    line++;
    const read = customers.read(buf, start, end);
    if (read === READ.ROW) addCustomer(customers.id, line, customerFacts);
    else if (read === READ.OTHER) customerText(decode(buf, start, end), line);
  });

  // order id → the line it was first read on
  const seen = new IdIndex(1 << 16);
  const asOfMs = files.asOf.getTime();
  const addOrder = (
    line: number,
    o: {
      id: number;
      customerId: number;
      createdMs: number;
      cancelled: boolean;
      test: boolean;
      totalMinor: number;
      discountMinor: number;
    },
  ): void => {
    if (!Number.isSafeInteger(o.id)) return bad("orders", line, "id: beyond 2^53");
    if (!seen.add(o.id, line))
      return bad(
        "orders",
        line,
        `id: duplicate order (first on line ${seen.get(o.id) ?? "?"}), counted once`,
      );
    counters.orders++;
    // Counted orders: not a test, not cancelled, not a guest's, placed by T.
    if (o.test || o.cancelled || o.customerId < 0 || o.createdMs > asOfMs) return;
    const slot = table.slotOf(o.customerId);
    if (slot === undefined) {
      counters.unknownCustomer++;
      return;
    }
    if (!table.addOrder(slot, o.totalMinor, o.discountMinor > 0, o.createdMs)) {
      return bad("orders", line, "currentTotalPriceSet: customer total beyond 2^53 minor units");
    }
    counters.counted++;
  };
  let currency = files.currency;
  let orders = currency === null ? null : new OrderFactsReader(currency);
  const orderText = (text: string, line: number): void => {
    if (text.trim() === "") return bad("orders", line, "empty line");
    currency ??= currencyOf(text);
    orders ??= currency === null ? null : new OrderFactsReader(currency);
    const result = parseOrderFacts(text, line, currency ?? "XXX");
    if (result.kind === "child") return;
    if (result.kind === "error") return bad("orders", line, result.reason);
    const o = result.row;
    addOrder(line, {
      id: Number(o.id),
      customerId: o.customerId === null ? -1 : Number(o.customerId),
      createdMs: o.shopifyCreatedAt.getTime(),
      cancelled: o.cancelledAt !== null,
      test: o.test,
      totalMinor: Number(o.totalMinor),
      discountMinor: o.discountMinor > 0n ? 1 : 0,
    });
  };
  line = 0;
  await eachLine(files.orders, (buf, start, end) => {
    line++;
    const read = orders === null ? READ.OTHER : orders.read(buf, start, end);
    if (read === READ.ROW && orders) addOrder(line, orders);
    else if (read === READ.OTHER) orderText(decode(buf, start, end), line);
  });
  return { table, counters, currency };
}
