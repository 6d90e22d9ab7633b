import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "~/db.server";
import { readAppConfig } from "../../scripts/demo/app-config";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { syncStatus, waitForSync } from "../../scripts/demo/wait-for-sync";
import { examplePayload, examplePayloadFor } from "../support/example-payloads";
import { databaseModes, type DatabaseTarget } from "./helpers/db";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Every topic the app subscribes to, with Shopify's documented example payload, signed like
// Shopify signs, through the running app: accepted, then processed from the queue.
const SHOP = "examples-store.myshopify.com";
const DESTRUCTIVE = ["app/uninstalled", "shop/redact"];
const topics = readAppConfig().webhooks.flatMap((s) => s.topics);

describe.each(databaseModes)("Shopify's example payloads on $name", (mode) => {
  let demo: Demo;
  let database: DatabaseTarget;
  let dataDir: string;

  beforeAll(async () => {
    database = await mode.target();
    dataDir = database.dataDir ?? mkdtempSync(join(tmpdir(), "examples-"));
    demo = await startDemo({
      apiKey: "examples-key",
      apiSecret: "examples-secret",
      shop: SHOP,
      customers: 30,
      seed: 2,
      dataDir,
      databaseUrl: database.databaseUrl,
      install: true,
    });
    await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await demo?.stop();
    await database?.cleanup();
  });

  it("subscribes to every topic the issue names", () => {
    expect([...topics].sort()).toEqual(
      [
        "app/scopes_update",
        "app/uninstalled",
        "bulk_operations/finish",
        "checkouts/create",
        "checkouts/update",
        "customers/create",
        "customers/data_request",
        "customers/delete",
        "customers/redact",
        "customers/update",
        "orders/cancelled",
        "orders/create",
        "orders/updated",
        "products/create",
        "products/delete",
        "products/update",
        "shop/redact",
      ].sort(),
    );
  });

  it("accepts and processes each topic's example; a documented example Shopify's own schema refuses is kept as failed", async () => {
    const everyday = topics.filter((t) => !DESTRUCTIVE.includes(t));
    // The backfill's own bulk_operations/finish deliveries are already there.
    const before = (await syncStatus(demo.appUrl, demo.emulator, SHOP)).webhooks;
    for (const topic of everyday) {
      const result = await demo.emulator.sendWebhook({ shop: SHOP, topic, payload: examplePayloadFor(topic, SHOP) });
      expect(result.status, topic).toBe(200);
    }
    // Shopify's checkout examples lack the `id` their schema requires, and the products/delete
    // example's only id exceeds 2^53 (JSON numbers round it): nothing can be stored for them.
    const withoutId = everyday.filter(
      (t) => (t.startsWith("checkouts/") && examplePayload(t).id === undefined) || t === "products/delete",
    ).length;
    await expect
      .poll(async () => (await syncStatus(demo.appUrl, demo.emulator, SHOP)).webhooks, { timeout: 30_000 })
      .toEqual({
        received: 0,
        processed: before.processed + everyday.length - withoutId,
        failed: before.failed + withoutId,
      });
  });

  it("app/uninstalled then shop/redact leave nothing of the shop behind", async () => {
    for (const topic of DESTRUCTIVE) {
      const result = await demo.emulator.sendWebhook({ shop: SHOP, topic, payload: examplePayloadFor(topic, SHOP) });
      expect(result.status, topic).toBe(200);
    }
    // Processing takes milliseconds; the app is stopped gracefully (in-flight jobs finish) after it.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await demo.stop();
    const db = await createDatabase({ dataDir, databaseUrl: database.databaseUrl });
    try {
      const where = { shop: SHOP };
      expect({
        customers: await db.prisma.customer.count({ where }),
        orders: await db.prisma.order.count({ where }),
        sessions: await db.prisma.session.count({ where }),
        deliveries: await db.prisma.webhookDelivery.count({ where }),
        syncRuns: await db.prisma.syncRun.count({ where }),
        shops: await db.prisma.shop.count({ where: { domain: SHOP } }),
      }).toEqual({ customers: 0, orders: 0, sessions: 0, deliveries: 0, syncRuns: 0, shops: 0 });
    } finally {
      await db.close();
    }
  });
});
