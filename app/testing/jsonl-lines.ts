import fc from "fast-check";

// Test support for the byte readers of bulk-export lines (app/sync/jsonl): the key order of the
// app's bulk queries, a JSON writer that reshapes a value the way other producers might write it,
// and byte damage. jsonl-values.ts has the values.

/** Which reader path must read a line the reference reads: 2 the canonical one, 1 at least the general one, 0 any (OTHER allowed). */
export type Level = 0 | 1 | 2;

export function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("empty choice");
  return item;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Member order of an object and of its members' objects; `{}` for a leaf. */
export type Shape = { readonly [key: string]: Shape };
const money: Shape = { shopMoney: { amount: {}, currencyCode: {} } };
const consent: Shape = { marketingState: {}, marketingOptInLevel: {}, consentUpdatedAt: {} };
// test/bench/bulk-jsonl.ts writes lines in this order (test/unit/facts-bytes-store.test.ts checks it).
export const ORDER_SHAPE: Shape = {
  id: {},
  createdAt: {},
  updatedAt: {},
  cancelledAt: {},
  test: {},
  customer: { id: {} },
  currentTotalPriceSet: money,
  totalDiscountsSet: money,
  discountCodes: {},
  landingPageUrl: {},
  customerJourneySummary: { firstVisit: {} },
};
export const LINE_ITEM_SHAPE: Shape = { id: {}, product: { id: {} }, __parentId: {} };
export const CUSTOMER_SHAPE: Shape = {
  id: {},
  firstName: {},
  lastName: {},
  email: {},
  phone: {},
  createdAt: {},
  updatedAt: {},
  locale: {},
  tags: {},
  emailMarketingConsent: consent,
  smsMarketingConsent: consent,
  defaultAddress: { countryCodeV2: {}, provinceCode: {}, timeZone: {} },
  statistics: { rfmGroup: {} },
};

function ordered(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, shape));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape))
    if (Object.hasOwn(value, key)) out[key] = ordered(value[key], shape[key] ?? {});
  for (const key of Object.keys(value)) if (!Object.hasOwn(out, key)) out[key] = value[key];
  return out;
}

/** JSON.stringify with members in the shape's order (the rest after them). */
export const canonical = (value: unknown, shape: Shape): string => JSON.stringify(ordered(value, shape));

/** A JSON text as written: members in order, duplicates allowed; `plain` strings are never \u-escaped. */
export type Node =
  | { t: "obj"; members: [string, Node][] }
  | { t: "arr"; items: Node[] }
  | { t: "str"; value: string; plain: boolean }
  | { t: "raw"; text: string };

/** Strings under the keys in `plain` (times, amounts) keep their bytes: the readers only read those unescaped. */
export function nodeOf(value: unknown, plain: ReadonlySet<string>, key = ""): Node {
  if (typeof value === "string") return { t: "str", value, plain: plain.has(key) };
  if (Array.isArray(value)) return { t: "arr", items: value.map((v) => nodeOf(v, plain)) };
  if (isRecord(value))
    return { t: "obj", members: Object.entries(value).map(([k, v]) => [k, nodeOf(v, plain, k)]) };
  return { t: "raw", text: JSON.stringify(value) ?? "null" };
}

export type Style = { spaces: number; escapes: number; slashes: number };
export const style: fc.Arbitrary<Style> = fc.record({
  spaces: fc.constantFrom(0, 0.1, 0.5),
  escapes: fc.constantFrom(0, 0.05, 0.5),
  slashes: fc.constantFrom(0, 0.5, 1),
});
const SHORT: Readonly<Record<string, string>> = { "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t" };

