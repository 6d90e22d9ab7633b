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

export async function readOrders(
  file: string,
  { currency: shopCurrency, asOf }: { currency: string | null; asOf: Date },
  bad: ReportBad,
  count: CountOrder,
): Promise<ReadOrders> {
  // order id → the line it was first read on
  const seen = new IdIndex(1 << 16);
  const asOfMs = asOf.getTime();
  let orders = 0;
  const add = (line: number, o: OrderFields): void => {
    if (!Number.isSafeInteger(o.id)) return bad(line, "id: beyond 2^53");
    if (!seen.add(o.id, line))
      return bad(line, `id: duplicate order (first on line ${seen.get(o.id) ?? "?"}), counted once`);
    orders++;
    if (o.test || o.cancelled || o.customerId < 0 || o.createdMs > asOfMs) return;
    count(o.customerId, o.totalMinor, o.discountMinor > 0, o.createdMs, line);
  };
  let currency = shopCurrency;
  let reader = currency === null ? null : new OrderFactsReader(currency);
  let line = 0;
  await eachLine(file, (buf, start, end) => {
    line++;
    const read = reader === null ? READ.OTHER : reader.read(buf, start, end);
    if (read === READ.ROW && reader) return add(line, reader);
    if (read === READ.CHILD) return;
    const text = lineText(buf, start, end);
    if (text.trim() === "") return bad(line, "empty line");
    currency ??= currencyOf(text);
    reader ??= currency === null ? null : new OrderFactsReader(currency);
    const result = parseOrderFacts(text, line, currency ?? "XXX");
    if (result.kind === "child") return;
    if (result.kind === "error") return bad(line, result.reason);
    const o = result.row;
    add(line, {
      id: Number(o.id),
      customerId: o.customerId === null ? -1 : Number(o.customerId),
      createdMs: o.shopifyCreatedAt.getTime(),
      cancelled: o.cancelledAt !== null,
      test: o.test,
      totalMinor: Number(o.totalMinor),
      discountMinor: o.discountMinor > 0n ? 1 : 0,
    });
  });
  return { orders, currency };
}
