// Micro benchmark of the byte-level field reader (app/sync/jsonl/byte-fields.ts) against JSON.parse,
// on generated order lines in the export's key order and the same lines with keys shuffled.
// Not part of npm test: npx tsx test/bench/byte-fields.bench.ts [lines]. Prints JSON.

import { ascii, compileFields, FieldReader, KIND, LINE } from "../../app/sync/jsonl/byte-fields";

const LINES = Number(process.argv[2] ?? 1_000_000);

function rng(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Entry = [string, unknown];

function orderEntries(random: () => number, i: number): Entry[] {
  const time = (): string => new Date(1_700_000_000_000 + Math.floor(random() * 3e10)).toISOString();
  const money = (): unknown => ({ shopMoney: { amount: (random() * 500).toFixed(2), currencyCode: "USD" } });
  const customer =
    random() < 0.9
      ? { id: `gid://shopify/Customer/${7_000_000_000_000 + Math.floor(random() * 1e6)}` }
      : null;
  return [
    ["id", `gid://shopify/Order/${5_000_000_000_000 + i}`],
    ["createdAt", time()],
    ["updatedAt", time()],
    ["cancelledAt", random() < 0.05 ? time() : null],
    ["test", false],
    ["customer", customer],
    ["currentTotalPriceSet", money()],
    ["totalDiscountsSet", money()],
    ["discountCodes", random() < 0.2 ? ["BFCM20"] : []],
    [
      "landingPageUrl",
      random() < 0.5 ? "https://shop.example/products/gift?utm_source=newsletter&utm_medium=email" : null,
    ],
    ["customerJourneySummary", null],
  ];
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a !== undefined && b !== undefined) [out[i], out[j]] = [b, a];
  }
  return out;
}

/** One buffer of n lines and where each starts (ends[i] is one past its last byte). */
function file(shuffle: boolean): { buf: Buffer; starts: Int32Array; ends: Int32Array } {
  const random = rng(42);
  const parts: string[] = [];
  for (let i = 0; i < LINES; i++) {
    let entries = orderEntries(random, i);
    if (shuffle)
      entries = shuffled(entries, random).map(([k, v]): Entry => [
        k,
        v !== null && typeof v === "object" && !Array.isArray(v)
          ? Object.fromEntries(shuffled(Object.entries(v), random))
          : v,
      ]);
    parts.push(JSON.stringify(Object.fromEntries(entries)));
  }
  const buf = Buffer.from(parts.join("\n") + "\n");
  const starts = new Int32Array(LINES);
  const ends = new Int32Array(LINES);
  let start = 0;
  for (let i = 0; i < LINES; i++) {
    const end = buf.indexOf(0x0a, start);
    starts[i] = start;
    ends[i] = end;
    start = end + 1;
  }
  return { buf, starts, ends };
}

const spec = compileFields([
  "id",
  "createdAt",
  "cancelledAt",
  "test",
  "customer.id",
  "currentTotalPriceSet.shopMoney.amount",
  "currentTotalPriceSet.shopMoney.currencyCode",
  "totalDiscountsSet.shopMoney.amount",
  "totalDiscountsSet.shopMoney.currencyCode",
  "__parentId",
]);
const ID = spec.slotOf("id");
const CREATED = spec.slotOf("createdAt");
const CANCELLED = spec.slotOf("cancelledAt");
const TEST = spec.slotOf("test");
const CUSTOMER = spec.slotOf("customer.id");
const TOTAL = spec.slotOf("currentTotalPriceSet.shopMoney.amount");
const TOTAL_CURRENCY = spec.slotOf("currentTotalPriceSet.shopMoney.currencyCode");
const DISCOUNT = spec.slotOf("totalDiscountsSet.shopMoney.amount");
const DISCOUNT_CURRENCY = spec.slotOf("totalDiscountsSet.shopMoney.currencyCode");
const ORDER = ascii("gid://shopify/Order/");
const CUSTOMER_GID = ascii("gid://shopify/Customer/");
const USD = ascii("USD");

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);
const rec = (v: unknown): Rec | undefined => (isRec(v) ? v : undefined);