export function serialize(node: Node, random: () => number, s: Style): string {
  const ws = (): string => (random() < s.spaces ? pick(random, [" ", "  ", "\t", "\r", " \r\n\t"]) : "");
  const hex = (c: number): string => {
    const h = c.toString(16).padStart(4, "0");
    return "\\u" + (random() < 0.5 ? h : h.toUpperCase());
  };
  const str = (text: string, plain: boolean): string => {
    let out = '"';
    for (let i = 0; i < text.length; i++) {
      const ch = text.charAt(i);
      const c = text.charCodeAt(i);
      const short = SHORT[ch];
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (ch === "/" && random() < s.slashes) out += "\\/";
      else if (c < 0x20) out += short !== undefined && random() < 0.5 ? "\\" + short : hex(c);
      // a surrogate written raw would reach the bytes as U+FFFD, another value than the one meant
      else if ((c >= 0xd800 && c < 0xe000) || (!plain && random() < s.escapes)) out += hex(c);
      else out += ch;
    }
    return out + '"';
  };
  const go = (n: Node): string => {
    if (n.t === "str") return str(n.value, n.plain);
    if (n.t === "raw") return n.text;
    if (n.t === "arr") return "[" + ws() + n.items.map((i) => go(i) + ws()).join("," + ws()) + "]";
    const members = n.members.map(([k, v]) => str(k, false) + ws() + ":" + ws() + go(v) + ws());
    return "{" + ws() + members.join("," + ws()) + "}";
  };
  return ws() + go(node) + ws();
}

export function junk(random: () => number, depth: number): Node {
  const r = random();
  if (depth <= 0 || r < 0.55) {
    const raw = pick(random, ["null", "true", "false", "0", "-1.5e3", "12345678901234567890", '"x"']);
    if (raw !== '"x"') return { t: "raw", text: raw };
    const value = pick(random, [
      "",
      "gid://shopify/Order/1",
      "gid://shopify/Customer/2",
      "12.50",
      "2024-01-01T00:00:00Z",
    ]);
    return { t: "str", value, plain: false };
  }
  if (r < 0.75)
    return {
      t: "arr",
      items: Array.from({ length: Math.floor(random() * 4) }, () => junk(random, depth - 1)),
    };
  const keys = ["id", "__parentId", "amount", "currencyCode", "shopMoney", "customer", "email", "x", "é"];
  const length = Math.floor(random() * 4);
  return { t: "obj", members: Array.from({ length }, () => [pick(random, keys), junk(random, depth - 1)]) };
}

// No key the readers look for at any depth, so adding one never changes what a line says.
const EXTRA_KEYS = [
  "extra",
  "ü",
  "nodes",
  "x/y",
  "",
  "Id",
  "__parentid",
  "idx",
  "amount ",
  "\u0000",
  "customerJourney",
];

/** What another producer may write for the same value: members reordered, junk duplicates before the real one (the last wins), unknown members. */
export function reshape(node: Node, random: () => number, rate: number): Node {
  if (node.t === "arr") return { t: "arr", items: node.items.map((i) => reshape(i, random, rate)) };
  if (node.t !== "obj") return node;
  const members = node.members.map(([k, v]): [string, Node] => [k, reshape(v, random, rate)]);
  if (random() < rate) members.sort(() => random() - 0.5);
  if (random() < rate && members.length > 0) {
    const at = Math.floor(random() * members.length);
    const key = members[at]?.[0] ?? "";
    members.splice(Math.floor(random() * (at + 1)), 0, [key, junk(random, 2)]);
  }
  while (random() < rate / 2)
    members.splice(Math.floor(random() * (members.length + 1)), 0, [
      pick(random, EXTRA_KEYS),
      junk(random, 3),
    ]);
  return { t: "obj", members };
}

/** Changes that may change what the line says: dropped members, duplicates after, retyped values, escaped times. */
export function wreck(node: Node, random: () => number, rate: number): Node {
  if (node.t === "arr") return { t: "arr", items: node.items.map((i) => wreck(i, random, rate)) };
  if (node.t === "str") return random() < rate / 4 ? { t: "str", value: node.value, plain: false } : node;
  if (node.t !== "obj") return random() < rate / 4 ? junk(random, 2) : node;
  const members = node.members.map(([k, v]): [string, Node] => [k, wreck(v, random, rate)]);
  if (random() < rate && members.length > 0) members.splice(Math.floor(random() * members.length), 1);
  if (random() < rate && members.length > 0) {
    const [key] = pick(random, members);
    members.splice(Math.floor(random() * (members.length + 1)), 0, [key, junk(random, 2)]);
  }
  return { t: "obj", members };
}

