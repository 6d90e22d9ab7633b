import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The flows command as `npm run cli` runs it (tsx, a child process): help, usage errors and bad
// input with their exit codes and FILE:LINE messages, the same bytes on every run, the peak preset.

const TSX = join(process.cwd(), "node_modules/.bin/tsx");
const HEADER = "flow,step,trigger_id,customer_id,channel,holdout,due_at_utc,send_at_utc,skip_reason";
const dir = mkdtempSync(join(tmpdir(), "cli-flows-"));
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

function file(name: string, lines: unknown[] | string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    typeof lines === "string"
      ? lines
      : lines.map((l) => `${typeof l === "string" ? l : JSON.stringify(l)}\n`).join(""),
  );
  return path;
}

const customer = (id: number) => ({
  id: `gid://shopify/Customer/${id}`,
  email: `c${id}@example.com`,
  emailMarketingConsent: { marketingState: "SUBSCRIBED", consentUpdatedAt: "2025-01-01T00:00:00Z" },
  defaultAddress: { countryCodeV2: "US", provinceCode: "NY", timeZone: "America/New_York" },
});
const checkout = (id: number, customerId: number, updatedAt: string) => ({
  id: `gid://shopify/AbandonedCheckout/${id}`,
  createdAt: "2026-11-27T09:00:00Z",
  updatedAt,
  completedAt: null,
  customer: { id: `gid://shopify/Customer/${customerId}` },
  abandonedCheckoutUrl: `https://shop.example/recover/${id}`,
  lineItems: [
    {
      quantity: 1,
      title: "Merino Scarf",
      product: { id: "gid://shopify/Product/11" },
      variant: { id: "gid://shopify/ProductVariant/111" },
    },
  ],
});

const customers = file("customers.jsonl", [customer(1001), customer(1002)]);
const orders = file("orders.jsonl", [
  {
    id: "gid://shopify/Order/1",
    createdAt: "2026-11-28T09:00:00Z",
    cancelledAt: null,
    test: false,
    customer: { id: "gid://shopify/Customer/1002" },
    currentTotalPriceSet: { shopMoney: { amount: "49.00", currencyCode: "USD" } },
    totalDiscountsSet: { shopMoney: { amount: "0.00", currencyCode: "USD" } },
  },
]);
const checkouts = file("checkouts.jsonl", [
  checkout(5001, 1001, "2026-11-27T10:00:00Z"),
  checkout(5002, 1002, "2026-11-27T10:00:00Z"),
]);
const shop = file(
  "shop.json",
  '{"ianaTimezone": "America/New_York", "currencyCode": "USD", "countryCode": "US"}',
);
const files = ["--customers", customers, "--orders", orders, "--checkouts", checkouts, "--shop", shop];
const window = ["--from", "2026-11-24T00:00:00Z", "--until", "2026-12-03T00:00:00Z"];

