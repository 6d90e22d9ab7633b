import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeStoreJsonl } from "../bench/bulk-jsonl";
import { SHOP, startTestEmulator } from "../emulator/helpers";
import { summarizeStore, type Emulator } from "../emulator/index";

// `npm run cli -- pull` end to end against the emulator (Admin GraphQL validated against the
// published schema, bulk operations, cost throttling), through a proxy that answers 503 and 429
// first like a busy Shopify; then the segments command on what was pulled, checked against the
// generator's own files and its summary.

const TSX = join(process.cwd(), "node_modules/.bin/tsx");
const ALL_SCOPES = ["read_customers", "read_orders", "read_all_orders", "read_products"];
const AS_OF = "2031-01-01T00:00:00Z"; // after every generated order
const dir = mkdtempSync(join(tmpdir(), "cli-pull-"));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ["app/cli/main.ts", ...args], { maxBuffer: 1 << 26, env: { ...process.env, NODE_ENV: "test", ...env } }, (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A proxy in front of the emulator that fails the next GraphQL requests as told. */
function startFaultyProxy(target: string): Promise<{ url: string; server: Server; failNext(...statuses: number[]): void; requests: () => number }> {
  const pending: number[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const status = req.url?.includes("/graphql.json") ? pending.shift() : undefined;
    if (status !== undefined) {
      req.resume();
      res.writeHead(status, { "Content-Type": "application/json", ...(status === 429 ? { "Retry-After": "1" } : {}) });
      res.end(JSON.stringify({ errors: status === 429 ? "Exceeded 2 calls per second for api client." : "Service Unavailable" }));
      return;
    }
    const upstream = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}`, server, failNext: (...statuses) => pending.push(...statuses), requests: () => requests });
    }),
  );
}

const lastLine = (text: string) => text.trim().split("\n").pop() ?? "";

describe("npm run cli -- pull (against the emulator)", () => {
  let emulator: Emulator;
  let proxy: Awaited<ReturnType<typeof startFaultyProxy>>;
  const viaProxy = () => ({ SHOPIFY_EMULATOR_URL: proxy.url });
  beforeAll(async () => {
    emulator = await startTestEmulator({ shops: [{ domain: SHOP, seed: 11, customers: 400, orders: 2000, products: 12 }] });
    proxy = await startFaultyProxy(emulator.url);
  });
  afterAll(async () => {
    proxy?.server.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pulls through 503, 429 and throttling into the files segments reads, which give the generator's segments", async () => {
    const out = join(dir, "pulled");
    const token = emulator.issueCustomAppToken(SHOP, ALL_SCOPES);
    emulator.setThrottle(SHOP, { enabled: true, maximumAvailable: 12, restoreRate: 5 });
    proxy.failNext(503, 503, 429);
    const run = await cli(["pull", "--shop", SHOP, "--out", out], { ...viaProxy(), SHOPIFY_ADMIN_TOKEN: token });
    emulator.setThrottle(SHOP, { enabled: false });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`note: SHOPIFY_EMULATOR_URL is set: talking to the emulator at ${proxy.url}, not to Shopify`);
    expect(run.stderr).toMatch(/Shopify answered HTTP 503; retrying in \d+ ms/);
    expect(run.stderr).toContain("Shopify answered HTTP 429; retrying in 1000 ms");
    expect(run.stderr).toMatch(/throttled by Shopify \(cost \d+ of \d+ available\); waiting \d+ ms/);
    expect(run.stderr).toMatch(/customers: completed, 400 objects/);
    expect(run.stderr).toMatch(/orders: completed, [\d,]+ objects/);
    expect(run.stderr).not.toContain(token);
    expect(readdirSync(out).sort()).toEqual(["customers.jsonl", "orders.jsonl", "shop.json"]);

    const store = emulator.store(SHOP);
    expect(JSON.parse(readFileSync(join(out, "shop.json"), "utf8"))).toEqual({ ianaTimezone: store.ianaTimezone, currencyCode: store.currencyCode, countryCode: "US" });
    const orderLines = readFileSync(join(out, "orders.jsonl"), "utf8").trim().split("\n");
    expect(orderLines.filter((l) => !l.includes("__parentId")).length).toBe(store.orderCount);

    // segments on the pulled files = segments on the generator's own files, and = its summary
    const pulled = await cli(["segments", "--customers", join(out, "customers.jsonl"), "--orders", join(out, "orders.jsonl"), "--as-of", AS_OF, "--strict"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    const truthCustomers = join(dir, "truth.customers.jsonl");
    const truthOrders = join(dir, "truth.orders.jsonl");
    await writeStoreJsonl(store, truthCustomers, truthOrders, store.customerCount, store.orderCount);
    const truth = await cli(["segments", "--customers", truthCustomers, "--orders", truthOrders, "--as-of", AS_OF, "--strict"]);
    expect(truth.code, truth.stderr).toBe(0);
    expect(pulled.stdout).toBe(truth.stdout);
    const rows = pulled.stdout.trim().split("\n").slice(1).map((line) => line.split(","));
    const summary = summarizeStore(store);
    expect(rows.length).toBe(summary.customers);
    expect(rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(summary.countedOrders);
    expect(rows.reduce((sum, row) => sum + Math.round(Number(row[3]) * 100), 0)).toBe(summary.countedRevenueMinor);
    expect(rows.filter((row) => Number(row[2]) > 0).length).toBe(summary.customersWithCountedOrders);

    const plan = await cli(["plan", "--customers", join(out, "customers.jsonl"), "--orders", join(out, "orders.jsonl"), "--shop", join(out, "shop.json"), "--playbook", "christmas", "--year", "2030", "--as-of", "2030-12-01T00:00:00Z", "--strict"]);
    expect(plan.code, plan.stderr).toBe(0);
  });

  it("says in one line, with its exit code, when the token is refused, lacks a scope or the shop is wrong", async () => {
    const out = join(dir, "refused");
    const cases: Array<[string[], Record<string, string>, number, string | RegExp]> = [
      [["--shop", SHOP, "--token", "shpat_0000"], viaProxy(), 3, `Shopify refused the access token for ${SHOP} (HTTP 401): use the Admin API access token of a custom app installed on this shop`],
      [
        ["--shop", SHOP, "--token", emulator.issueCustomAppToken(SHOP, ["read_customers"])],
        viaProxy(),
        4,
        "the access token lacks the read_orders scope: add it to the custom app's Admin API access scopes and install the app again",
      ],
      [["--shop", "nosuch.myshopify.com", "--token", "shpat_0000"], viaProxy(), 5, "Shopify knows no shop at nosuch.myshopify.com (HTTP 404): check --shop"],
      [["--shop", "example.com", "--token", "shpat_0000"], viaProxy(), 2, /--shop must be the shop's myshopify.com domain/],
      [["--shop", SHOP], viaProxy(), 2, /--token TOKEN \(or SHOPIFY_ADMIN_TOKEN\) is required/],
    ];
    for (const [args, env, code, message] of cases) {
      const run = await cli(["pull", ...args, "--out", out], env);
      expect(run.code, run.stderr).toBe(code);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      if (typeof message === "string") expect(lastLine(run.stderr)).toBe(message);
      else expect(run.stderr).toMatch(message);
    }
  });

  it("reports an export Shopify could not complete, and never uses the emulator in production", async () => {
    const token = emulator.issueCustomAppToken(SHOP, ALL_SCOPES);
    emulator.failNextBulkOperation(SHOP);
    const failed = await cli(["pull", "--shop", SHOP, "--token", token, "--out", join(dir, "failed")], viaProxy());
    expect(failed.code).toBe(1);
    expect(lastLine(failed.stderr)).toBe("Shopify could not complete the customers export (INTERNAL_SERVER_ERROR). Try again.");

    const before = proxy.requests();
    const production = await cli(["pull", "--shop", SHOP, "--token", token, "--out", join(dir, "prod")], { ...viaProxy(), NODE_ENV: "production" });
    expect(production.code).toBe(2);
    expect(production.stderr.trim()).toBe("SHOPIFY_EMULATOR_URL is set but NODE_ENV=production: refusing to send the pull anywhere but Shopify");
    expect(proxy.requests()).toBe(before);
  });
});
