import { parseOrderFacts } from "../../sync/backfill/fact-lines";
import { OrderFactsReader, READ } from "../../sync/jsonl/order-facts-bytes";
import { IdIndex } from "./id-index";
import { eachLine, lineText, type ReportBad } from "./read-lines.server";

// The orders file, order by order: a repeated order id counts once (the first line), and the
// counted orders — not a test, not cancelled, not a guest's, placed by T — go to `count`. Lines
// are read from the bytes; one the byte reader leaves is read by parseOrderFacts, which says why a
// line is bad. Nothing is kept per order but its id.

/** A counted order of a customer, on `line`. */
export type CountOrder = (
  customerId: number,
  totalMinor: number,
  discounted: boolean,
  createdMs: number,
  line: number,
) => void;

export interface ReadOrders {
  /** orders read (a repeated id once) */
  orders: number;
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

interface OrderFields {
  id: number;
  customerId: number;
  createdMs: number;
  cancelled: boolean;
  test: boolean;
  totalMinor: number;
  discountMinor: number;
}

/** "first on line N" of a repeated order id. */
export const duplicateReason = (firstLine: number): string =>
  `id: duplicate order (first on line ${firstLine}), counted once`;

export interface OrdersOptions {
  currency: string | null;
  asOf: Date;
}

/**
 * An orders file read in one or more consecutive byte ranges, its lines numbered from the first:
 * the repeated-id check and the currency carry from one range to the next.
 */
export class OrderLines {
  /** orders read (a repeated id once) */
  orders = 0;
  /** lines read */
  line = 0;
  /** the shop's currency, or the first order's; null while no order named one */
  currency: string | null;
  // order id → the line it was first read on
  readonly seen = new IdIndex(1 << 16);
  private reader: OrderFactsReader | null;
  private readonly asOfMs: number;

  constructor(
    options: OrdersOptions,
    private readonly bad: ReportBad,
    private readonly count: CountOrder,
    private readonly duplicate: (line: number, firstLine: number) => void = (line, first) =>
      bad(line, duplicateReason(first)),
  ) {
    this.currency = options.currency;
    this.reader = this.currency === null ? null : new OrderFactsReader(this.currency);
    this.asOfMs = options.asOf.getTime();
  }

  /** Reads the lines of file[from, to) (from and to at line starts; to past the end for all). */
  async read(file: string, from = 0, to = Number.MAX_SAFE_INTEGER): Promise<void> {
    await eachLine(file, (buf, start, end) => this.visit(buf, start, end), { from, to });
  }

  private add(line: number, o: OrderFields): void {
    if (!Number.isSafeInteger(o.id)) return this.bad(line, "id: beyond 2^53");
    if (!this.seen.add(o.id, line)) return this.duplicate(line, this.seen.get(o.id) ?? 0);
    this.orders++;
    if (o.test || o.cancelled || o.customerId < 0 || o.createdMs > this.asOfMs) return;
    this.count(o.customerId, o.totalMinor, o.discountMinor > 0, o.createdMs, line);
  }

  private visit(buf: Buffer, start: number, end: number): void {
    const line = ++this.line;
    const reader = this.reader;
    const read = reader === null ? READ.OTHER : reader.read(buf, start, end);
    if (read === READ.ROW && reader) return this.add(line, reader);
    if (read === READ.CHILD) return;
    const text = lineText(buf, start, end);
    if (text.trim() === "") return this.bad(line, "empty line");
    this.currency ??= currencyOf(text);
    this.reader ??= this.currency === null ? null : new OrderFactsReader(this.currency);
    const result = parseOrderFacts(text, line, this.currency ?? "XXX");
    if (result.kind === "child") return;
    if (result.kind === "error") return this.bad(line, result.reason);
    const o = result.row;
    this.add(line, {
      id: Number(o.id),
      customerId: o.customerId === null ? -1 : Number(o.customerId),
      createdMs: o.shopifyCreatedAt.getTime(),
      cancelled: o.cancelledAt !== null,
      test: o.test,
      totalMinor: Number(o.totalMinor),
      discountMinor: o.discountMinor > 0n ? 1 : 0,
    });
  }
}

/** The whole orders file. */
export async function readOrders(
  file: string,
  options: OrdersOptions,
  bad: ReportBad,
  count: CountOrder,
): Promise<ReadOrders> {
  const lines = new OrderLines(options, bad, count);
  await lines.read(file);
  return { orders: lines.orders, currency: lines.currency };
}
