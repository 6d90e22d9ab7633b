import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ascii, compileFields, FieldReader, KIND, LINE } from "./byte-fields";

// The oracle is JSON.parse over Buffer#toString of the same bytes: the reader must accept exactly
// the lines it accepts, and give for each wanted path what reading its result gives.

const PATHS = [
  "id",
  "createdAt",
  "updatedAt",
  "cancelledAt",
  "test",
  "customer",
  "customer.id",
  "currentTotalPriceSet.shopMoney.amount",
  "currentTotalPriceSet.shopMoney.currencyCode",
  "totalDiscountsSet.shopMoney.amount",
  "totalDiscountsSet.shopMoney",
  "discountCodes",
  "landingPageUrl",
  "customerJourneySummary",
  "customerJourneySummary.firstVisit.landingPage",
  "email",
  "phone",
  "emailMarketingConsent.marketingState",
  "smsMarketingConsent.marketingState",
  "defaultAddress.countryCodeV2",
  "defaultAddress.provinceCode",
  "defaultAddress.timeZone",
  "product.id",
  "__parentId",
  "clé.ü",
  'we"ird',
  "__proto__",
];
const spec = compileFields(PATHS);
const reader = new FieldReader(spec);
const ORDER_PREFIX = ascii("gid://shopify/Order/");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON text as written: members in order, duplicates allowed, numbers as their text. */
type Node =
  | { t: "obj"; members: [string, Node][] }
  | { t: "arr"; items: Node[] }
  | { t: "str"; value: string }
  | { t: "num"; text: string }
  | { t: "lit"; text: "true" | "false" | "null" };

function nodeOf(value: Json): Node {
  if (value === null) return { t: "lit", text: "null" };
  if (typeof value === "boolean") return { t: "lit", text: value ? "true" : "false" };
  if (typeof value === "number") return { t: "num", text: String(value) };
  if (typeof value === "string") return { t: "str", value };
  if (Array.isArray(value)) return { t: "arr", items: value.map(nodeOf) };
  return { t: "obj", members: Object.entries(value).map(([k, v]) => [k, nodeOf(v)]) };
}

function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Style = { spaces: number; escapes: number; slashes: number };