describe("npm run cli -- flows", () => {
  it("--help prints its usage; the command line lists it", async () => {
    const help = await cli("flows", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: npm run cli -- flows --customers FILE");
    expect(help.stdout).toContain("every product counts as in stock");
    const top = await cli("--help");
    expect(top.stdout).toMatch(/^ {2}flows {7}/m);
  });

  it("replays to standard output: the CSV, the same bytes on every run, a summary on standard error", async () => {
    const [a, b] = await Promise.all([cli("flows", ...files, ...window), cli("flows", ...files, ...window)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.split("\n")).toEqual([
      HEADER,
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,",
      "abandoned_checkout,first_reminder,5001,1001,email,false,2026-11-28T11:00:00.000Z,2026-11-28T11:00:00.000Z,",
      "abandoned_checkout,last_reminder,5001,1001,email,false,2026-11-30T11:00:00.000Z,2026-11-30T11:00:00.000Z,",
      "abandoned_checkout,first_message,5002,1002,email,false,2026-11-27T11:00:00.000Z,2026-11-27T11:00:00.000Z,",
      "abandoned_checkout,first_reminder,5002,1002,email,false,2026-11-28T11:00:00.000Z,,converted",
      "",
    ]);
    expect(a.stderr).toContain("no products file: every product in stock");
    expect(a.stderr).toContain(
      "entered: abandoned_checkout 2, welcome 0, win_back 0, vip_recognition 0, post_purchase_cross_sell 1",
    );
    expect(a.stderr).toContain(
      "still waiting at 2026-12-03T00:00:00.000Z (not decided): post_purchase_cross_sell 1",
    );
  });

  it("--peak: the first message 30 minutes after the last activity; --settings can turn a flow off", async () => {
    const out = join(dir, "peak.csv");
    const peak = await cli("flows", ...files, ...window, "--peak", "--out", out);
    expect(peak.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(
      "abandoned_checkout,first_message,5001,1001,email,false,2026-11-27T10:30:00.000Z,",
    );
    const off = file("off.json", [{ abandoned_checkout: { enabled: false } }]);
    const none = await cli("flows", ...files, ...window, "--settings", off);
    expect(none.stdout).toBe(`${HEADER}\n`);
    expect(none.stderr).toContain("flows off: abandoned_checkout");
  });

  it("usage errors exit 2 with one line each", async () => {
    const missing = await cli("flows", ...window);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--customers FILE is required");
    expect(missing.stderr).toContain("Run with --help for usage.");
    const noFile = await cli(
      "flows",
      ...files.slice(0, 1),
      join(dir, "nope.jsonl"),
      ...files.slice(2),
      ...window,
    );
    expect(noFile).toMatchObject({
      code: 2,
      stderr: `cannot read ${join(dir, "nope.jsonl")}: no such file\n`,
    });
    const badShop = file("bad-shop.json", '{"currencyCode": "usd"}');
    const shopError = await cli("flows", ...files.slice(0, 6), "--shop", badShop, ...window);
    expect(shopError.code).toBe(2);
    expect(shopError.stderr).toContain(`${badShop}: ianaTimezone: missing`);
    expect(shopError.stderr).toContain(
      `${badShop}: currencyCode: must be a 3-letter ISO 4217 code like "USD"`,
    );
    const badSettings = file("bad-settings.json", [{ welcome: { holdoutShare: 0.9 } }]);
    const settingsError = await cli("flows", ...files, ...window, "--settings", badSettings);
    expect(settingsError).toMatchObject({
      code: 2,
      stderr: `${badSettings}: welcome.holdoutShare: Holdout share must be from 0 to 0.5 (e.g. 0.1 for 10%)\n`,
    });
  });

  it("bad lines are reported as FILE:LINE: reason and skipped; --strict stops at the first (exit 1)", async () => {
    const someBad = file("some-bad.jsonl", [
      customer(1001),
      "{not json",
      { email: "x@example.com" },
      customer(1001),
      customer(1002),
    ]);
    const badCheckouts = file("bad-checkouts.jsonl", [
      checkout(5001, 1001, "yesterday"),
      checkout(5002, 1002, "2026-11-27T10:00:00Z"),
    ]);
    const args = [
      "--customers",
      someBad,
      "--orders",
      orders,
      "--checkouts",
      badCheckouts,
      "--shop",
      shop,
      ...window,
    ];
    const run = await cli("flows", ...args);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${someBad}:2: invalid JSON`);
    expect(run.stderr).toContain(`${someBad}:3: id: missing`);
    expect(run.stderr).toContain(`${someBad}:4: id: duplicate customer (first on line 1)`);
    expect(run.stderr).toContain(`${badCheckouts}:1: updatedAt: not a timestamp`);
    expect(run.stderr).toContain("4 bad lines skipped");
    expect(run.stdout).toContain(
      "abandoned_checkout,first_message,5002,1002,email,false,2026-11-27T11:00:00.000Z",
    );
    const strict = await cli("flows", ...args, "--strict");
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(`${someBad}:2: invalid JSON\n`);
    expect(strict.stdout).toBe("");
  });
});
