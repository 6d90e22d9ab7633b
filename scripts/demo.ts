// `npm run demo`: the local emulator with a generated store, and the app wired to it.
// `npm run demo -- --once`: the same start-up, a check that the app answers, a summary, exit.
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkDemo } from "./demo/check";
import { startDemo, type Demo } from "./demo/start-demo";
import { waitForSegments, waitForSync } from "./demo/wait-for-sync";
import { formatSegmentTable } from "./demo/segment-table";
import { formatSentTable, offeredPlaybooks, runCampaignDemo } from "./demo/campaigns";
import { formatResults, waitForResults } from "./demo/results";
import { runStorefrontDemo } from "./demo/storefront";
import { formatShoppers, simulateShoppers } from "./demo/shoppers";
import { runFlowDemo } from "./demo/flows";
import { formatOpenTheApp } from "./demo/banner";
import { summarizeStore } from "../test/emulator/index";

const { values } = parseArgs({
  options: {
    once: { type: "boolean", default: false },
    customers: { type: "string", default: "10000" },
    seed: { type: "string", default: "1" },
    verbose: { type: "boolean", default: false },
  },
});

const customers = Number(values.customers);
if (!Number.isInteger(customers) || customers < 1) {
  process.stderr.write(`--customers must be a positive whole number (got "${values.customers}")\n`);
  process.exit(2);
}
const shop = process.env.DEMO_SHOP || "demo-store.myshopify.com";
const apiSecret = process.env.SHOPIFY_API_SECRET || "demo-app-secret";
const say = (line: string) => process.stdout.write(`${line}\n`);

// Ctrl-C or SIGTERM at any moment, start-up included: stop the app (its workers and database), the
// emulator and its sinks, then exit. Later signals change nothing: npm relays a terminal's Ctrl-C to
// this process, which the terminal also sent it, so one key press arrives twice.
const stopping = new AbortController();
let starting: Promise<Demo> | undefined;
function stopOn(signal: NodeJS.Signals): void {
  if (stopping.signal.aborted) return;
  say(`${signal}: stopping the app and the emulator…`);
  stopping.abort();
  // demo.stop() ends an app that does not stop within 15 s; this is the last resort
  setTimeout(() => process.exit(1), 30_000).unref();
  void (async () => {
    const demo = await starting?.catch(() => undefined);
    await demo?.stop();
    say("stopped");
    process.exit(0);
  })();
}
process.on("SIGINT", stopOn);
process.on("SIGTERM", stopOn);

