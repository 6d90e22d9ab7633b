// Backfill benchmark (not part of `npm test`): `npm run bench:backfill`.
//
//   1. writes customers.jsonl (1,000,000) and orders.jsonl (5,000,000) from the emulator's generator
//      in the exact line shape of the emulator's bulk export for the app's two bulk queries
//      (checked against the emulator's own serializer on the first records), into BENCH_DIR
//      (default $TMPDIR/holiday-backfill-bench-<customers>-<orders>; reused when present);
//   2. measures, each in its own child process so peak RSS does not mix:
//      (a) parse + aggregate: per-customer aggregates in memory, read by the segments command line's
//          byte reader (both files on two threads) — or, with BENCH_PARSE=rows, by the backfill's
//          row parser, which reads every field the app stores;
//      (b) the whole stage into PostgreSQL (DATABASE_URL, fresh schema) as the backfill runs it:
//          streamExport over HTTP, orders first, then customers written with their aggregates, both
//          through the database's bulkWriter (each file COPY-staged, then upserted in one statement),
//          then recomputeAggregates as the final check;
//      (c) the same aggregation in DuckDB (read_json, GROUP BY customer);
//   3. checks that (a), (b) and (c) agree (counts and sums over every aggregate) and prints JSON.
//
// Env: BENCH_CUSTOMERS, BENCH_ORDERS (defaults 1e6 / 5e6), BENCH_DIR, DATABASE_URL, BENCH_SKIP (e.g. "pg"),
// BENCH_PARSE=rows, BENCH_WRITE=batches (the JSON batches on PostgreSQL too, as before files were staged by COPY).

import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { orderFamilies } from "../../app/sync/backfill/order-lines";
import { parseCustomerLine } from "../../app/sync/backfill/parse-lines";
import type { OrderRow } from "../../app/sync/rows";
import { IdIndex } from "../../app/segments/cli/id-index";
import { lineBatches } from "../../app/sync/backfill/stream-jsonl.server";
import { streamExport } from "../../app/sync/backfill/load-export.server";
import { CUSTOMERS_BULK_QUERY, ORDERS_BULK_QUERY } from "../../app/sync/backfill/documents";
import { recomputeAggregates } from "../../app/sync/store.server";
import type { GeneratedStore } from "../emulator/index";
import { customerLine, orderLines, writeStoreJsonl } from "./bulk-jsonl";
import { machineBusySeconds } from "./cpu";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 5_000_000);
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), `holiday-backfill-bench-${CUSTOMERS}-${ORDERS}`);
const CUSTOMERS_FILE = join(DIR, "customers.jsonl");
const ORDERS_FILE = join(DIR, "orders.jsonl");
const SHOP = "bench-shop.myshopify.com";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const SELF = fileURLToPath(import.meta.url);

export interface Checksum {
  customers: number;
  customersWithOrders: number;
  orders: string;
  spend: string;
  discounted: string;
  firstMs: string;
  lastMs: string;
  idWeighted: string;
}

// ---------- 1. the files ----------

async function generate(): Promise<void> {
  if (existsSync(join(DIR, ".complete"))) return;
  mkdirSync(DIR, { recursive: true });
  const { generateStore, TEST_HISTORY_END } = await import("../emulator/index");
  const store = generateStore({
    domain: SHOP,
    seed: 1,
    customers: CUSTOMERS,
    orders: ORDERS,
    until: TEST_HISTORY_END,
  });
  const started = Date.now();
  await writeStoreJsonl(store, CUSTOMERS_FILE, ORDERS_FILE, CUSTOMERS, ORDERS);
  await checkShape(store);
  writeFileSync(join(DIR, ".complete"), new Date().toISOString());
  console.error(
    `generated ${CUSTOMERS} customers, ${ORDERS} orders in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

type Store = GeneratedStore;

/** The first records of each file equal what the emulator's bulk export writes for the same query. */
async function checkShape(store: Store): Promise<void> {
  const { run } = await import("../emulator/graphql/execute");
  const { parseAndValidate } = await import("../emulator/schema");
  const { flattenNode, rootItems } = await import("../emulator/bulk/jsonl");
  const { queryRootFields } = await import("../emulator/graphql/views");
  const root = queryRootFields(store);
  for (const [query, mine] of [
    [CUSTOMERS_BULK_QUERY, (i: number) => customerLine(store.customer(i))],
    [ORDERS_BULK_QUERY, (j: number) => orderLines(store.order(j), store)],
  ] as const) {
    const document = parseAndValidate(query).document;
    if (!document) throw new Error("bulk query does not validate");
    const { data, errors } = await run(
      document,
      undefined,
      root,
      {},
      { store, bulk: { from: 0, to: 500, cache: new Map() } },
    );
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
    const lines: string[] = [];
    for (const node of rootItems(data)) flattenNode(node, undefined, lines);
    const expected = Array.from({ length: 500 }, (_, i) => mine(i).split("\n")).flat();
    lines.forEach((line, i) => {
      if (line !== expected[i])
        throw new Error(
          `line shape differs from the emulator's export at line ${i + 1}:\n${line}\n${expected[i]}`,
        );
    });
    if (lines.length !== expected.length)
      throw new Error(`the export has ${lines.length} lines for 500 records, ours ${expected.length}`);
  }
}