function serialize(node: Node, random: () => number, style: Style): string {
  const ws = (): string => {
    if (random() >= style.spaces) return "";
    return [" ", "  ", "\t", "\r", "\n", " \r\n "][Math.floor(random() * 6)] ?? " ";
  };
  const str = (s: string): string => {
    let out = '"';
    for (const ch of s.split("")) {
      const c = ch.charCodeAt(0);
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (ch === "/" && random() < style.slashes) out += "\\/";
      else if (c < 0x20 || random() < style.escapes) {
        const short: Rec = { "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
        const hex = c.toString(16).padStart(4, "0");
        const named = short[ch];
        out +=
          typeof named === "string" && random() < 0.5
            ? named
            : "\\u" + (random() < 0.5 ? hex : hex.toUpperCase());
      } else out += ch;
    }
    return out + '"';
  };
  const go = (n: Node): string => {
    switch (n.t) {
      case "str":
        return str(n.value);
      case "num":
      case "lit":
        return n.text;
      case "arr":
        return "[" + ws() + n.items.map((i) => go(i) + ws()).join("," + ws()) + "]";
      case "obj":
        return (
          "{" +
          ws() +
          n.members.map(([k, v]) => str(k) + ws() + ":" + ws() + go(v) + ws()).join("," + ws()) +
          "}"
        );
    }
  };
  return ws() + go(node) + ws();
}

const pick = <T>(random: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("empty choice");
  return item;
};

function randomNode(random: () => number, depth: number): Node {
  const r = random();
  if (depth <= 0 || r < 0.6) {
    return pick(random, [
      { t: "lit", text: "null" },
      { t: "lit", text: "true" },
      { t: "lit", text: "false" },
      {
        t: "num",
        text: pick(random, ["0", "-0", "12.345", "1e3", "-2.5E-7", "123456789012345678901234567890"]),
      },
      {
        t: "str",
        value: pick(random, [
          "",
          "x",
          "gid://shopify/Order/1",
          "é\u2028\ud800",
          "12.345",
          "2024-11-29T10:00:00-05:00",
        ]),
      },
    ] satisfies Node[]);
  }
  if (r < 0.8)
    return {
      t: "arr",
      items: Array.from({ length: Math.floor(random() * 4) }, () => randomNode(random, depth - 1)),
    };
  const keys = ["id", "amount", "shopMoney", "x", "firstVisit", "é", ""];
  return {
    t: "obj",
    members: Array.from({ length: Math.floor(random() * 4) }, () => [
      pick(random, keys),
      randomNode(random, depth - 1),
    ]),
  };
}

/** Reorders, duplicates, drops, adds and retypes members of every object, at random. */
function perturb(node: Node, random: () => number, rate: number): Node {
  if (node.t === "arr") return { t: "arr", items: node.items.map((i) => perturb(i, random, rate)) };
  if (node.t !== "obj") return random() < rate / 4 ? randomNode(random, 2) : node;
  let members = node.members.map(([k, v]): [string, Node] => [k, perturb(v, random, rate)]);
  if (random() < rate) members.sort(() => random() - 0.5);
  if (random() < rate && members.length > 0) members.splice(Math.floor(random() * members.length), 1);
  if (random() < rate && members.length > 0) {
    const [key] = pick(random, members);
    const at = Math.floor(random() * (members.length + 1));
    members = [...members.slice(0, at), [key, randomNode(random, 2)], ...members.slice(at)];
  }
  if (random() < rate)
    members.splice(Math.floor(random() * (members.length + 1)), 0, [
      pick(random, ["extra", "nodes", "ü"]),
      randomNode(random, 3),
    ]);
  return { t: "obj", members };
}

const INTERESTING = [
  0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x0d, 0x0a, 0x00, 0x1f, 0x7f, 0x80, 0xc3, 0xe2, 0xed,
  0xf0, 0xff, 0x30, 0x2d, 0x2e, 0x2b, 0x65, 0x75, 0x6e, 0x74, 0x2f,
];

function corrupt(bytes: Buffer, random: () => number): Buffer {
  const at = Math.floor(random() * (bytes.length + 1));
  const byte = random() < 0.7 ? pick(random, INTERESTING) : Math.floor(random() * 256);
  const op = Math.floor(random() * 4);
  if (op === 0) return bytes.subarray(0, at);
  if (op === 1) return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  if (op === 2) return Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
  const copy = Buffer.from(bytes);
  if (at < copy.length) copy[at] = byte;
  return copy;
}

function oracle(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split(".")) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/** Reads line (inside junk, so reading past either end shows) and compares with JSON.parse. */
function expectAsJsonParse(line: Buffer, random: () => number = Math.random): void {
  const before = Buffer.from(
    Array.from({ length: Math.floor(random() * 4) }, () => pick(random, INTERESTING)),
  );
  const after = Buffer.from(
    Array.from({ length: Math.floor(random() * 4) }, () => pick(random, INTERESTING)),
  );
  const buf = Buffer.concat([before, line, after]);
  const status = reader.read(buf, before.length, before.length + line.length);
  const text = line.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    expect(status, text).toBe(LINE.INVALID);
    expect(reader.errorAt).toBeGreaterThanOrEqual(0);
    expect(reader.errorAt).toBeLessThanOrEqual(line.length);
    return;
  }
  if (!isRecord(parsed)) {
    expect(status, text).toBe(LINE.NOT_OBJECT);
    return;
  }
  expect(status, text).toBe(LINE.OBJECT);
  PATHS.forEach((path, slot) => expectSlot(slot, oracle(parsed, path), `${path} in ${text}`));
}

