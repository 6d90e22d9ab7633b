import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseOrderFacts, type OrderFacts } from "../backfill/fact-lines";
import {
  AFTER,
  canonical,
  damage,
  LINE_ITEM_SHAPE,
  nodeOf,
  oneByteEdits,
  ORDER_SHAPE,
  pick,
  reshape,
  rng,
  serialize,
  style,
  withInvalidUtf8,
  wreck,
  type Json,
  type Level,
  type Shape,
  type Style,
} from "../../testing/jsonl-lines";
import { lineItemValue, lower, orderValue, type Obj } from "../../testing/jsonl-values";
import { OrderFactsReader, READ } from "./order-facts-bytes";

// The oracle is parseOrderFacts over the line's UTF-8 text, one trailing "\r" dropped: a ROW must
// carry its facts, a CHILD must be its child; OTHER is allowed except for lines the reader's
// canonical path (level 2) or general path (level 1) is meant to read.

const EXPONENT = { USD: 2, JPY: 0, BHD: 3 } as const;
type Currency = keyof typeof EXPONENT;
// One reader per currency, reused for every line as the CLI reuses it, so state a line leaves shows.
const readers: Record<Currency, OrderFactsReader> = {
  USD: new OrderFactsReader("USD"),
  JPY: new OrderFactsReader("JPY"),
  BHD: new OrderFactsReader("BHD"),
};
const PLAIN = new Set(["createdAt", "cancelledAt", "amount"]);
const BEFORE = ["", "\n", '{"id":"gid://shopify/Order/2"}\n', "\xff", '"', "\r\n"];

type Case = { currency: Currency; value: Obj; shape: Shape; level: Level };

const orderCase = (currency: Currency): fc.Arbitrary<Case> =>
  orderValue(currency, EXPONENT[currency]).map((c) => ({ ...c, currency, shape: ORDER_SHAPE }));
const lineItemCase = (currency: Currency): fc.Arbitrary<Case> =>
  lineItemValue.map((c) => ({ ...c, currency, shape: LINE_ITEM_SHAPE }));
const orders = fc.oneof({ weight: 2, arbitrary: orderCase("USD") }, orderCase("JPY"), orderCase("BHD"));
const anyCase = fc.oneof({ weight: 4, arbitrary: orders }, lineItemCase("USD"));

const facts = (r: OrderFactsReader): number[] => [
  r.id,
  r.customerId,
  r.createdMs,
  r.totalMinor,
  r.discountMinor,
];

// As bigints, so a number past 2^53 cannot round to the reference's value.
function expectFacts(r: OrderFactsReader, row: OrderFacts, where: string): void {
  expect(facts(r).every(Number.isSafeInteger), where).toBe(true);
  const { id, customerId, shopifyCreatedAt, cancelledAt, test, totalMinor, discountMinor } = row;
  const want = [id, customerId ?? -1n, BigInt(shopifyCreatedAt.getTime()), totalMinor, discountMinor];
  expect(
    facts(r).map((n) => BigInt(n)),
    where,
  ).toEqual(want);
  expect([r.cancelled, r.test], where).toEqual([cancelledAt !== null, test]);
}

const bigints = (_: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);

/** Reads line between other bytes and holds it to the contract; the reader's result. */
function check(currency: Currency, line: Buffer, level: Level, random: () => number, after?: Buffer): number {
  const reader = readers[currency];
  const before = Buffer.from(pick(random, BEFORE), "latin1");
  const buf = Buffer.concat([before, line, after ?? Buffer.from(pick(random, AFTER))]);
  const shapes = reader.otherShapes;
  const got = reader.read(buf, before.length, before.length + line.length);
  const text = line.toString("utf8").replace(/\r$/, "");
  const ref = parseOrderFacts(text, 1, currency);
  const where = `${JSON.stringify(text)} in ${currency}: ${JSON.stringify(ref, bigints)}`;
  if (got === READ.ROW) {
    expect(ref.kind, where).toBe("row");
    if (ref.kind === "row") expectFacts(reader, ref.row, where);
  } else if (got === READ.CHILD) expect(ref.kind, where).toBe("child");
  else expect(got, where).toBe(READ.OTHER);
  if (level >= 1 && ref.kind !== "error") expect(got, where).not.toBe(READ.OTHER);
  if (level === 2) {
    expect(ref.kind, where).not.toBe("error");
    expect(reader.otherShapes - shapes, `fell back on ${where}`).toBe(0);
  }
  return got;
}

/** The value as the bulk query writes it, or reshaped as another producer might; invalid UTF-8 for MARK. */
function encode(value: Json, shape: Shape, random: () => number, s?: Style, crlf = false): Buffer {
  const text = s
    ? serialize(reshape(nodeOf(value, PLAIN), random, random() < 0.5 ? 1 : 0.3), random, s)
    : canonical(value, shape);
  return withInvalidUtf8(Buffer.from(text + (crlf ? "\r" : "")), random);
}