/** Stands for invalid UTF-8 in generated text: `withInvalidUtf8` swaps its bytes. */
export const MARK = "\ue000";
const MARK_BYTES = Buffer.from(MARK);
const INVALID = [
  [0xff],
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0xaf],
  [0xfe, 0xfe],
];

export function withInvalidUtf8(bytes: Buffer, random: () => number): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(MARK_BYTES); at >= 0; at = bytes.indexOf(MARK_BYTES, from)) {
    parts.push(bytes.subarray(from, at), Buffer.from(pick(random, INVALID)));
    from = at + MARK_BYTES.length;
  }
  return parts.length === 0 ? bytes : Buffer.concat([...parts, bytes.subarray(from)]);
}

/** An invalid UTF-8 sequence between two tokens, outside every string. */
export function invalidOutside(bytes: Buffer, random: () => number): Buffer {
  const outside: number[] = [0, bytes.length];
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else outside.push(i + 1);
  }
  const at = pick(random, outside);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(random, INVALID)), bytes.subarray(at)]);
}

const DAMAGE = [
  0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x0d, 0x00, 0x80, 0xff, 0x30, 0x2d, 0x2e, 0x6e, 0x2f,
];

/** One byte cut off, dropped, inserted or replaced. */
export function corrupt(bytes: Buffer, random: () => number): Buffer {
  const at = Math.floor(random() * (bytes.length + 1));
  const byte = random() < 0.7 ? pick(random, DAMAGE) : Math.floor(random() * 256);
  const op = Math.floor(random() * 4);
  if (op === 0) return bytes.subarray(0, at);
  if (op === 1) return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  if (op === 2) return Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
  const copy = Buffer.from(bytes);
  if (at < copy.length) copy[at] = byte;
  return copy;
}

const TAILS = ["}", "x", ",", " }", "{}", '"', "\\", "\u0000", "\u00e9"];

/** `times` damages: corrupt bytes mostly, invalid UTF-8 outside strings, text after the line's end. */
export function damage(bytes: Buffer, random: () => number, times: number): Buffer {
  for (let i = 0; i < times; i++) {
    const r = random();
    if (r < 0.15) bytes = invalidOutside(bytes, random);
    else if (r < 0.3) bytes = Buffer.concat([bytes, Buffer.from(pick(random, TAILS))]);
    else bytes = corrupt(bytes, random);
  }
  return bytes;
}

const EDIT_BYTES = [0x78, 0x22, 0x5c, 0x7d, 0x30, 0x6e, 0x2c, 0x01, 0xff];

/** Every line one edit away: each byte dropped or replaced, a space, quote or backslash put before it. */
export function* oneByteEdits(line: Buffer): Generator<Buffer> {
  for (let i = 0; i <= line.length; i++) {
    for (const b of [0x20, 0x22, 0x5c])
      yield Buffer.concat([line.subarray(0, i), Buffer.from([b]), line.subarray(i)]);
    if (i === line.length) break;
    yield Buffer.concat([line.subarray(0, i), line.subarray(i + 1)]);
    for (const b of EDIT_BYTES) {
      if (b === line[i]) continue;
      const copy = Buffer.from(line);
      copy[i] = b;
      yield copy;
    }
  }
}

/** Bytes that may sit after a line in a read buffer, looking like its continuation. */
export const AFTER = [
  "",
  "\n",
  "}",
  '"}',
  "0",
  "Z",
  ',"x":1}',
  '"}}',
  "null}",
  "\r\n{}",
  '\n{"id":"gid://shopify/Order/1"}',
];