async function main(): Promise<void> {
  say(`starting the local Shopify emulator with ${customers.toLocaleString("en-US")} customers for ${shop}…`);
  const started = Date.now();
  // The emulator's store is generated afresh on every start, so the app's data starts afresh too:
  // campaigns and flows of an earlier run would be about a store that no longer exists.
  const dataDir = process.env.DATA_DIR || "data/demo";
  if (!process.env.DATA_DIR && !process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true });
  starting = startDemo({
    port: process.env.PORT ? Number(process.env.PORT) : 3000,
    emulatorPort: process.env.EMULATOR_PORT ? Number(process.env.EMULATOR_PORT) : undefined,
    apiKey: process.env.SHOPIFY_API_KEY || "holiday-segments-demo-key",
    apiSecret,
    shop,
    customers,
    seed: Number(values.seed),
    // The store's history runs up to now, so on any day every segment has customers.
    until: new Date(),
    dataDir,
    databaseUrl: process.env.DATABASE_URL,
    log: values.verbose ? say : undefined,
    install: true,
    signal: stopping.signal,
  });
  const demo = await starting;

  const store = demo.emulator.store(shop);
  say(formatOpenTheApp(demo.adminUrl));
  say(`emulator (Shopify): ${demo.emulator.url}`);
  say(`outbox viewer:      ${demo.emulator.url}/sinks`);
  say(`app server:         ${demo.appUrl} (Shopify admin frames it; on its own it asks for the shop)`);
  say(
    `store:              ${store.customers.length.toLocaleString("en-US")} customers, ${store.orders.length.toLocaleString("en-US")} orders, ${store.products.length} products, history up to ${new Date(store.untilMs).toISOString().slice(0, 16)}Z`,
  );

  const synced = await waitForSync(demo.appUrl, demo.emulator, shop, { onPhase: say });
  const truth = summarizeStore(store);
  const run = synced.backfill;
  say(
    `backfill ${run?.status ?? "missing"}: ${synced.counts.customers.toLocaleString("en-US")} customers, ` +
      `${synced.counts.orders.toLocaleString("en-US")} orders (${synced.counts.countedOrders.toLocaleString("en-US")} counted) ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s since start`,
  );
  const scored = await waitForSegments(demo.appUrl, demo.emulator, shop);
  say(formatSegmentTable(scored.segments.counts));
  const ctx = { appUrl: demo.appUrl, emulator: demo.emulator, shop };
  const playbooks = await offeredPlaybooks(ctx);
  say(`planning ${playbooks.map((p) => `${p.name} ${p.year}`).join(" (else ")}${playbooks.length > 1 ? ")" : ""} and sending the VIP campaign now to the local sinks…`);
  const campaign = await runCampaignDemo(ctx, { playbooks, segment: "vip" });
  say(formatSentTable(campaign));
  // opens within 2 s of delivery are a machine's: the shoppers read their mail a moment later
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const sentKeys = new Set(demo.emulator.sinks.mail(Number.MAX_SAFE_INTEGER).flatMap((m) => (m.key ? [m.key] : [])));
  const shoppers = await simulateShoppers(ctx, { seed: Number(values.seed), campaignKeys: sentKeys });
  say(formatShoppers(shoppers));
  const results = await waitForResults(ctx, campaign.campaignId, shoppers);
  say(formatResults(results.page));
  say("turning on the abandoned checkout flow; a subscribed shopper left a cart an hour ago…");
  const flow = await runFlowDemo(ctx);
  say(
    flow.seconds === null
      ? "abandoned checkout: no email yet (see the Flows page)"
      : `abandoned checkout: "${flow.subject ?? ""}" sent ${flow.seconds.toFixed(1)} s after the checkout webhook (outbox viewer: ${demo.emulator.url}/sinks)`,
  );

  const storefront = await runStorefrontDemo(ctx);
  say(`storefront:         ${storefront.url} (banner: "${storefront.banner ?? "none"}"; the signup form, French at ${storefront.url}fr/)`);
  say(`storefront signup:  ${storefront.signup}`);

  if (values.once) {
    const checks = [
      ...(await checkDemo(demo, shop, apiSecret)),
      ...campaign.checks,
      ...results.checks,
      ...flow.checks,
      ...storefront.checks,
    ];
    checks.unshift({
      name: "backfill equals the store's truth",
      ok:
        run?.status === "completed" &&
        synced.counts.customers === truth.customers &&
        synced.counts.orders === truth.orders &&
        synced.counts.countedOrders === truth.countedOrders &&
        synced.counts.buyers === truth.customersWithCountedOrders &&
        synced.counts.revenueMinor === String(truth.countedRevenueMinor),
      detail: `customers ${synced.counts.customers}/${truth.customers}, orders ${synced.counts.orders}/${truth.orders}, counted ${synced.counts.countedOrders}/${truth.countedOrders}, buyers ${synced.counts.buyers}/${truth.customersWithCountedOrders}, revenue ${synced.counts.revenueMinor}/${truth.countedRevenueMinor} minor units`,
    });
    for (const check of checks) say(`${check.ok ? "ok  " : "FAIL"} ${check.name} — ${check.detail}`);
    await demo.stop();
    const failed = checks.filter((c) => !c.ok).length;
    say(
      failed === 0
        ? `demo ok in ${((Date.now() - started) / 1000).toFixed(1)} s`
        : `${failed} check(s) failed`,
    );
    process.exit(failed === 0 ? 0 : 1);
  }

  say("webhooks: POST to the app from the emulator, e.g.");
  say(
    `  curl -X POST ${demo.emulator.url}/emulator/webhooks -H 'content-type: application/json' -d '{"shop":"${shop}","topic":"app/scopes_update","payload":{"current":["read_customers"]}}'`,
  );
  say(`open the app: ${demo.adminUrl}`);
  say(`open the storefront: ${storefront.url}`);
  say("press Ctrl+C to stop");
}

try {
  await main();
} catch (error) {
  // A stop asked for during start-up or sync ends what was running: not an error to report.
  if (!stopping.signal.aborted) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await (await starting?.catch(() => undefined))?.stop();
    process.exit(1);
  }
}
