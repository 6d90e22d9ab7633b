import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "../../app/segments/rules";
import { duckdbSegmentsCsv } from "../bench/cli-duckdb";
import { writeStoreJsonl } from "../bench/bulk-jsonl";
import { generateStore, TEST_HISTORY_END } from "../emulator/index";

// Runs the real command (tsx, as `npm run cli` does) on hand-made fixtures whose expected CSVs are
// worked out in test/fixtures/segments/README.md, and on a generated store against DuckDB's SQL.

const FIXTURES = "test/fixtures/segments";
const AS_OF = "2026-11-20T00:00:00Z";
const TSX = join(process.cwd(), "node_modules/.bin/tsx");
const dir = mkdtempSync(join(tmpdir(), "cli-segments-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ["app/cli/main.ts", ...args], { maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const fixture = (name: string) => ["--customers", `${FIXTURES}/${name}.customers.jsonl`, "--orders", `${FIXTURES}/${name}.orders.jsonl`];
const expected = (name: string) => readFileSync(`${FIXTURES}/${name}.expected.csv`, "utf8");

describe("npm run cli -- segments", () => {
  it.each(["main", "single", "prospects", "documented"])("writes the hand-computed CSV for the %s fixture", async (name) => {
    const out = join(dir, `${name}.csv`);
    const run = await cli("segments", ...fixture(name), "--as-of", AS_OF, "--out", out);
    expect(run.stderr).not.toMatch(/:\d+: /);
    expect(run.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(expected(name));
  });

  it("accepts every line of the documented input shape: only the definition's fields", async () => {
    const run = await cli("segments", ...fixture("documented"), "--as-of", AS_OF, "--strict");
    expect(run.stderr).not.toMatch(/:\d+: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expected("documented"));
    expect(run.stderr).toContain("3 customers, 6 orders read (3 counted)");
  });

  it("needs no field the computation does not use: the main fixture without them gives the same CSV", async () => {
    const strip = (name: string, unused: string[]) => {
      const lines = readFileSync(`${FIXTURES}/main.${name}.jsonl`, "utf8").trim().split("\n");
      const path = join(dir, `main-stripped.${name}.jsonl`);
      const stripped = lines.map((line) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(line) as object).filter(([k]) => !unused.includes(k)))));
      writeFileSync(path, `${stripped.join("\n")}\n`);
      return path;
    };
    const customers = strip("customers", ["email", "createdAt", "updatedAt", "tags"]);
    const orders = strip("orders", ["updatedAt", "discountCodes"]);
    const run = await cli("segments", "--customers", customers, "--orders", orders, "--as-of", AS_OF, "--strict");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected("main"));
  });

  it("exits 2 with one line, no stack trace, for a directory or an unreadable path", async () => {
    const sub = join(dir, "a-directory");
    mkdirSync(sub, { recursive: true });
    const socket = join(dir, "not-a-file.sock");
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const main = fixture("main");
      const cases: Array<[string[], string]> = [
        [["--customers", sub, "--orders", main[3] ?? ""], `cannot read ${sub}: is a directory`],
        [["--customers", main[1] ?? "", "--orders", sub], `cannot read ${sub}: is a directory`],
        [["--customers", socket, "--orders", main[3] ?? ""], `cannot read ${socket}: not a file (a socket or device without a reader)`],
        [[...main, "--out", sub], `cannot write ${sub}: is a directory`],
        [[...main, "--out", join(dir, "missing", "x.csv")], `cannot write ${join(dir, "missing", "x.csv")}: no such directory ${join(dir, "missing")}`],
      ];
      for (const [args, message] of cases) {
        const run = await cli("segments", ...args, "--as-of", AS_OF);
        expect(run.code, args.join(" ")).toBe(2);
        expect(run.stderr).toBe(`${message}\n`);
        expect(run.stdout).toBe("");
      }
    } finally {
      server.close();
    }
  });

  it.skipIf(process.getuid?.() === 0)("exits 2 with one line for a file without read permission", async () => {
    const locked = join(dir, "locked.jsonl");
    writeFileSync(locked, "{}\n", { mode: 0o000 });
    const run = await cli("segments", "--customers", locked, "--orders", locked);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`cannot read ${locked}: permission denied\n`);
  });

  it("agrees with DuckDB's SQL on the main fixture", async () => {
    const out = join(dir, "main-duckdb.csv");
    await duckdbSegmentsCsv({ customers: `${FIXTURES}/main.customers.jsonl`, orders: `${FIXTURES}/main.orders.jsonl`, asOf: new Date(AS_OF), out, thresholds: DEFAULT_THRESHOLDS });
    expect(readFileSync(out, "utf8")).toBe(expected("main"));
  });

  it("writes to standard output without --out and says what it counted", async () => {
    const run = await cli("segments", ...fixture("main"), "--as-of", AS_OF);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(expected("main"));
    expect(run.stderr).toContain("9 customers, 20 orders read (13 counted, 1 counted orders of customers not in");
  });

  it("applies thresholds from the command line", async () => {
    const run = await cli("segments", ...fixture("main"), "--as-of", AS_OF, "--price-sensitive-share", "0.5001", "--lapsed-after-days", "700");
    expect(run.code).toBe(0);
    const segments = Object.fromEntries(run.stdout.trim().split("\n").slice(1).map((l) => [l.split(",")[0], l.split(",")[8]]));
    expect(segments["gid://shopify/Customer/1"]).toBe("recent"); // 1/2 < 0.5001
    expect(segments["gid://shopify/Customer/3"]).toBe("vip"); // 629 ≤ 700
  });

  it("reports bad lines with file and line, skips them and counts them", async () => {
    const out = join(dir, "bad.csv");
    const run = await cli("segments", ...fixture("bad"), "--as-of", AS_OF, "--out", out);
    expect(run.code).toBe(0);
    const c = `${FIXTURES}/bad.customers.jsonl`;
    const o = `${FIXTURES}/bad.orders.jsonl`;
    expect(run.stderr.split("\n").filter((l) => /^\S+:\d+: /.test(l))).toEqual([
      `${c}:2: invalid JSON`,
      `${c}:3: id: missing`,
      `${c}:5: id: duplicate customer`,
      `${o}:2: test: missing`,
      `${o}:3: unknown currency mix: order in EUR/EUR, shop in USD`,
      `${o}:4: invalid JSON`,
      `${o}:5: "12.345" has more decimals than USD allows (2)`,
      `${o}:7: id: duplicate order (first on line 6), counted once`,
      `${o}:8: currentTotalPriceSet: negative amount`,
      `${o}:9: totalDiscountsSet: negative amount`,
    ]);
    expect(run.stderr).toContain(`10 bad lines skipped (3 in ${c}, 7 in ${o})`);
    expect(readFileSync(out, "utf8")).toBe(expected("bad"));
  });

  it("stops at the first bad line under --strict with exit 1 and no CSV", async () => {
    const out = join(dir, "strict.csv");
    const run = await cli("segments", ...fixture("bad"), "--as-of", AS_OF, "--out", out, "--strict");
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`${FIXTURES}/bad.customers.jsonl:2: invalid JSON`);
    expect(existsSync(out)).toBe(false);
  });

  it("fails a currency mix under --strict", async () => {
    const run = await cli("segments", "--customers", `${FIXTURES}/main.customers.jsonl`, "--orders", `${FIXTURES}/bad.orders.jsonl`, "--as-of", AS_OF, "--strict", "--currency", "EUR");
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`${FIXTURES}/bad.orders.jsonl:1: unknown currency mix: order in USD/USD, shop in EUR`);
  });

  it("prints usage with --help and exits 2 on usage errors", async () => {
    const help = await cli("segments", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run cli -- segments --customers FILE --orders FILE");
    // the example lines of --help are the documented fixture's first lines
    for (const kind of ["customers", "orders"]) {
      const first = readFileSync(`${FIXTURES}/documented.${kind}.jsonl`, "utf8").split("\n")[0] ?? "";
      expect(help.stdout).toContain(`\n    ${first}\n`);
    }
    const cases: Array<[string[], RegExp]> = [
      [[], /Usage: npm run cli -- <command>/],
      [["segments"], /--customers FILE is required/],
      [["segments", ...fixture("main"), "--as-of", "yesterday"], /--as-of must be an ISO 8601 time/],
      [["segments", ...fixture("main"), "--vip-min-f", "6"], /VIP minimum F score must be from 1 to 5/],
      [["segments", ...fixture("main"), "--recent-within-days", "200"], /Recent within \(days\) \(200\) must be less than Lapsed after \(days\) \(180\)/],
      [["segments", ...fixture("main"), "--bogus"], /Unknown option '--bogus'/],
      [["segments", "--customers", join(dir, "missing.jsonl"), "--orders", "x"], /cannot read/],
      [["frobnicate"], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr + run.stdout).toMatch(message);
    }
  });

  it("equals DuckDB's SQL row for row on a generated store of 2,000 customers", async () => {
    const store = generateStore({ domain: "cli-test.myshopify.com", seed: 7, customers: 2000, orders: 9000 , until: TEST_HISTORY_END });
    const customers = join(dir, "store.customers.jsonl");
    const orders = join(dir, "store.orders.jsonl");
    await writeStoreJsonl(store, customers, orders, 2000, 9000);
    const ours = join(dir, "store.csv");
    const theirs = join(dir, "store-duckdb.csv");
    const run = await cli("segments", "--customers", customers, "--orders", orders, "--as-of", AS_OF, "--out", ours, "--strict");
    expect(run.code, run.stderr).toBe(0);
    await duckdbSegmentsCsv({ customers, orders, asOf: new Date(AS_OF), out: theirs, thresholds: DEFAULT_THRESHOLDS });
    const a = readFileSync(ours, "utf8").split("\n");
    const b = readFileSync(theirs, "utf8").split("\n");
    expect(a.length).toBe(2002); // header, 2,000 rows, final newline
    a.forEach((line, i) => expect(line, `row ${i}`).toBe(b[i]));
    // the store exercises every segment
    expect(new Set(a.slice(1, -1).map((l) => l.split(",")[8]))).toEqual(new Set(["prospect", "lapsed", "vip", "price_sensitive", "recent", "regular"]));
  });
});