// ---------- 2a. parse + aggregate ----------

class Aggregates {
  private readonly index: IdIndex;
  ids: Float64Array;
  count: Uint32Array;
  discounted: Uint32Array;
  spend: Float64Array;
  first: Float64Array;
  last: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.index = new IdIndex(capacity);
    this.ids = new Float64Array(capacity);
    this.count = new Uint32Array(capacity);
    this.discounted = new Uint32Array(capacity);
    this.spend = new Float64Array(capacity);
    this.first = new Float64Array(capacity).fill(Infinity);
    this.last = new Float64Array(capacity).fill(-Infinity);
  }
  slot(id: number): number {
    const k = this.index.get(id);
    if (k !== undefined) return k;
    this.index.add(id, this.size);
    this.ids[this.size] = id;
    return this.size++;
  }
  checksum(): Checksum {
    return checksumOf(this.size, this);
  }
}

type Totals = Pick<Aggregates, "ids" | "count" | "discounted" | "spend" | "first" | "last">;

/** Sums over every customer's aggregates, comparable across (a), (b) and (c). */
function checksumOf(size: number, t: Totals): Checksum {
  const { count, spend: spendOf, first, last } = t;
  let orders = 0n,
    spend = 0n,
    discounted = 0n,
    firstMs = 0n,
    lastMs = 0n,
    idWeighted = 0n,
    withOrders = 0;
  for (let k = 0; k < size; k++) {
    const n = count[k] ?? 0;
    if (n === 0) continue;
    withOrders++;
    const s = spendOf[k] ?? 0;
    if (!Number.isSafeInteger(s)) throw new Error("spend beyond 2^53");
    orders += BigInt(n);
    spend += BigInt(s);
    discounted += BigInt(t.discounted[k] ?? 0);
    firstMs += BigInt(first[k] ?? 0);
    lastMs += BigInt(last[k] ?? 0);
    idWeighted += BigInt((t.ids[k] ?? 0) % 1000003) * (BigInt(n) + BigInt(s % 1000003));
  }
  return {
    customers: size,
    customersWithOrders: withOrders,
    orders: `${orders}`,
    spend: `${spend}`,
    discounted: `${discounted}`,
    firstMs: `${firstMs}`,
    lastMs: `${lastMs}`,
    idWeighted: `${idWeighted}`,
  };
}

// The segments command line's reader: the facts read from the bytes, the customers file and the
// orders file's second half on a worker thread.
async function measureParseBytes(): Promise<{
  seconds: number;
  lines: number;
  skipped: number;
  checksum: Checksum;
  twoThreads: boolean;
}> {
  const { readStore } = await import("../../app/segments/cli/read-store.server");
  const started = performance.now();
  let skipped = 0;
  const { table, counters, onTwoThreads, ordersSplit } = await readStore(
    {
      customers: CUSTOMERS_FILE,
      orders: ORDERS_FILE,
      currency: "USD",
      asOf: new Date(8.64e15),
      strict: false,
    },
    () => skipped++,
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    lines: counters.customers + counters.orders,
    skipped,
    checksum: checksumOf(table.size, {
      ids: table.ids,
      count: table.frequency,
      discounted: table.discounted,
      spend: table.monetary,
      first: table.firstMs,
      last: table.lastMs,
    }),
    twoThreads: onTwoThreads && ordersSplit,
  };
}

