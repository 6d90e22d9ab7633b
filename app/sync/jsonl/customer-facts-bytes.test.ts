import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCustomerFacts } from "../backfill/fact-lines";
import {
  AFTER,
  canonical,
  CUSTOMER_SHAPE,
  damage,
  nodeOf,
  oneByteEdits,
  pick,
  reshape,
  rng,
  serialize,
  style,
  withInvalidUtf8,
  wreck,
  type Json,
  type Level,
  type Style,
} from "../../testing/jsonl-lines";
import { customerValue, lower, type Obj } from "../../testing/jsonl-values";
import { CustomerFactsReader } from "./customer-facts-bytes";
import { READ } from "./order-facts-bytes";

// The oracle is parseCustomerFacts over the line's UTF-8 text, one trailing "\r" dropped: after a
// ROW facts() must equal its row, a CHILD must be its child; OTHER is allowed except for lines the
// reader's canonical path (level 2) or general path (level 1) is meant to read.

// One reader for every line, as the CLI reuses it, so state a line leaves shows.
const reader = new CustomerFactsReader();
const NONE = new Set<string>();
const BEFORE = ["", "\n", '{"id":"gid://shopify/Customer/2"}\n', "\xff", '"', "\r\n"];
const bigints = (_: string, v: unknown): unknown => (typeof v === "bigint" ? `${v}n` : v);