const money = (amount: Json, currencyCode: string): Obj => ({ shopMoney: { amount, currencyCode } });
type Mutation = [name: string, change: (o: Obj, currency: Currency) => Json, level: Level | "child" | "cap"];
const MUTATIONS: Mutation[] = [
  ["customer without id", (o) => ({ ...o, customer: { email: "a@b.example" } }), 0],
  ["customer id as a number", (o) => ({ ...o, customer: { id: 5 } }), 0],
  ["customer as a gid string", (o) => ({ ...o, customer: "gid://shopify/Customer/5" }), 0],
  ["__parentId", (o) => ({ ...o, __parentId: "gid://shopify/Order/1" }), "child"],
  ["__parentId null", (o) => ({ ...o, __parentId: null }), "child"],
  ["no cancelledAt", ({ cancelledAt: _, ...o }) => o, 0],
  ["no createdAt", ({ createdAt: _, ...o }) => o, 0],
  ["test as a number", (o) => ({ ...o, test: 1 }), 0],
  ["test as a string", (o) => ({ ...o, test: "false" }), 0],
  ["amount as a number", (o, c) => ({ ...o, currentTotalPriceSet: money(12, c) }), 0],
  ["no totalDiscountsSet", ({ totalDiscountsSet: _, ...o }) => o, 0],
  ["discount in euros", (o) => ({ ...o, totalDiscountsSet: money("0", "EUR") }), 0],
  ["a first visit", (o) => ({ ...o, customerJourneySummary: { firstVisit: { landingPage: "/" } } }), "cap"],
  ["discount codes not strings", (o) => ({ ...o, discountCodes: [1, null, { code: "X" }] }), "cap"],
  ["no updatedAt, landingPageUrl", ({ updatedAt: _, landingPageUrl: __, ...o }) => o, "cap"],
  ["id as a number", (o) => ({ ...o, id: 5 }), 0],
  ["an array", (o) => [o], 0],
  ["a number", () => 42, 0],
  ["null", () => null, 0],
];