async function measureParse(): Promise<{
  seconds: number;
  lines: number;
  skipped: number;
  checksum: Checksum;
}> {
  const started = performance.now();
  const agg = new Aggregates(CUSTOMERS);
  let lines = 0,
    skipped = 0;
  for await (const batch of lineBatches(createReadStream(CUSTOMERS_FILE, { highWaterMark: 1 << 20 }))) {
    for (const text of batch) {
      const r = parseCustomerLine(text, ++lines);
      if (r.kind === "row") agg.slot(Number(r.row.id));
      else skipped++;
    }
  }
  // Orders come with their line items' lines, read into each order's products as the app does.
  const reader = orderFamilies("USD");
  const count = (o: OrderRow) => {
    if (o.test || o.cancelledAt !== null || o.customerId === null) return; // isCountedOrder
    const k = agg.slot(Number(o.customerId));
    const at = o.shopifyCreatedAt.getTime();
    agg.count[k] = (agg.count[k] ?? 0) + 1;
    agg.spend[k] = (agg.spend[k] ?? 0) + Number(o.totalMinor);
    if (o.discountMinor > 0n) agg.discounted[k] = (agg.discounted[k] ?? 0) + 1;
    if (at < (agg.first[k] ?? Infinity)) agg.first[k] = at;
    if (at > (agg.last[k] ?? -Infinity)) agg.last[k] = at;
  };
  for await (const batch of lineBatches(createReadStream(ORDERS_FILE, { highWaterMark: 1 << 20 }))) {
    for (const text of batch) {
      const r = reader.parse(text, ++lines);
      if (r.kind === "row") count(r.row);
      else if (r.kind === "error") skipped++;
    }
  }
  for (const o of reader.end()) count(o);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, lines, skipped, checksum: agg.checksum() };
}

// ---------- 2b. into PostgreSQL ----------