// Both sides take the segment fields to something comparable, so neither is measured doing less:
// the sum of ids, of customer ids, of amount lengths, and counts of cancelled / test / USD lines.
function viaJsonParse(buf: Buffer, starts: Int32Array, ends: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < starts.length; i++) {
    const o = rec(JSON.parse(buf.toString("utf8", starts[i], ends[i])));
    if (!o) continue;
    sum +=
      Number(String(o.id).slice(20)) +
      Number(String(rec(o.customer)?.id ?? "gid://shopify/Customer/0").slice(23));
    sum += String(o.createdAt).length + (o.cancelledAt === null ? 0 : 1) + (o.test === true ? 1 : 0);
    const total = rec(rec(o.currentTotalPriceSet)?.shopMoney);
    const discount = rec(rec(o.totalDiscountsSet)?.shopMoney);
    sum += String(total?.amount).length + String(discount?.amount).length;
    sum += (total?.currencyCode === "USD" ? 1 : 0) + (discount?.currencyCode === "USD" ? 1 : 0);
  }
  return sum;
}

function viaBytes(reader: FieldReader, buf: Buffer, starts: Int32Array, ends: Int32Array): number {
  let sum = 0;
  const { kind, from, to } = reader;
  for (let i = 0; i < starts.length; i++) {
    if (reader.read(buf, starts[i] ?? 0, ends[i] ?? 0) !== LINE.OBJECT) continue;
    sum += reader.idAfter(ID, ORDER) + Math.max(0, reader.idAfter(CUSTOMER, CUSTOMER_GID));
    sum +=
      (to[CREATED] ?? 0) -
      (from[CREATED] ?? 0) +
      (kind[CANCELLED] === KIND.NULL ? 0 : 1) +
      (kind[TEST] === KIND.TRUE ? 1 : 0);
    sum += (to[TOTAL] ?? 0) - (from[TOTAL] ?? 0) + (to[DISCOUNT] ?? 0) - (from[DISCOUNT] ?? 0);
    sum +=
      (reader.stringEquals(TOTAL_CURRENCY, USD) ? 1 : 0) +
      (reader.stringEquals(DISCOUNT_CURRENCY, USD) ? 1 : 0);
  }
  return sum;
}

function readOnly(reader: FieldReader, buf: Buffer, starts: Int32Array, ends: Int32Array): number {
  let n = 0;
  for (let i = 0; i < starts.length; i++)
    if (reader.read(buf, starts[i] ?? 0, ends[i] ?? 0) === LINE.OBJECT) n++;
  return n;
}

function time(run: () => number): { nsPerLine: number; check: number } {
  run(); // warm-up, one full pass
  const t0 = process.hrtime.bigint();
  const check = run();
  return { nsPerLine: Math.round(Number(process.hrtime.bigint() - t0) / LINES), check };
}

const result: Record<string, unknown> = {
  lines: LINES,
  node: process.version,
  date: new Date().toISOString(),
};
for (const shape of ["canonical", "shuffled"] as const) {
  const { buf, starts, ends } = file(shape === "shuffled");
  const reader = new FieldReader(spec);
  const json = time(() => viaJsonParse(buf, starts, ends));
  const bytes = time(() => viaBytes(reader, buf, starts, ends));
  const read = time(() => readOnly(reader, buf, starts, ends));
  if (json.check !== bytes.check)
    throw new Error(`${shape}: the readers disagree (${json.check} vs ${bytes.check})`);
  result[shape] = {
    bytesPerLine: Math.round(buf.length / LINES),
    jsonParseNsPerLine: json.nsPerLine,
    byteFieldsNsPerLine: bytes.nsPerLine,
    byteReadOnlyNsPerLine: read.nsPerLine,
    speedup: Math.round((json.nsPerLine / bytes.nsPerLine) * 10) / 10,
  };
}
console.log(JSON.stringify(result, null, 2));