function expectSlot(slot: number, want: unknown, where: string): void {
  const kind = reader.kind[slot];
  const range = (): string =>
    Buffer.from(reader.bytes.subarray(reader.from[slot], reader.to[slot])).toString("utf8");
  if (want === undefined) return void expect(kind, where).toBe(KIND.ABSENT);
  if (want === null) return void expect(kind, where).toBe(KIND.NULL);
  if (want === true) return void expect(kind, where).toBe(KIND.TRUE);
  if (want === false) return void expect(kind, where).toBe(KIND.FALSE);
  if (typeof want === "number") {
    expect(kind, where).toBe(KIND.NUMBER);
    expect(Object.is(Number(reader.numberText(slot)), want), where).toBe(true);
    return;
  }
  if (typeof want === "string") {
    expect(kind, where).toBe(KIND.STRING);
    expect(reader.string(slot), where).toBe(want);
    if (/^[\x20-\x7e]*$/.test(want)) expect(reader.stringEquals(slot, ascii(want)), where).toBe(true);
    expect(reader.stringEquals(slot, ascii(want + "x")), where).toBe(false);
    const id = /^gid:\/\/shopify\/Order\/(\d{1,16})$/.exec(want)?.[1];
    const n = id === undefined ? -1 : Number(id);
    expect(reader.idAfter(slot, ORDER_PREFIX), where).toBe(n <= Number.MAX_SAFE_INTEGER ? n : -1);
    return;
  }
  expect(reader.numberText(slot)).toBeUndefined();
  expect(JSON.parse(range()), where).toEqual(want);
  if (Array.isArray(want)) {
    expect(kind, where).toBe(KIND.ARRAY);
    expect(reader.strings(slot), where).toEqual(want.every((v) => typeof v === "string") ? want : undefined);
  } else {
    expect(kind, where).toBe(KIND.OBJECT);
    expect(reader.strings(slot)).toBeUndefined();
  }
}

// Admin API lines as ORDERS_BULK_QUERY and the customers query write them, with awkward values.
const digits = fc
  .oneof(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 19n }))
  .map(String);
const gid = (type: string) => digits.map((d) => `gid://shopify/${type}/${d}`);
const time = fc.oneof(
  fc
    .tuple(
      fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
      fc.constantFrom("Z", "+00:00", "-05:00", "+05:30", "+14:00"),
      fc.boolean(),
    )
    .map(([d, zone, ms]) => d.toISOString().replace(ms ? /Z$/ : /\.\d{3}Z$/, zone)),
  fc.constantFrom("2024-13-01T00:00:00Z", "2024-02-30T25:61:00Z", "not a date", "", "2024-11-29"),
);
const amount = fc
  .tuple(fc.nat(999_999), fc.integer({ min: 0, max: 3 }), fc.nat(999))
  .map(([whole, places, frac]) =>
    places === 0 ? `${whole}` : `${whole}.${String(frac).padStart(3, "0").slice(0, places)}`,
  );
const money = fc.record({
  shopMoney: fc.record({ amount, currencyCode: fc.constantFrom("USD", "EUR", "JPY", "KWD") }),
});
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("a/b", "</script>", 'say "hi"\\'),
);
const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constant("https://shop.example/p?utm_source=a%2Fb&x=/y/"),
);

const order = fc.record({
  id: gid("Order"),
  createdAt: time,
  updatedAt: time,
  cancelledAt: fc.option(time),
  test: fc.boolean(),
  customer: fc.option(fc.record({ id: gid("Customer") })),
  currentTotalPriceSet: money,
  totalDiscountsSet: money,
  discountCodes: fc.array(text, { maxLength: 3 }),
  landingPageUrl: fc.option(url),
  customerJourneySummary: fc.option(
    fc.record({
      firstVisit: fc.option(fc.record({ landingPage: fc.option(url), referrerUrl: fc.option(url) })),
    }),
  ),
});
const consent = fc.option(
  fc.record({
    marketingState: fc.constantFrom("SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED"),
    marketingOptInLevel: fc.option(fc.constantFrom("SINGLE_OPT_IN", "CONFIRMED_OPT_IN")),
    consentUpdatedAt: fc.option(time),
  }),
);
const customer = fc.record({
  id: gid("Customer"),
  firstName: fc.option(text),
  email: fc.option(fc.emailAddress()),
  phone: fc.option(fc.constantFrom("+15555550100", "+44 20 7946 0958")),
  createdAt: time,
  tags: fc.array(text, { maxLength: 2 }),
  emailMarketingConsent: consent,
  smsMarketingConsent: consent,
  defaultAddress: fc.option(
    fc.record({
      countryCodeV2: fc.option(fc.constantFrom("US", "DE", "JP")),
      provinceCode: fc.option(fc.constantFrom("NY", "BY", "13")),
      timeZone: fc.option(fc.constantFrom("America/New_York", "Europe/Berlin", "Asia/Tokyo")),
    }),
  ),
});
const child = fc.record({
  id: gid("LineItem"),
  product: fc.option(fc.record({ id: gid("Product") })),
  __parentId: gid("Order"),
});
const line: fc.Arbitrary<Json> = fc.oneof(order, customer, child);
const style = fc.record({
  spaces: fc.constantFrom(0, 0.1, 0.5),
  escapes: fc.constantFrom(0, 0.05, 0.5),
  slashes: fc.constantFrom(0, 0.5, 1),
});

