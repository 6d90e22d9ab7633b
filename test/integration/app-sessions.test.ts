import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "~/db.server";
import { fetchWithSessionToken } from "../../scripts/demo/admin-request";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { syncStatus, waitForSync } from "../../scripts/demo/wait-for-sync";
import { databaseModes, type DatabaseTarget } from "./helpers/db";

// The built app, installed in the emulated store: the Admin token it got by token exchange is in
// the Session row only sealed, and the app still authenticates admin requests with it
// (authenticate.admin) and reads the store in background jobs (unauthenticated.admin) without
// asking Shopify for another. A row stored before tokens were sealed keeps working and is sealed.

const SHOP = "sealed-app-store.myshopify.com";

describe.each(databaseModes)("Shopify admin tokens at rest in the running app ($name)", (mode) => {
  let demo: Demo;
  let database: DatabaseTarget;
  let dataDir: string;
  let appLog = "";

  beforeAll(async () => {
    database = await mode.target();
    dataDir = database.dataDir ?? mkdtempSync(join(tmpdir(), "app-sessions-"));
    demo = await startDemo({
      apiKey: "sessions-key",
      apiSecret: "sessions-secret",
      shop: SHOP,
      customers: 30,
      seed: 4,
      dataDir,
      databaseUrl: database.databaseUrl,
      install: true,
      log: (line) => {
        appLog += `${line}\n`;
      },
    });
  });

  afterAll(async () => {
    await demo?.stop();
    await database?.cleanup();
    if (!database?.dataDir && dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // Each time the app has no usable session it asks Shopify for a token and logs this line.
  const tokenRequests = () => appLog.split("\n").filter((l) => l.includes("Requesting offline access token")).length;

  /** The stored offline session's tokens, read while the app is stopped. */
  async function withStoppedApp(work: (row: { accessToken: string; refreshToken: string | null }, db: Awaited<ReturnType<typeof createDatabase>>) => Promise<void>) {
    await demo.restartApp("SIGTERM", async () => {
      const db = await createDatabase({ dataDir, databaseUrl: database.databaseUrl });
      try {
        const row = await db.prisma.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
        await work(row, db);
      } finally {
        await db.close();
      }
    });
  }

  const adminRequest = () => fetchWithSessionToken(`${demo.appUrl}/app/sync-status`, demo.emulator, SHOP);

  async function resyncAndWait(): Promise<string> {
    const before = (await syncStatus(demo.appUrl, demo.emulator, SHOP)).backfill?.id;
    const response = await fetchWithSessionToken(`${demo.appUrl}/app/settings?_data=routes%2Fapp.settings`, demo.emulator, SHOP, {
      method: "POST",
      body: new URLSearchParams({ intent: "resync" }),
    });
    expect(response.status).toBe(200);
    await expect
      .poll(async () => (await syncStatus(demo.appUrl, demo.emulator, SHOP)).backfill?.id, { timeout: 30_000 })
      .not.toBe(before);
    const synced = await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 });
    return synced.backfill?.status ?? "missing";
  }

  it("keeps the token sealed in the Session row, and uses it for admin requests and background reads", async () => {
    const token = demo.emulator.accessTokenFor(SHOP);
    expect(token).toMatch(/^shpat_/);
    // unauthenticated.admin: the install's backfill read the whole store with the stored token
    expect((await waitForSync(demo.appUrl, demo.emulator, SHOP, { timeoutMs: 60_000 })).backfill?.status).toBe("completed");
    const granted = tokenRequests();
    expect(granted).toBeGreaterThan(0);
    // authenticate.admin: the stored session opens, so no new token is asked for
    expect((await adminRequest()).status).toBe(200);
    expect(tokenRequests()).toBe(granted);

    await withStoppedApp(async (row, db) => {
      expect(row.accessToken).toMatch(/^v1:/);
      expect(row.accessToken).not.toContain(token ?? "shpat_");
      expect(JSON.stringify(row)).not.toContain(token ?? "shpat_");
      // as a row stored before tokens were sealed
      await db.prisma.session.update({ where: { id: `offline_${SHOP}` }, data: { accessToken: token ?? "" } });
    });
    appLog = "";
    expect((await adminRequest()).status).toBe(200);
    expect(await resyncAndWait()).toBe("completed");
    expect(tokenRequests()).toBe(0);

    await withStoppedApp(async (row) => {
      expect(row.accessToken).toMatch(/^v1:/);
      expect(row.accessToken).not.toContain(token ?? "shpat_");
    });
    expect((await adminRequest()).status).toBe(200);
    expect(await resyncAndWait()).toBe("completed");
    expect(tokenRequests()).toBe(0);
  }, 240_000);
});
