import { describe, expect, it } from "vitest";
import { parseCustomerFacts, parseOrderFacts } from "../../app/sync/backfill/fact-lines";
import { CustomerFactsReader } from "../../app/sync/jsonl/customer-facts-bytes";
import { OrderFactsReader, READ } from "../../app/sync/jsonl/order-facts-bytes";
import {
  canonical,
  CUSTOMER_SHAPE,
  isRecord,
  LINE_ITEM_SHAPE,
  ORDER_SHAPE,
} from "../../app/testing/jsonl-lines";
import { customerLine, orderLines } from "../bench/bulk-jsonl";
import { generateStore, TEST_HISTORY_END } from "../emulator/index";

// The byte readers on the exact lines test/bench/bulk-jsonl.ts writes for generated stores: every
// line read on the canonical path, none falling back; the same lines with keys reordered or slashes
// escaped read on the general path, never left to the string parsers. Here rather than beside the
// readers because app/ may not import test code; the property tests there use app/testing's shapes,
// which the first test holds to bulk-jsonl's.

const CUSTOMERS = 200;
const ORDERS = 1000;
const stores = [1, 2, 3].map((seed) => {
  const store = generateStore({
    domain: "t.myshopify.com",
    seed,
    customers: CUSTOMERS,
    orders: ORDERS,
    until: TEST_HISTORY_END,
  });
  return {
    seed,
    customers: Array.from({ length: CUSTOMERS }, (_, i) => customerLine(store.customer(i))),
    orders: Array.from({ length: ORDERS }, (_, j) => orderLines(store.order(j), store))
      .join("\n")
      .split("\n"),
  };
});

/** The lines as one file, and where each line is in it. */
function file(lines: string[], eol: string): { buf: Buffer; ranges: [number, number][] } {
  const parts = lines.map((l) => Buffer.from(l));
  const ranges: [number, number][] = [];
  let at = 0;
  for (const part of parts) {
    ranges.push([at, at + part.length + eol.length - 1]);
    at += part.length + eol.length;
  }
  return { buf: Buffer.concat(parts.flatMap((p) => [p, Buffer.from(eol)])), ranges };
}

function expectOrder(reader: OrderFactsReader, got: number, text: string): void {
  const ref = parseOrderFacts(text, 1, "USD");
  if (ref.kind === "child") return void expect(got, text).toBe(READ.CHILD);
  expect(ref.kind, text).toBe("row");
  expect(got, text).toBe(READ.ROW);
  if (ref.kind !== "row") return;
  const { id, customerId, shopifyCreatedAt, cancelledAt, test, totalMinor, discountMinor } = ref.row;
  const facts = [reader.id, reader.customerId, reader.createdMs, reader.totalMinor, reader.discountMinor];
  expect(facts.every(Number.isSafeInteger), text).toBe(true);
  expect(
    facts.map((n) => BigInt(n)),
    text,
  ).toEqual([id, customerId ?? -1n, BigInt(shopifyCreatedAt.getTime()), totalMinor, discountMinor]);
  expect([reader.cancelled, reader.test], text).toEqual([cancelledAt !== null, test]);
}

function expectCustomer(reader: CustomerFactsReader, got: number, text: string): void {
  const ref = parseCustomerFacts(text, 1);
  expect(ref.kind, text).toBe("row");
  expect(got, text).toBe(READ.ROW);
  if (ref.kind === "row") expect(reader.facts(), text).toStrictEqual(ref.row);
}

const reversed = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(reversed);
  if (!isRecord(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .reverse()
      .map(([k, x]) => [k, reversed(x)]),
  );
};
const RESHAPES: [string, (line: string) => string][] = [
  ["keys reversed at every depth", (line) => JSON.stringify(reversed(JSON.parse(line)))],
  ["slashes escaped", (line) => line.replaceAll("/", "\\/")],
];

describe.each(stores)("bulk-jsonl lines of store $seed", ({ customers, orders }) => {
  it("are in app/testing's canonical shapes", () => {
    for (const line of customers) expect(canonical(JSON.parse(line), CUSTOMER_SHAPE)).toBe(line);
    for (const line of orders) {
      const child = line.includes('"__parentId"');
      expect(canonical(JSON.parse(line), child ? LINE_ITEM_SHAPE : ORDER_SHAPE)).toBe(line);
    }
  });

  it.each(["\n", "\r\n"])("are all read on the canonical path, in the file's buffer (EOL %j)", (eol) => {
    const orderReader = new OrderFactsReader("USD");
    const ordersFile = file(orders, eol);
    const counts = [0, 0, 0];
    orders.forEach((line, i) => {
      const [start, end] = ordersFile.ranges[i] ?? [0, 0];
      const got = orderReader.read(ordersFile.buf, start, end);
      counts[got] = (counts[got] ?? 0) + 1;
      expectOrder(orderReader, got, line);
    });
    expect(counts).toEqual([ORDERS, orders.length - ORDERS, 0]);
    expect(orderReader.otherShapes).toBe(0);

    const customerReader = new CustomerFactsReader();
    const customersFile = file(customers, eol);
    customers.forEach((line, i) => {
      const [start, end] = customersFile.ranges[i] ?? [0, 0];
      expectCustomer(customerReader, customerReader.read(customersFile.buf, start, end), line);
    });
    expect(customerReader.otherShapes).toBe(0);
  });

  it.each(RESHAPES)("are all read on the general path with %s", (_, reshape) => {
    const orderReader = new OrderFactsReader("USD");
    for (const line of orders.map(reshape)) {
      const buf = Buffer.from(line);
      expectOrder(orderReader, orderReader.read(buf, 0, buf.length), line);
    }
    expect(orderReader.otherShapes).toBe(orders.length);

    const customerReader = new CustomerFactsReader();
    for (const line of customers.map(reshape)) {
      const buf = Buffer.from(line);
      expectCustomer(customerReader, customerReader.read(buf, 0, buf.length), line);
    }
    expect(customerReader.otherShapes).toBe(customers.length);
  });
});
