import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_FLOWS, type BuiltInFlowKey } from "~/flows/built-in";
import { isFlowHoldout, stepMessageKey } from "~/flows/ids";
import { programFor } from "~/flows/program";
import type { Channel } from "~/messaging/rules/channels";
import { generateStore } from "../emulator/index";
import { writeFlowHistory, type FlowHistoryFiles } from "../support/flow-history";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { readHistory, replayInApp, type OutboxMessage } from "./helpers/flows-app-replay";

// The flows command and the app decide the same messages. Each history is written as the
// command's files and replayed by the command (a child process, as `npm run cli` runs it); the
// same files are lived by the app's runtime (helpers/flows-app-replay.ts: the sync's store
// functions, each webhook's transaction, the nightly rescore, runDueSteps on a moving clock), and
// the app's outbox must hold exactly the command's rows: message id, status, skip reason, channel,
// send time.

const FROM = new Date("2026-11-24T00:00:00Z");
const UNTIL = new Date("2026-12-03T00:00:00Z");
const ZONE = "America/New_York";
const TSX = join(process.cwd(), "node_modules/.bin/tsx");
const HEADER = "flow,step,trigger_id,customer_id,channel,holdout,due_at_utc,send_at_utc,skip_reason";
const dir = mkdtempSync(join(tmpdir(), "flows-cli-app-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isFlowKey = (key: string): key is BuiltInFlowKey => key in BUILT_IN_FLOWS;
const isChannel = (value: string): value is Channel =>
  value === "email" || value === "sms" || value === "webhook";

/** The command's CSV as the outbox rows it stands for, by message id. */
function expectedMessages(csv: string, shop: string): Map<string, OutboxMessage> {
  const [header, ...lines] = csv.trimEnd().split("\n");
  expect(header).toBe(HEADER);
  const out = new Map<string, OutboxMessage>();
  for (const line of lines) {
    const [flow = "", step, trigger = "", , channel = "", , , sendAt, skip] = line.split(",");
    if (!isFlowKey(flow) || !isChannel(channel)) throw new Error(`unexpected row ${line}`);
    const index = programFor(BUILT_IN_FLOWS[flow].definition.steps).findIndex((i) => i.step.id === step);
    const id = stepMessageKey(shop, flow, trigger, index, channel);
    expect(out.has(id), `one row per message: ${line}`).toBe(false);
    const status = !skip ? "queued" : skip === "holdout" ? "holdout" : "skipped";
    out.set(id, { status, skipReason: skip || null, channel, sendAt: sendAt || null });
  }
  return out;
}

/** Runs the command on the files; its CSV. */
function replayInCli(files: FlowHistoryFiles, out: string, settings: string | null): Promise<string> {
  const args = ["app/cli/main.ts", "flows", "--customers", files.customers, "--orders", files.orders];
  args.push("--checkouts", files.checkouts, "--products", files.products, "--shop", files.shop);
  args.push("--from", FROM.toISOString(), "--until", UNTIL.toISOString(), "--out", out);
  if (settings) args.push("--settings", settings);
  return new Promise((resolve, reject) => {
    execFile(TSX, args, { maxBuffer: 1 << 26 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`flows exited ${String(error.code)}: ${stderr}`));
      else resolve(readFileSync(out, "utf8"));
    });
  });
}

function compare(app: Map<string, OutboxMessage>, cli: Map<string, OutboxMessage>) {
  return {
    missing: [...cli].filter(([id]) => !app.has(id)).slice(0, 5),
    extra: [...app].filter(([id]) => !cli.has(id)).slice(0, 5),
    different: [...cli]
      .filter(([id, m]) => app.has(id) && JSON.stringify(app.get(id)) !== JSON.stringify(m))
      .slice(0, 5)
      .map(([id, m]) => ({ cli: m, app: app.get(id) })),
  };
}

// ── a generated Cyber Week: 400 customers over a year, a fifth of checkouts abandoned ─────────────

const GENERATED = "flows-cli-app.myshopify.com";
const store = generateStore({ domain: GENERATED, seed: 13, customers: 400, until: UNTIL, years: 1 });

// ── by hand: one New York customer with SMS consent only, whose welcome and abandoned checkout SMS
// are both held by the quiet hours until 08:00 — two steps of one customer in one batch ───────────

const HAND = "flows-cli-hand.myshopify.com";
const CUSTOMER = 5102;