async function measurePostgres(): Promise<Record<string, unknown>> {
  const { postgresTarget } = await import("../integration/helpers/db");
  const { createDatabase } = await import("../../app/db.server");
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set");
  const target = await postgresTarget(base);
  const db = await createDatabase({ databaseUrl: target.databaseUrl });
  const server = createServer((req, res) => {
    const file = req.url === "/customers.jsonl" ? CUSTOMERS_FILE : ORDERS_FILE;
    res.writeHead(200, { "Content-Type": "application/jsonl" });
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  try {
    const prisma = db.prisma;
    // The app's order: orders first, then customers written with their aggregates, then the check
    // that recomputes every customer's aggregates and writes any that differ (none, here).
    const options = { log: () => undefined, concurrency: CONCURRENCY };
    // BENCH_WRITE=batches: the JSON batches instead of a COPY-staged file (the path PGlite takes)
    const writer = db.bulkWriter;
    const batches = process.env.BENCH_WRITE === "batches";
    const into = {
      db: batches ? { $executeRawUnsafe: writer.$executeRawUnsafe.bind(writer) } : writer,
      shop: SHOP,
      currency: "USD",
    };
    const cpu0 = process.cpuUsage();
    const machine0 = machineBusySeconds();
    const t0 = performance.now();
    const o = await streamExport("orders", { ...options, url: `${url}/orders.jsonl` }, into);
    const t1 = performance.now();
    const c = await streamExport("customers", { ...options, url: `${url}/customers.jsonl` }, into);
    const t2 = performance.now();
    const rewritten = await recomputeAggregates(prisma, SHOP);
    const t3 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const machineCpuSeconds = machineBusySeconds() - machine0;
    const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const [sums] = await prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(
      `SELECT count(*)::text AS customers, count(*) FILTER (WHERE "orderCount" > 0)::text AS "customersWithOrders",
         sum("orderCount")::text AS orders, sum("spendMinor")::text AS spend, sum("discountedOrderCount")::text AS discounted,
         sum((extract(epoch FROM "firstOrderAt") * 1000)::bigint)::text AS "firstMs", sum((extract(epoch FROM "lastOrderAt") * 1000)::bigint)::text AS "lastMs",
         sum(CASE WHEN "orderCount" > 0 THEN (id % 1000003)::numeric * ("orderCount" + "spendMinor" % 1000003) ELSE 0 END)::text AS "idWeighted"
       FROM "Customer" WHERE shop = $1`,
      SHOP,
    );
    return {
      seconds: (t3 - t0) / 1000,
      write: batches ? "batches" : writer.stage ? "staged by COPY" : "batches",
      concurrency: CONCURRENCY,
      ordersSeconds: (t1 - t0) / 1000,
      customersSeconds: (t2 - t1) / 1000,
      aggregateCheckSeconds: (t3 - t2) / 1000,
      aggregatesRewritten: rewritten,
      // where the cores went: this process, and everything else (PostgreSQL, mostly)
      nodeCpuSeconds,
      otherCpuSeconds: machineCpuSeconds - nodeCpuSeconds,
      stored: c.stored + o.stored,
      skipped: c.skipped + o.skipped,
      checksum: {
        ...sums,
        customers: Number(sums?.customers),
        customersWithOrders: Number(sums?.customersWithOrders),
      },
    };
  } finally {
    server.close();
    await db.close();
    await target.cleanup();
  }
}

// ---------- 2c. DuckDB ----------

async function measureDuckdb(): Promise<Record<string, unknown>> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const money = "STRUCT(shopMoney STRUCT(amount VARCHAR, currencyCode VARCHAR))";
  const started = performance.now();
  await connection.run(`
    CREATE TABLE agg AS
    WITH customers AS (
      SELECT CAST(split_part(id, '/', 5) AS BIGINT) AS id
      FROM read_json('${CUSTOMERS_FILE}', format = 'newline_delimited', columns = {id: 'VARCHAR'})),
    orders AS (
      SELECT CAST(split_part(customer.id, '/', 5) AS BIGINT) AS customer_id,
        epoch_ms(CAST(createdAt AS TIMESTAMPTZ)) AS ts,
        CAST(CAST(currentTotalPriceSet.shopMoney.amount AS DECIMAL(18, 2)) * 100 AS BIGINT) AS total,
        CAST(CAST(totalDiscountsSet.shopMoney.amount AS DECIMAL(18, 2)) * 100 AS BIGINT) AS discount
      FROM read_json('${ORDERS_FILE}', format = 'newline_delimited', columns = {
        createdAt: 'VARCHAR', cancelledAt: 'VARCHAR', test: 'BOOLEAN', customer: 'STRUCT(id VARCHAR)',
        currentTotalPriceSet: '${money}', totalDiscountsSet: '${money}'})
      WHERE NOT test AND cancelledAt IS NULL AND customer IS NOT NULL),
    per AS (
      SELECT customer_id, count(*) AS n, sum(total) AS spend, count(*) FILTER (WHERE discount > 0) AS discounted,
        min(ts) AS first_ms, max(ts) AS last_ms
      FROM orders GROUP BY customer_id)
    SELECT c.id, coalesce(per.n, 0) AS n, coalesce(per.spend, 0) AS spend, coalesce(per.discounted, 0) AS discounted, per.first_ms, per.last_ms
    FROM customers c LEFT JOIN per ON per.customer_id = c.id`);
  const seconds = (performance.now() - started) / 1000;
  const reader = await connection.runAndReadAll(`
    SELECT count(*)::VARCHAR, (count(*) FILTER (WHERE n > 0))::VARCHAR, sum(n)::VARCHAR, sum(spend)::VARCHAR, sum(discounted)::VARCHAR,
      sum(first_ms)::VARCHAR, sum(last_ms)::VARCHAR,
      sum(CASE WHEN n > 0 THEN (id % 1000003)::HUGEINT * (n + spend % 1000003) ELSE 0 END)::VARCHAR
    FROM agg`);
  const [row] = reader.getRows();
  const v = (i: number) => String(row?.[i] ?? "0");
  connection.closeSync();
  return {
    seconds,
    checksum: {
      customers: Number(v(0)),
      customersWithOrders: Number(v(1)),
      orders: v(2),
      spend: v(3),
      discounted: v(4),
      firstMs: v(5),
      lastMs: v(6),
      idWeighted: v(7),
    },
  };
}

// ---------- driver ----------

function child(kind: string): Record<string, unknown> {
  const tsx = join(process.cwd(), "node_modules/.bin/tsx");
  const result = spawnSync(tsx, [SELF, kind], {
    encoding: "utf8",
    env: process.env,
    maxBuffer: 1 << 24,
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) throw new Error(`${kind} measurement failed (exit ${result.status})`);
  const last = result.stdout.trim().split("\n").pop() ?? "{}";
  return JSON.parse(last) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind === "generate") return generate();
  if (kind) {
    const result =
      kind === "parse"
        ? process.env.BENCH_PARSE === "rows"
          ? await measureParse()
          : await measureParseBytes()
        : kind === "pg"
          ? await measurePostgres()
          : await measureDuckdb();
    process.stdout.write(
      `${JSON.stringify({ ...result, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
    );
    return;
  }
  await generate();
  const skip = (process.env.BENCH_SKIP ?? "").split(",");
  const results: Record<string, Record<string, unknown>> = {};
  for (const k of ["parse", "duckdb", "pg"]) {
    if (skip.includes(k) || (k === "pg" && !process.env.DATABASE_URL)) continue;
    console.error(`measuring ${k} …`);
    results[k] = child(k);
    console.error(JSON.stringify(results[k]));
  }
  const sums = Object.entries(results).map(([k, r]) => [k, JSON.stringify(r.checksum)] as const);
  const agree = sums.every(([, s]) => s === sums[0]?.[1]);
  const parse = results.parse?.seconds as number | undefined;
  const duck = results.duckdb?.seconds as number | undefined;
  console.log(
    JSON.stringify(
      {
        customers: CUSTOMERS,
        orders: ORDERS,
        dir: DIR,
        results,
        checksumsAgree: agree,
        ratioOursToDuckdb: parse && duck ? +(parse / duck).toFixed(2) : null,
      },
      null,
      2,
    ),
  );
  if (!agree) process.exitCode = 1;
}

await main();
