import type { Writable } from "node:stream";
import { parseSettingsJson } from "../../campaigns/cli/inputs";
import { DEFAULT_AUDIENCE_SETTINGS } from "../../messaging/rules/settings";
import { firstUnreadable } from "../../segments/cli/input-file.server";
import { unwritable, writeOutput } from "../../segments/cli/output.server";
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from "../../segments/cli/segments.server";
import { DEFAULT_FLOW_SETTINGS, shopFlows, withPeakPreset } from "../settings";
import type { FlowsOptions } from "./args";
import { FLOWS_CSV_HEADER, formatFlowRow, sortFlowRows } from "./csv";
import { parseFlowSettingsJson, parseFlowsShopJson } from "./inputs";
import {
  readCheckouts,
  readCustomers,
  readJsonFile,
  readOrders,
  readProducts,
  type Read,
} from "./read-files.server";
import { replayFlows } from "./replay-flows";
import { summaryLines } from "./summary";

// `flows`: reads the small JSON files (a bad one is a usage error), then the JSONL files (bad lines
// reported and skipped, or the first one stops the command under --strict), replays the window and
// writes the CSV. Everything read is held in memory: a shop's history, not a million-line bulk file.

export interface FlowsIo {
  stderr(line: string): void;
  stdout: Writable;
}

class StrictStop extends Error {}

export async function runFlows(options: FlowsOptions, io: FlowsIo): Promise<number> {
  const files = [
    options.customers,
    options.orders,
    options.checkouts,
    ...(options.products ? [options.products] : []),
  ];
  const problem = (await firstUnreadable(files)) ?? (await unwritable(options.out));
  if (problem) {
    io.stderr(problem);
    return EXIT_USAGE;
  }
  const shop = await readJsonFile(options.shop, parseFlowsShopJson);
  const settings = options.settings ? await readJsonFile(options.settings, parseFlowSettingsJson) : null;
  const audience = options.audience ? await readJsonFile(options.audience, parseSettingsJson) : null;
  const usage = [shop, settings, audience].flatMap((r) => (r && !r.ok ? r.errors : []));
  if (usage.length > 0 || !shop.ok || (settings && !settings.ok) || (audience && !audience.ok)) {
    for (const line of usage) io.stderr(line);
    return EXIT_USAGE;
  }

  let badLines = 0;
  let checkoutVersions = 0;
  const checked = <T>(file: string, read: Read<T>): T[] => {
    for (const e of read.errors) {
      io.stderr(`${file}:${e.line}: ${e.reason}`);
      badLines++;
      if (options.strict) throw new StrictStop();
    }
    for (const note of read.notes ?? []) io.stderr(`${file}: note: ${note}`);
    return read.rows;
  };
  const readAll = async () => {
    const customers = checked(options.customers, await readCustomers(options.customers));
    const orders = checked(options.orders, await readOrders(options.orders, shop.value.currencyCode));
    // only the versions in the window are kept (replay-flows.ts: the others change nothing)
    const all = checked(options.checkouts, await readCheckouts(options.checkouts));
    const checkouts = all.filter((k) => k.updatedAt >= options.from && k.updatedAt < options.until);
    checkoutVersions = all.length;
    const products = options.products
      ? checked(options.products, await readProducts(options.products))
      : null;
    return { customers, orders, checkouts, products };
  };
  const input = await readAll().catch((error: unknown) => {
    if (error instanceof StrictStop) return null;
    throw error;
  });
  if (!input) return EXIT_BAD_INPUT;

  const chosen = settings?.ok ? settings.value : DEFAULT_FLOW_SETTINGS;
  const flows = shopFlows(options.peak ? withPeakPreset(chosen) : chosen);
  const rules = audience?.ok ? audience.value.settings : DEFAULT_AUDIENCE_SETTINGS;
  const result = replayFlows({
    ...input,
    shop: {
      shop: shop.value.myshopifyDomain ?? "",
      timeZone: shop.value.ianaTimezone,
      audience: {
        caps: rules.caps,
        smsQuietHours: rules.smsQuietHours,
        stateQuietHours: rules.stateQuietHours,
      },
    },
    flows,
    from: options.from,
    until: options.until,
  });
  const keys = flows.map((f) => f.key);
  await writeOutput(
    options.out,
    io.stdout,
    FLOWS_CSV_HEADER,
    sortFlowRows(result.rows, keys).map(formatFlowRow),
  );

  const { customers, orders, checkouts, products } = input;
  io.stderr(
    `${customers.length} customers, ${orders.length} orders, ${checkoutVersions} checkout versions ` +
      `(${checkouts.length} in the window) read; ` +
      (products
        ? `${products.length} products (stock as in ${options.products ?? ""})`
        : "no products file: every product in stock"),
  );
  if (badLines > 0) io.stderr(`${badLines} bad lines skipped`);
  const off = flows.filter((f) => !f.enabled).map((f) => f.key);
  if (off.length > 0) io.stderr(`flows off: ${off.join(", ")}`);
  for (const line of summaryLines(result, keys, options.from, options.until)) io.stderr(line);
  return EXIT_OK;
}