/** `held_sms`: the morning above; `email_caps`: an email customer's cart at 10:00 UTC, their email consent at 12:00. */
function writeHandFiles(into: string, shop: string, variant: "held_sms" | "email_caps"): FlowHistoryFiles {
  mkdirSync(into, { recursive: true });
  const sms = variant === "held_sms";
  const at = (name: string, lines: unknown[]) => {
    writeFileSync(join(into, name), lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
    return join(into, name);
  };
  return {
    customers: at("customers.jsonl", [
      {
        id: `gid://shopify/Customer/${CUSTOMER}`,
        email: "sam@example.com",
        phone: "+12125550100",
        createdAt: "2026-11-01T00:00:00Z",
        updatedAt: "2026-11-25T03:00:00Z",
        tags: [],
        emailMarketingConsent: sms
          ? { marketingState: "NOT_SUBSCRIBED", consentUpdatedAt: null }
          : { marketingState: "SUBSCRIBED", consentUpdatedAt: "2026-11-27T12:00:00Z" },
        // 22:00 in New York: the welcome SMS waits for 08:00
        smsMarketingConsent: sms
          ? { marketingState: "SUBSCRIBED", consentUpdatedAt: "2026-11-25T03:00:00Z" }
          : { marketingState: "NOT_SUBSCRIBED", consentUpdatedAt: null },
        defaultAddress: { countryCodeV2: "US", provinceCode: "NY", timeZone: ZONE },
      },
    ]),
    orders: at("orders.jsonl", []),
    checkouts: at("checkouts.jsonl", [
      {
        id: 7101,
        created_at: sms ? "2026-11-25T02:30:00Z" : "2026-11-27T09:50:00Z",
        // abandoned at 21:40 in New York: its first SMS is due at 22:40, held until 08:00
        updated_at: sms ? "2026-11-25T02:40:00Z" : "2026-11-27T10:00:00Z",
        completed_at: null,
        customer: { id: CUSTOMER },
        total_price: "24.00",
        currency: "USD",
        abandoned_checkout_url: "https://shop.example/checkouts/k/recover?key=k",
        line_items: [{ product_id: 11, variant_id: 111, quantity: 1, title: "Merino Scarf", price: "24.00" }],
      },
    ]),
    products: at("products.jsonl", [
      {
        id: "gid://shopify/Product/11",
        title: "Merino Scarf",
        handle: "merino-scarf",
        productType: "Scarves",
        tags: [],
        status: "ACTIVE",
        publishedAt: "2026-01-01T00:00:00Z",
        updatedAt: "2026-11-01T00:00:00Z",
        tracksInventory: true,
        priceRangeV2: { minVariantPrice: { amount: "24.00", currencyCode: "USD" } },
      },
      {
        id: "gid://shopify/ProductVariant/111",
        availableForSale: true,
        __parentId: "gid://shopify/Product/11",
      },
    ]),
    shop: at("shop.json", [
      { ianaTimezone: ZONE, currencyCode: "USD", countryCode: "US", myshopifyDomain: shop },
    ]),
  };
}

const SETTINGS_SHOP = "flows-cli-settings.myshopify.com";
const CAPS_SHOP = "flows-cli-caps.myshopify.com";
let generatedFiles: Promise<FlowHistoryFiles>;

interface Case {
  name: string;
  shop: string;
  settings?: Record<string, Prisma.InputJsonObject>;
  files: () => Promise<FlowHistoryFiles>;
}
const cases: Case[] = [
  { name: "a generated history", shop: GENERATED, files: () => generatedFiles },
  {
    name: "two held steps of one customer",
    shop: HAND,
    files: async () => writeHandFiles(join(dir, "hand"), HAND, "held_sms"),
  },
  {
    // the cart's email (11:00) does not hold the welcome email (12:00) of a flow it does not cap
    name: "a flow switched off the caps",
    shop: CAPS_SHOP,
    settings: { abandoned_checkout: { countsTowardCaps: false } },
    files: async () => writeHandFiles(join(dir, "caps"), CAPS_SHOP, "email_caps"),
  },
  {
    // the same files as another shop's, whose merchant changed the flows' settings
    name: "the generated history with other settings",
    shop: SETTINGS_SHOP,
    settings: {
      abandoned_checkout: {
        delays: { first_message_wait: 30, first_reminder_wait: 720 },
        countsTowardCaps: false,
      },
      welcome: { holdoutShare: 0.5 },
      vip_recognition: { enabled: false },
    },
    files: async (): Promise<FlowHistoryFiles> => {
      const shop = join(dir, "settings-shop.json");
      writeFileSync(
        shop,
        JSON.stringify({
          ianaTimezone: ZONE,
          currencyCode: "USD",
          countryCode: "US",
          myshopifyDomain: SETTINGS_SHOP,
        }),
      );
      return { ...(await generatedFiles), shop };
    },
  },
];
const cliRows = new Map<
  string,
  { csv: string; files: FlowHistoryFiles; expected: Map<string, OutboxMessage> }
>();

beforeAll(async () => {
  mkdirSync(join(dir, "generated"));
  generatedFiles = writeFlowHistory(store, join(dir, "generated"));
  for (const c of cases) {
    const files = await c.files();
    mkdirSync(join(dir, c.shop), { recursive: true });
    const settings = c.settings ? join(dir, c.shop, "flows.json") : null;
    if (settings) writeFileSync(settings, JSON.stringify(c.settings));
    const csv = await replayInCli(files, join(dir, c.shop, "sends.csv"), settings);
    cliRows.set(c.shop, { csv, files, expected: expectedMessages(csv, c.shop) });
  }
}, 120_000);

describe("the command's own rows", () => {
  it("the generated history gives every flow something to decide: sends, skips, holdouts, conversions", () => {
    const run = cliRows.get(GENERATED);
    for (const key of Object.keys(BUILT_IN_FLOWS)) expect(run?.csv, key).toContain(`\n${key},`);
    const messages = [...(run?.expected.values() ?? [])];
    expect(new Set(messages.map((m) => m.status))).toEqual(new Set(["queued", "skipped", "holdout"]));
    expect(messages.filter((m) => m.status === "queued").length).toBeGreaterThan(40);
  });

  it("other settings change the rows: VIP recognition off, more welcome holdouts", () => {
    const csv = cliRows.get(SETTINGS_SHOP)?.csv ?? "";
    expect(csv).not.toContain("\nvip_recognition,");
    const welcomeHoldouts = (text: string) =>
      text.split("\n").filter((l) => l.startsWith("welcome,") && l.endsWith(",holdout")).length;
    expect(welcomeHoldouts(csv)).toBeGreaterThan(welcomeHoldouts(cliRows.get(GENERATED)?.csv ?? ""));
  });

  it("by hand: a flow switched off the caps neither counts toward them nor waits for them", () => {
    expect(cliRows.get(CAPS_SHOP)?.csv).toContain(
      "\nwelcome,welcome,5102,5102,email,false,2026-11-27T12:00:00.000Z,2026-11-27T12:00:00.000Z,\n",
    );
  });

  it("by hand: the second SMS of the morning waits a day for the SMS cap, and the waits count from it", () => {
    expect(isFlowHoldout("welcome", String(CUSTOMER), 0.1)).toBe(false);
    expect(isFlowHoldout("abandoned_checkout", String(CUSTOMER), 0.1)).toBe(false);
    const sent = (cliRows.get(HAND)?.csv ?? "")
      .split("\n")
      .map((line) => line.split(","))
      .filter((cells) => cells[4] === "sms" && cells[8] === "")
      .map(([flow, step, , , , , due, sendAt]) => `${flow}/${step} due ${due} sent ${sendAt}`);
    expect(sent).toEqual([
      // 22:40 in New York: held for 08:00 (13:00 UTC), then a day more behind the welcome's SMS (cap: 24 h)
      "abandoned_checkout/first_message due 2026-11-25T03:40:00.000Z sent 2026-11-26T13:00:00.000Z",
      // 24 h and 72 h after the first message went
      "abandoned_checkout/first_reminder due 2026-11-27T13:00:00.000Z sent 2026-11-27T13:00:00.000Z",
      "abandoned_checkout/last_reminder due 2026-11-29T13:00:00.000Z sent 2026-11-29T13:00:00.000Z",
      // consent at 22:00 in New York: 08:00 the next morning, first in the batch (its enrollment id sorts first)
      "welcome/welcome due 2026-11-25T03:00:00.000Z sent 2026-11-25T13:00:00.000Z",
      // 3 days after the first welcome went, 24 h after the reminder before it
      "welcome/second_welcome due 2026-11-28T13:00:00.000Z sent 2026-11-28T13:00:00.000Z",
    ]);
  });
});

describe.each(databaseModes)("flows command and app agree ($name)", (mode) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await mode.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it.each(cases)(
    "on $name: the app's outbox holds the command's rows, message for message",
    async ({ shop, settings }) => {
      const run = cliRows.get(shop);
      if (!run) throw new Error(`no command run for ${shop}`);
      const history = readHistory(run.files);
      const app = await replayInApp(db.prisma, {
        shop,
        timeZone: ZONE,
        from: FROM,
        until: UNTIL,
        history,
        settings,
      });
      expect(compare(app, run.expected)).toEqual({ missing: [], extra: [], different: [] });
    },
    600_000,
  );
});
