import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { syncStatus, waitForSync } from "../../scripts/demo/wait-for-sync";
import { summarizeStore } from "../emulator/index";
import { databaseModes, type DatabaseTarget } from "./helpers/db";

// The app process is killed (SIGKILL, no chance to clean up) while it loads orders, then started
// again on the same database: the backfill resumes and ends exactly at the store's truth.
const SHOP = "crash-store.myshopify.com";

describe.each(databaseModes)("a backfill interrupted by a crash on $name", (mode) => {
  let demo: Demo;
  let database: DatabaseTarget;
  let dataDir: string;

  beforeAll(async () => {
    database = await mode.target();
    dataDir = database.dataDir ?? mkdtempSync(join(tmpdir(), "crash-"));
    demo = await startDemo({
      apiKey: "crash-key",
      apiSecret: "crash-secret",
      shop: SHOP,
      customers: 20_000,
      seed: 11,
      dataDir,
      databaseUrl: database.databaseUrl,
      install: true,
    });
  });

  afterAll(async () => {
    await demo?.stop();
    await database?.cleanup();
    if (!database?.dataDir && dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("completes with the same result and no duplicates after a restart", async () => {
    // Wait until the app is part-way through loading data, then kill it.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await syncStatus(demo.appUrl, demo.emulator, SHOP);
      const run = status.backfill;
      if (run && (run.phase === "orders" || (run.phase === "customers" && run.customersRead > 0))) break;
      if (run && run.status !== "running") throw new Error(`the backfill ended before the crash: ${run.status}`);
      if (Date.now() > deadline) throw new Error("the backfill never started loading");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const before = await syncStatus(demo.appUrl, demo.emulator, SHOP);
    await demo.restartApp("SIGKILL");

    const after = await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 120_000 });
    const truth = summarizeStore(demo.emulator.store(SHOP));
    expect(before.backfill?.status).toBe("running");
    expect(after.backfill?.status).toBe("completed");
    expect(after.counts).toEqual({
      customers: truth.customers,
      orders: truth.orders,
      countedOrders: truth.countedOrders,
      buyers: truth.customersWithCountedOrders,
      revenueMinor: String(truth.countedRevenueMinor),
    });
  });
});