const encode = (node: Node, seed: number, s: Style, crlf = false): Buffer =>
  Buffer.from(serialize(node, rng(seed), s) + (crlf ? "\r" : ""), "utf8");

describe("FieldReader against JSON.parse", () => {
  it("reads canonical Admin API lines", () => {
    fc.assert(
      fc.property(line, fc.integer(), (value, seed) =>
        expectAsJsonParse(Buffer.from(JSON.stringify(value)), rng(seed)),
      ),
      { numRuns: 1500 },
    );
  });

  it("reads lines with keys in any order, escapes, whitespace, CRLF, duplicates, extra and missing fields", () => {
    fc.assert(
      fc.property(
        line,
        fc.integer(),
        style,
        fc.constantFrom(0.2, 0.5, 1),
        fc.boolean(),
        (value, seed, s, rate, crlf) => {
          const random = rng(seed);
          expectAsJsonParse(encode(perturb(nodeOf(value), random, rate), seed, s, crlf), random);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("accepts a damaged line exactly when JSON.parse does (truncated, garbage bytes, broken escapes)", () => {
    fc.assert(
      fc.property(line, fc.integer(), style, fc.integer({ min: 1, max: 3 }), (value, seed, s, damage) => {
        const random = rng(seed);
        let bytes = encode(perturb(nodeOf(value), random, 0.2), seed, s);
        for (let i = 0; i < damage; i++) bytes = corrupt(bytes, random);
        expectAsJsonParse(bytes, random);
      }),
      { numRuns: 4000 },
    );
  });

  it("agrees on arbitrary JSON values and random nesting with wanted keys", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), style, (value, seed, s) => {
        const random = rng(seed);
        expectAsJsonParse(encode(nodeOf(JSON.parse(JSON.stringify(value))), seed, s), random);
        const members: [string, Node][] = PATHS.map((p) => [p.split(".")[0] ?? "", randomNode(random, 4)]);
        expectAsJsonParse(encode(perturb({ t: "obj", members }, random, 0.5), seed, s), random);
      }),
      { numRuns: 1500 },
    );
  });

  const tokens = [
    "{",
    "}",
    "[",
    "]",
    '"',
    ":",
    ",",
    " ",
    "\r",
    "\t",
    "0",
    "1",
    "-",
    ".",
    "e",
    "E",
    "+",
    "true",
    "fals",
    "null",
    '"id"',
    '"customer"',
    "\\",
    "\\u00",
    "\\u",
    "\\n",
    "\\x",
    '\\"',
    "\u00e9",
    "\u0001",
    "\x7f",
  ];
  it("agrees on token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 24 }), fc.integer(), (parts, seed) => {
        expectAsJsonParse(Buffer.from(parts.join("")), rng(seed));
        expectAsJsonParse(Buffer.from(`{"id":${parts.join("")}}`), rng(seed));
        expectAsJsonParse(Buffer.from(`{"customer":{"id":"${parts.join("")}"}}`), rng(seed));
      }),
      { numRuns: 4000 },
    );
  });

  it("validates numbers by the JSON grammar and keeps their text", () => {
    const numberish = fc
      .array(fc.constantFrom("-", "+", "0", "1", "9", ".", "e", "E", "00"), { minLength: 1, maxLength: 8 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(numberish, fc.integer(), (n, seed) => {
        expectAsJsonParse(Buffer.from(n), rng(seed));
        expectAsJsonParse(Buffer.from(`{"test":${n}}`), rng(seed));
        expectAsJsonParse(Buffer.from(`{"test":[${n}],"id":${n} }`), rng(seed));
      }),
      { numRuns: 3000 },
    );
  });

  it("decodes invalid UTF-8 inside strings as Buffer#toString does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.integer(), (raw, seed) => {
        const safe = Buffer.from(raw.map((b) => (b < 0x20 || b === 0x22 || b === 0x5c ? 0x41 : b)));
        expectAsJsonParse(
          Buffer.concat([
            Buffer.from('{"email":"'),
            safe,
            Buffer.from('","id":"x\\/'),
            safe,
            Buffer.from('"}'),
          ]),
          rng(seed),
        );
        expectAsJsonParse(
          Buffer.concat([Buffer.from('{"clé":{"ü":"'), safe, Buffer.from('"},"'), safe, Buffer.from('":1}')]),
          rng(seed),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe("FieldReader edge cases", () => {
  const read = (text: string) => {
    const line = Buffer.from(text);
    return reader.read(line, 0, line.length);
  };
  const slot = (path: string) => spec.slotOf(path);

  it.each([
    "",
    " ",
    "{",
    "}",
    "{}}",
    "{,}",
    '{"id":1,}',
    '{"id" 1}',
    "{'id':1}",
    '{"id":01}',
    '{"id":1.}',
    '{"id":.5}',
    '{"id":+1}',
    '{"id":1e}',
    '{"id":-}',
    '{"id":NaN}',
    '{"id":Infinity}',
    '{"id":tru}',
    '{"id":nulls}',
    '{"id":"\\x41"}',
    '{"id":"\\u12G4"}',
    '{"id":"\\u123"}',
    '{"id":"a\tb"}',
    '{"id":"a',
    '{"id":[1,]}',
    '{"id":[1 2]}',
    '{"x":{"a":1,"b"}}',
    '\ufeff{"id":1}',
    '{"id":1}\u00a0',
    '{"id":1} {}',
    '{"id":1}\v',
  ])("refuses %j as JSON.parse does", (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(read(text)).toBe(LINE.INVALID);
  });

  it("says where the line stopped being JSON, from the line's start", () => {
    const buf = Buffer.from('xxx{"id":"a", "test":tru}');
    expect(reader.read(buf, 3, buf.length)).toBe(LINE.INVALID);
    expect(reader.errorAt).toBe(21);
    expect(read('{"id":1,}')).toBe(LINE.INVALID);
    expect(reader.errorAt).toBe(8);
  });

  it.each(["1", '"x"', "null", "[]", '[{"id":1}]', " true\r"])("finds %j valid but not an object", (text) => {
    expect(read(text)).toBe(LINE.NOT_OBJECT);
  });

  it("takes the last of duplicate keys, at every depth, as JSON.parse does", () => {
    expect(read('{"customer":{"id":"a"},"customer":{"x":1}}')).toBe(LINE.OBJECT);
    expect(reader.kind[slot("customer.id")]).toBe(KIND.ABSENT);
    expect(reader.kind[slot("customer")]).toBe(KIND.OBJECT);
    expect(read('{"customer":{"id":"a"},"customer":null,"customer":{"id":"b","id":"c"}}')).toBe(LINE.OBJECT);
    expect(reader.string(slot("customer.id"))).toBe("c");
    expect(read('{"customer":{"id":"a"},"customer":null}')).toBe(LINE.OBJECT);
    expect(reader.kind[slot("customer.id")]).toBe(KIND.ABSENT);
    expect(reader.kind[slot("customer")]).toBe(KIND.NULL);
  });

  it("matches keys written with escapes and keeps wanted values exact", () => {
    const line =
      String.raw`{"\u0069d":"gid:\/\/shopify\/Order\/123","currentTotalPriceSet":{"shopMoney":{"currencyCode":"USD","amount":"0.125"}},"test":false, "we\"ird":-0.0e+0 ,"__proto__":{"a":1}}` +
      "\r";
    expect(read(line)).toBe(LINE.OBJECT);
    expect(reader.string(slot("id"))).toBe("gid://shopify/Order/123");
    expect(reader.idAfter(slot("id"), ORDER_PREFIX)).toBe(123);
    expect(reader.string(slot("currentTotalPriceSet.shopMoney.amount"))).toBe("0.125");
    expect(reader.kind[slot("test")]).toBe(KIND.FALSE);
    expect(reader.numberText(slot('we"ird'))).toBe("-0.0e+0");
    expect(reader.kind[slot("__proto__")]).toBe(KIND.OBJECT);
  });

  it("decodes surrogate pairs and keeps lone surrogates as JSON.parse does", () => {
    const line = String.raw`{"email":"\ud83d\ude00 \uD800 x\udc00","phone":"\"\\\/\b\f\n\r\t"}`;
    expect(read(line)).toBe(LINE.OBJECT);
    expect(reader.string(slot("email"))).toBe("\u{1F600} \ud800 x\udc00");
    expect(reader.string(slot("phone"))).toBe('"\\/\b\f\n\r\t');
  });

  it("reads lines nested deeper than any call stack", () => {
    const deep = 200_000;
    expect(read(`{"x":${"[".repeat(deep)}${"]".repeat(deep)},"id":1}`)).toBe(LINE.OBJECT);
    expect(reader.numberText(slot("id"))).toBe("1");
    expect(read(`{"x":${'[{"a":'.repeat(deep)}1${"}]".repeat(deep)}}`)).toBe(LINE.OBJECT);
    expect(read(`{"x":${"[".repeat(deep)}${"]".repeat(deep - 1)}}`)).toBe(LINE.INVALID);
  });

  it("gives ids only for the exact prefix and up to 16 safe digits", () => {
    const id = (value: string) => {
      expect(read(JSON.stringify({ id: value }))).toBe(LINE.OBJECT);
      return reader.idAfter(slot("id"), ORDER_PREFIX);
    };
    expect(id("gid://shopify/Order/0042")).toBe(42);
    expect(id("gid://shopify/Order/9007199254740991")).toBe(9007199254740991);
    expect(id("gid://shopify/Order/9007199254740992")).toBe(-1);
    expect(id("gid://shopify/Order/12345678901234567")).toBe(-1);
    expect(id("gid://shopify/Order/")).toBe(-1);
    expect(id("gid://shopify/Order/1a")).toBe(-1);
    expect(id("gid://shopify/Customer/1")).toBe(-1);
    expect(read('{"id":1}')).toBe(LINE.OBJECT);
    expect(reader.idAfter(slot("id"), ORDER_PREFIX)).toBe(-1);
  });

  it("reads only its range of a shared buffer and refuses a range outside it", () => {
    const buf = Buffer.from('{"id":"a"}\n{"id":"b"}\r\n{"id"');
    expect(reader.read(buf, 11, 22)).toBe(LINE.OBJECT);
    expect(reader.string(slot("id"))).toBe("b");
    expect(reader.read(buf, 23, buf.length)).toBe(LINE.INVALID);
    expect(() => reader.read(buf, 0, buf.length + 1)).toThrow(RangeError);
    expect(reader.read(new Uint8Array(buf), 0, 10)).toBe(LINE.OBJECT);
    expect(reader.string(slot("id"))).toBe("a");
  });

  it("reads a view at any offset into a larger buffer, up to the buffer's last byte", () => {
    const text = '{"email":"abcdefghijklmnopqrstuvwxyz","id":"gid://shopify/Order/7"}';
    for (let offset = 0; offset < 8; offset++) {
      const memory = new ArrayBuffer(offset + text.length + 3);
      const view = new Uint8Array(memory, offset, text.length);
      view.set(Buffer.from(text));
      expect(reader.read(view, 0, view.length)).toBe(LINE.OBJECT);
      expect(reader.string(slot("email"))).toBe("abcdefghijklmnopqrstuvwxyz");
      expect(reader.idAfter(slot("id"), ORDER_PREFIX)).toBe(7);
      for (let cut = 0; cut < view.length; cut++) expect(reader.read(view, 0, cut)).toBe(LINE.INVALID);
    }
  });

  it("refuses a spec with an empty key or a path given twice, and an unknown slot", () => {
    expect(() => compileFields(["a..b"])).toThrow();
    expect(() => compileFields(["a", "a"])).toThrow();
    expect(() => spec.slotOf("nope")).toThrow();
  });
});