/** Reads line between other bytes and holds it to the contract; the reader's result. */
function check(line: Buffer, level: Level, random: () => number, after?: Buffer): number {
  const before = Buffer.from(pick(random, BEFORE), "latin1");
  const buf = Buffer.concat([before, line, after ?? Buffer.from(pick(random, AFTER))]);
  const shapes = reader.otherShapes;
  const got = reader.read(buf, before.length, before.length + line.length);
  const text = line.toString("utf8").replace(/\r$/, "");
  const ref = parseCustomerFacts(text, 1);
  const where = `${JSON.stringify(text)}: ${JSON.stringify(ref, bigints)}`;
  if (got === READ.ROW) {
    expect(ref.kind, where).toBe("row");
    expect(Number.isSafeInteger(reader.id), where).toBe(true);
    if (ref.kind === "row") {
      expect(BigInt(reader.id), where).toBe(ref.row.id);
      expect(reader.facts(), where).toStrictEqual(ref.row);
    }
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
function encode(value: Json, random: () => number, s?: Style, crlf = false): Buffer {
  const text = s
    ? serialize(reshape(nodeOf(value, NONE), random, random() < 0.5 ? 1 : 0.3), random, s)
    : canonical(value, CUSTOMER_SHAPE);
  return withInvalidUtf8(Buffer.from(text + (crlf ? "\r" : "")), random);
}

// the canonical consent's members, so a bad state reaches the canonical path
const CONSENT: Obj = { marketingState: "SUBSCRIBED", marketingOptInLevel: null, consentUpdatedAt: null };
const address = (a: Obj) => (c: Obj) => ({ ...c, defaultAddress: a });
type Mutation = [name: string, change: (c: Obj) => Json, level: Level | "child" | "cap"];
const MUTATIONS: Mutation[] = [
  ["__parentId", (c) => ({ ...c, __parentId: "gid://shopify/Customer/1" }), "child"],
  ["__parentId false", (c) => ({ ...c, __parentId: false }), "child"],
  ["no id", ({ id: _, ...c }) => c, 0],
  ["id as a number", (c) => ({ ...c, id: 5 }), 0],
  ["an order's id", (c) => ({ ...c, id: "gid://shopify/Order/5" }), 0],
  ["email as a number", (c) => ({ ...c, email: 5 }), 0],
  ["phone as an object", (c) => ({ ...c, phone: { number: "+1" } }), 0],
  ["marketingState null", (c) => ({ ...c, emailMarketingConsent: { ...CONSENT, marketingState: null } }), 0],
  ["marketingState a number", (c) => ({ ...c, smsMarketingConsent: { ...CONSENT, marketingState: 1 } }), 0],
  ["consent without marketingState", (c) => ({ ...c, smsMarketingConsent: { marketingOptInLevel: "X" } }), 0],
  ["consent as a string", (c) => ({ ...c, smsMarketingConsent: "SUBSCRIBED" }), 0],
  ["consent as an array", (c) => ({ ...c, emailMarketingConsent: [{ marketingState: "SUBSCRIBED" }] }), 0],
  [
    "consent with numbers",
    (c) => ({ ...c, smsMarketingConsent: { marketingState: "X", marketingOptInLevel: 1 } }),
    "cap",
  ],
  ["address as a string", (c) => ({ ...c, defaultAddress: "1 Main St" }), 0],
  ["REST countryCode", address({ countryCode: "CA", provinceCode: "ON" }), "cap"],
  ["null countryCodeV2, countryCode", address({ countryCodeV2: null, countryCode: "US" }), "cap"],
  ["both country codes", address({ countryCodeV2: "", countryCode: "US", timeZone: null }), "cap"],
  ["countryCode as a number", address({ countryCodeV2: "US", countryCode: 1 }), 0],
  ["timeZone as a number", address({ timeZone: -5 }), 0],
  ["address with unknown fields", address({ city: "Köln", zip: 50667, timeZone: "Europe/Berlin" }), "cap"],
  ["no contact, consent or address", (c) => ({ id: c.id ?? null, tags: c.tags ?? [] }), "cap"],
  ["tags not strings", (c) => ({ ...c, tags: [1, null] }), "cap"],
  ["firstName as a number", (c) => ({ ...c, firstName: 1 }), "cap"],
  ["statistics as a string", (c) => ({ ...c, statistics: "x" }), "cap"],
  ["an array", (c) => [c], 0],
  ["a number", () => 42, 0],
  ["null", () => null, 0],
];

describe("CustomerFactsReader against parseCustomerFacts", () => {
  it("reads canonical lines on its fast path, escapes, CRLF and invalid UTF-8 inside strings included", () => {
    fc.assert(
      fc.property(customerValue, fc.boolean(), fc.integer(), (c, crlf, seed) => {
        const random = rng(seed);
        check(encode(c.value, random, undefined, crlf), c.level, random);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads reshaped lines (keys in any order, escapes, whitespace, duplicates, unknown fields) on its general path", () => {
    fc.assert(
      fc.property(customerValue, style, fc.boolean(), fc.integer(), (c, s, crlf, seed) => {
        const random = rng(seed);
        check(encode(c.value, random, s, crlf), lower(c.level, 1), random);
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees on lines with changed values and types, canonical or reshaped", () => {
    fc.assert(
      fc.property(
        customerValue,
        fc.constantFrom(...MUTATIONS),
        fc.option(style),
        fc.integer(),
        (c, m, s, seed) => {
          const random = rng(seed);
          const [, change, effect] = m;
          const level = effect === "child" ? 1 : effect === "cap" ? lower(c.level, 1) : effect;
          check(encode(change(c.value), random, s ?? undefined), level, random);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("never reads a damaged line as a row the reference refuses (corrupt bytes, invalid UTF-8 outside strings, text after)", () => {
    fc.assert(
      fc.property(
        customerValue,
        fc.option(style),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (c, s, wrecked, n, seed) => {
          const random = rng(seed);
          const node = wreck(nodeOf(c.value, NONE), random, 0.3);
          const base =
            wrecked && s ? Buffer.from(serialize(node, random, s)) : encode(c.value, random, s ?? undefined);
          check(damage(withInvalidUtf8(base, random), random, n), 0, random);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("refuses a truncated line whose rest follows it in the buffer", () => {
    fc.assert(
      fc.property(customerValue, fc.option(style), fc.nat(), fc.integer(), (c, s, at, seed) => {
        const random = rng(seed);
        const whole = encode(c.value, random, s ?? undefined, random() < 0.3);
        const cut = at % whole.length;
        check(whole.subarray(0, cut), 0, random, whole.subarray(cut));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads each line of a buffer of many the same as alone", () => {
    fc.assert(
      fc.property(fc.array(customerValue, { minLength: 1, maxLength: 10 }), fc.integer(), (cases, seed) => {
        const random = rng(seed);
        const lines = cases.map((c) => encode(c.value, random, undefined, random() < 0.3));
        const buf = Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")]));
        let start = 0;
        cases.forEach((c, i) => {
          const line = lines[i] ?? Buffer.alloc(0);
          const inside = reader.read(buf, start, start + line.length);
          const facts = inside === READ.ROW ? reader.facts() : undefined;
          expect(check(line, c.level, random), line.toString()).toBe(inside);
          if (facts) expect(reader.facts()).toStrictEqual(facts);
          start += line.length + 1;
        });
      }),
      { numRuns: 400 },
    );
  });
});

describe("CustomerFactsReader edge lines", () => {
  const customer = (id: string, extra: Obj = {}): string =>
    canonical(
      {
        id: `gid://shopify/Customer/${id}`,
        firstName: "Amelia",
        lastName: "Müller",
        email: "amelia@example.com",
        phone: null,
        createdAt: "2023-11-16T04:25:10.080Z",
        updatedAt: "2023-11-17T12:00:03.670Z",
        locale: "en",
        tags: ["vip"],
        emailMarketingConsent: {
          marketingState: "SUBSCRIBED",
          marketingOptInLevel: null,
          consentUpdatedAt: null,
        },
        smsMarketingConsent: null,
        defaultAddress: { countryCodeV2: "DE", provinceCode: null, timeZone: "Europe/Berlin" },
        statistics: { rfmGroup: null },
        ...extra,
      },
      CUSTOMER_SHAPE,
    );
  const lines: [name: string, line: string, level: Level][] = [
    ["a 15-digit id", customer("123456789012345"), 2],
    ["a 16-digit id", customer("1234567890123456"), 1],
    ["an id past the safe integers", customer("9007199254740993"), 0],
    ["a 19-digit id", customer("1234567890123456789"), 0],
    ["no address, statistics null", customer("5", { defaultAddress: null, statistics: null }), 2],
    ["escaped slashes", customer("5").replaceAll("/", "\\/"), 1],
    ["escaped email", customer("5").replace("amelia@", "\\u0061melia\\u0040"), 2],
    ["a lone surrogate", customer("5", { email: "\ud800@x" }), 2],
    ["email twice", customer("5").replace('"email"', '"email":5,"email"'), 1],
    [
      "address twice",
      customer("5").replace('"defaultAddress"', '"defaultAddress":{"timeZone":1},"defaultAddress"'),
      1,
    ],
    ["a brace after", customer("5") + "}", 0],
    ["a space after", customer("5") + " ", 1],
    ["a BOM", "\ufeff" + customer("5"), 0],
    ["a line item", '{"id":"gid://shopify/LineItem/1","__parentId":"gid://shopify/Customer/5"}', 1],
    ["nothing", "", 0],
    ["an array", "[]", 0],
    ["a number", "1", 0],
    ["an empty object", "{}", 0],
  ];
  it.each(lines)("%s", (_, line, level) => {
    for (const after of AFTER) check(Buffer.from(line), level, () => 0, Buffer.from(after));
  });

  it("agrees on every line one byte edit away from canonical ones", () => {
    const sms = {
      marketingState: "NOT_SUBSCRIBED",
      marketingOptInLevel: "SINGLE_OPT_IN",
      consentUpdatedAt: "2024-01-01T00:00:00Z",
    };
    for (const line of [
      customer("5", { smsMarketingConsent: sms, phone: "+1" }),
      customer("6", { defaultAddress: null }),
    ])
      for (const edited of oneByteEdits(Buffer.from(line))) check(edited, 0, () => 0.5);
  });

  it("goes to the general path for a reordered line, counting it", () => {
    const value: unknown = JSON.parse(customer("77"));
    const reversed = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(value ?? {}).reverse())));
    const shapes = reader.otherShapes;
    expect(check(reversed, 1, () => 0)).toBe(READ.ROW);
    expect(reader.otherShapes).toBe(shapes + 1);
    expect(reader.facts()).toMatchObject({ id: 77n, email: "amelia@example.com", countryCode: "DE" });
  });
});