describe("OrderFactsReader against parseOrderFacts", () => {
  it("reads canonical lines on its fast path, CRLF and invalid UTF-8 inside strings included", () => {
    fc.assert(
      fc.property(anyCase, fc.boolean(), fc.integer(), (c, crlf, seed) => {
        const random = rng(seed);
        check(c.currency, encode(c.value, c.shape, random, undefined, crlf), c.level, random);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads reshaped lines (keys in any order, escapes, whitespace, duplicates, unknown fields) on its general path", () => {
    fc.assert(
      fc.property(anyCase, style, fc.boolean(), fc.integer(), (c, s, crlf, seed) => {
        const random = rng(seed);
        check(c.currency, encode(c.value, c.shape, random, s, crlf), lower(c.level, 1), random);
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees on lines with changed values and types, canonical or reshaped", () => {
    fc.assert(
      fc.property(orders, fc.constantFrom(...MUTATIONS), fc.option(style), fc.integer(), (c, m, s, seed) => {
        const random = rng(seed);
        const [, change, effect] = m;
        const level = effect === "child" ? 1 : effect === "cap" ? lower(c.level, 1) : effect;
        check(
          c.currency,
          encode(change(c.value, c.currency), c.shape, random, s ?? undefined),
          level,
          random,
        );
      }),
      { numRuns: 3000 },
    );
  });

  it("never reads a damaged line as a row the reference refuses (corrupt bytes, invalid UTF-8 outside strings, text after)", () => {
    fc.assert(
      fc.property(
        anyCase,
        fc.option(style),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (c, s, wrecked, n, seed) => {
          const random = rng(seed);
          const node = wreck(nodeOf(c.value, PLAIN), random, 0.3);
          const base =
            wrecked && s
              ? Buffer.from(serialize(node, random, s))
              : encode(c.value, c.shape, random, s ?? undefined);
          check(c.currency, damage(withInvalidUtf8(base, random), random, n), 0, random);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("refuses a truncated line whose rest follows it in the buffer", () => {
    fc.assert(
      fc.property(anyCase, fc.option(style), fc.nat(), fc.integer(), (c, s, at, seed) => {
        const random = rng(seed);
        const whole = encode(c.value, c.shape, random, s ?? undefined, random() < 0.3);
        const cut = at % whole.length;
        check(c.currency, whole.subarray(0, cut), 0, random, whole.subarray(cut));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads each line of a buffer of many the same as alone", () => {
    fc.assert(
      fc.property(fc.array(anyCase, { minLength: 1, maxLength: 12 }), fc.integer(), (cases, seed) => {
        const random = rng(seed);
        const lines = cases.map((c) => encode(c.value, c.shape, random, undefined, random() < 0.3));
        const buf = Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")]));
        let start = 0;
        cases.forEach((c, i) => {
          const line = lines[i] ?? Buffer.alloc(0);
          const reader = readers[c.currency];
          const inside = reader.read(buf, start, start + line.length);
          const read = facts(reader);
          expect(check(c.currency, line, c.level, random), line.toString()).toBe(inside);
          if (inside === READ.ROW) expect(facts(reader)).toEqual(read);
          start += line.length + 1;
        });
      }),
      { numRuns: 400 },
    );
  });
});

describe("OrderFactsReader edge lines", () => {
  const order = (id: string, extra: Obj = {}): string =>
    canonical(
      {
        id: `gid://shopify/Order/${id}`,
        createdAt: "2024-11-29T10:00:00.5-05:00",
        updatedAt: "2024-11-29T10:00:00Z",
        cancelledAt: null,
        test: false,
        customer: { id: "gid://shopify/Customer/7" },
        currentTotalPriceSet: money("12.50", "USD"),
        totalDiscountsSet: money("0.0", "USD"),
        discountCodes: [],
        landingPageUrl: null,
        customerJourneySummary: null,
        ...extra,
      },
      ORDER_SHAPE,
    );
  const usd = (amount: string): Obj => ({ currentTotalPriceSet: money(amount, "USD") });
  const item = (product: string, parent = "gid://shopify/Order/5"): string =>
    `{"id":"gid://shopify/LineItem/1","product":${product},"__parentId":"${parent}"}`;
  const lines: [name: string, line: string, level: Level][] = [
    ["a 15-digit id", order("123456789012345"), 2],
    ["a 16-digit id", order("1234567890123456"), 1],
    ["the largest safe id", order("9007199254740991"), 1],
    ["an id past the safe integers", order("9007199254740992"), 0],
    ["a 20-digit id", order("12345678901234567890"), 0],
    ["created on Feb 30", order("5", { createdAt: "2024-02-30T10:00:00Z" }), 2],
    ["cancelled with 9 decimals", order("5", { cancelledAt: "2024-12-31T23:59:59.999999999+14:00" }), 2],
    ["24:00", order("5", { createdAt: "2024-11-29T24:00:00Z" }), 0],
    ["month 13", order("5", { createdAt: "2024-13-01T00:00:00Z" }), 0],
    ["cancelled on day 32", order("5", { cancelledAt: "2024-02-32T00:00:00Z" }), 0],
    ["a guest's test order", order("5", { test: true, customer: null }), 2],
    ["a negative total", order("5", usd("-1.00")), 0],
    ["a total in tenths of cents", order("5", usd("1.005")), 0],
    ["a 15-digit total, a trailing zero", order("5", usd("9999999999999.990")), 2],
    ["a 16-digit total", order("5", usd("99999999999999.99")), 0],
    ["escaped slashes", order("5").replaceAll("/", "\\/"), 1],
    ["a space after", order("5") + " ", 1],
    ["two CRs", order("5") + "\r\r", 1],
    ["a space before", ` ${order("5")}`, 1],
    ["customer twice", order("5").replace('"customer"', '"customer":null,"customer"'), 1],
    ["test twice", order("5").replace('"test":false', '"test":true,"test":false'), 1],
    ["a line item", item("null"), 2],
    ["a line item, product without digits", item('{"id":"gid://shopify/Product/"}'), 1],
    ["a line item, parent id ending in a backslash", item("null", "gid://shopify/Order/5\\"), 0],
    ["a line item, product id with a control byte", item('{"id":"gid://shopify/Product/1\u0001"}'), 0],
    ["a brace after", order("5") + "}", 0],
    ["a letter after", order("5") + "x", 0],
    ["only a __parentId", '{"__parentId":0}', 1],
    ["a nested __parentId", '{"x":{"__parentId":"gid://shopify/Order/5"}}', 0],
    ["a BOM", "\ufeff" + order("5"), 0],
    ["nothing", "", 0],
    ["a CR", "\r", 0],
    ["an array", "[]", 0],
    ["a number", "1", 0],
    ["a string", '"x"', 0],
    ["an empty object", "{}", 0],
  ];
  it.each(lines)("%s", (_, line, level) => {
    for (const after of AFTER) check("USD", Buffer.from(line), level, () => 0, Buffer.from(after));
  });

  it("agrees on every line one byte edit away from canonical ones", () => {
    const cancelled = { cancelledAt: "2024-12-01T00:00:00Z", discountCodes: ["A", "B"], landingPageUrl: "/" };
    const visit = { customerJourneySummary: { firstVisit: null } };
    for (const line of [
      order("5", { ...cancelled, ...visit }),
      order("6"),
      item('{"id":"gid://shopify/Product/2"}'),
    ])
      for (const edited of oneByteEdits(Buffer.from(line))) check("USD", edited, 0, () => 0.5);
  });

  it("goes to the general path for a reordered line, counting it", () => {
    const reader = readers.USD;
    const value: unknown = JSON.parse(order("77"));
    const reversed = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(value ?? {}).reverse())));
    const shapes = reader.otherShapes;
    expect(check("USD", reversed, 1, () => 0)).toBe(READ.ROW);
    expect(reader.otherShapes).toBe(shapes + 1);
    expect(reader.id).toBe(77);
  });
});
