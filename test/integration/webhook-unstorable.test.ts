import type { ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "~/db.server";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { databaseModes, type DatabaseTarget } from "./helpers/db";
import { customerPayload } from "./helpers/webhook-fixtures";

// A signed delivery whose JSON holds what PostgreSQL's jsonb refuses (\u0000, a lone surrogate)
// through the running app's webhook door: acknowledged, stored and applied, never answered 500.
const SHOP = "unstorable-store.myshopify.com";
const SECRET = "unstorable-secret";

describe.each(databaseModes)("webhook bodies jsonb refuses ($name)", (mode) => {
  let demo: Demo;
  let target: DatabaseTarget;
  let dataDir: string;

  beforeAll(async () => {
    target = await mode.target();
    dataDir = target.dataDir ?? mkdtempSync(join(tmpdir(), "unstorable-"));
    demo = await startDemo({
      apiKey: "unstorable-key",
      apiSecret: SECRET,
      shop: SHOP,
      customers: 5,
      seed: 3,
      dataDir,
      databaseUrl: target.databaseUrl,
      install: true,
    });
  });
  afterAll(async () => {
    await demo?.stop();
    await target?.cleanup();
    if (!target?.dataDir && dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const stopApp = async (app: ChildProcess) => {
    if (app.exitCode !== null || app.signalCode !== null) return;
    const exited = new Promise((resolve) => app.once("exit", resolve));
    app.kill("SIGTERM");
    await exited;
  };
  const post = (body: string, id: string) =>
    fetch(`${demo.appUrl}/webhooks/customers`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "customers/update",
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Webhook-Id": id,
        "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
      },
      body,
    });

  it("stores \\u0000 and lone surrogates as U+FFFD, the rest exactly, and applies the delivery", async () => {
    // The escapes are written into the text by hand, as a sender's JSON encoder would write them.
    const body = JSON.stringify(
      customerPayload(990_001, "2026-12-01T00:00:00Z", { tags: "TAGS", note: "NOTE" }),
    )
      .replace('"TAGS"', '"vip\\u0000x, \\ud800y, \\ud83d\\ude00, back\\\\u0000slash"')
      .replace('"NOTE"', '"n\\u0000te"');
    expect(body).toContain('"note":"n\\u0000te"');
    const first = await post(body, "unstorable-1");
    expect(first.status).toBe(200);
    // A redelivery of the same id is recognised, not stored twice.
    expect((await post(body, "unstorable-1")).status).toBe(200);

    // The app's own rows. PGlite's files open only while the app is stopped: it is stopped to
    // look, and started again while the delivery waits to be applied.
    const look = async <T>(query: (prisma: PrismaClient) => Promise<T>): Promise<T> => {
      if (!target.databaseUrl) await stopApp(demo.app);
      const db = await createDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
      try {
        return await query(db.prisma);
      } finally {
        await db.close();
      }
    };
    const delivery = (prisma: PrismaClient) =>
      prisma.webhookDelivery.findUnique({
        where: { id: "unstorable-1" },
        select: { status: true, payload: true },
      });
    let row = await look(delivery);
    for (let attempt = 0; row?.status !== "processed" && attempt < 20; attempt++) {
      if (!target.databaseUrl) await demo.restartApp("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      row = await look(delivery);
    }
    expect(row).toEqual({
      status: "processed",
      payload: {
        ...customerPayload(990_001, "2026-12-01T00:00:00Z"),
        tags: "vip\ufffdx, \ufffdy, 😀, back\\u0000slash",
        note: "n\ufffdte",
      },
    });
    const customer = await look((prisma) =>
      prisma.customer.findUnique({
        where: { shop_id: { shop: SHOP, id: 990_001n } },
        select: { tags: true, email: true },
      }),
    );
    expect(customer).toEqual({
      tags: ["vip\ufffdx", "\ufffdy", "😀", "back\\u0000slash"],
      email: "c990001@example.com",
    });
  });
});
