import { cp, readdir, writeFile, appendFile } from "node:fs/promises";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, migrateDatabase, MigrationError } from "~/db.server";
import { readMigrations } from "~/db/migrate.server";
import { databaseModes, pgliteTarget, type DatabaseTarget, type TestDatabase } from "./helpers/db";

const migrationsDir = path.resolve("prisma/migrations");

describe.each(databaseModes)("database ($name)", (mode) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function open(): Promise<TestDatabase> {
    const db = await mode.open();
    cleanups.push(() => db.close());
    return db;
  }
  async function target(): Promise<DatabaseTarget> {
    const t = await mode.target();
    cleanups.push(() => t.cleanup());
    return t;
  }

  it("applies every migration and records it as Prisma does", async () => {
    const { prisma } = await open();
    const migrations = await readMigrations(migrationsDir);
    const rows = await prisma.$queryRaw<
      Array<{ migration_name: string; checksum: string; applied_steps_count: number }>
    >`
      SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`;
    expect(rows.map((row) => [row.migration_name, row.checksum, row.applied_steps_count])).toEqual(
      migrations.map((m) => [m.name, m.checksum, 1]),
    );
    await expect(prisma.shop.count()).resolves.toBe(0);
  });

  it("has autovacuum look after Customer once 1% of it changed, not 20%", async () => {
    // Index-only counts over Customer rescore webhook batches; pages updated since a vacuum read the heap.
    const { prisma } = await open();
    const rows = await prisma.$queryRaw<Array<{ options: string[] | null }>>`
      SELECT reloptions AS options FROM pg_class WHERE oid = '"Customer"'::regclass`;
    expect([...(rows[0]?.options ?? [])].sort()).toEqual([
      "autovacuum_vacuum_scale_factor=0.01",
      "autovacuum_vacuum_threshold=1000",
    ]);
  });

  it("applying again is a no-op", async () => {
    const t = await target();
    const first = await migrateDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrateDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
    expect(second.applied).toEqual([]);
  });

  it("lets concurrent migrators apply each migration exactly once", async () => {
    const t = await target();
    const results = await Promise.all(
      [1, 2, 3].map(() => migrateDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir })),
    );
    const names = (await readMigrations(migrationsDir)).map((m) => m.name);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(names);
    const db = await createDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
    cleanups.push(() => db.close());
    const count = await db.prisma.$queryRaw<
      Array<{ n: bigint }>
    >`SELECT count(*) AS n FROM "_prisma_migrations"`;
    expect(Number(count[0]?.n)).toBe(names.length);
  });

  it("refuses a migration modified after it was applied", async () => {
    const t = await target();
    const dir = await mkdtemp(path.join(tmpdir(), "holiday-migrations-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(migrationsDir, dir, { recursive: true });
    await migrateDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir, migrationsDir: dir });
    const [first] = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    if (!first) throw new Error("no migrations");
    await appendFile(path.join(dir, first, "migration.sql"), "\n-- edited\n");
    const attempt = migrateDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir, migrationsDir: dir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(`Migration ${first} was modified after it was applied`);
  });

  it("rolls back a failing migration and applies the next start's fix", async () => {
    const t = await target();
    const dir = await mkdtemp(path.join(tmpdir(), "holiday-migrations-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(migrationsDir, dir, { recursive: true });
    const broken = path.join(dir, "99990101000000_broken");
    await cp(path.join(dir, (await readMigrations(dir))[0]?.name ?? ""), broken, { recursive: true });
    await writeFile(
      path.join(broken, "migration.sql"),
      'CREATE TABLE "Half" (id int);\nSELECT * FROM "NoSuchTable";\n',
    );
    const options = { databaseUrl: t.databaseUrl, dataDir: t.dataDir, migrationsDir: dir };
    await expect(migrateDatabase(options)).rejects.toThrow(
      "Migration 99990101000000_broken failed and was rolled back",
    );
    await writeFile(path.join(broken, "migration.sql"), 'CREATE TABLE "Half" (id int);\n');
    await expect(migrateDatabase(options)).resolves.toEqual({ applied: ["99990101000000_broken"] });
  });

  it("stores, loads, finds and deletes Shopify sessions through PrismaSessionStorage", async () => {
    const { prisma } = await open();
    const storage = new PrismaSessionStorage(prisma);
    const offline = new Session({
      id: "offline_shop-a.myshopify.com",
      shop: "shop-a.myshopify.com",
      state: "state-1",
      isOnline: false,
      scope: "read_customers,read_orders",
      accessToken: "shpat_offline",
    });
    const online = new Session({
      id: "shop-a.myshopify.com_42",
      shop: "shop-a.myshopify.com",
      state: "state-2",
      isOnline: true,
      scope: "read_customers",
      expires: new Date("2030-01-02T03:04:05.678Z"),
      accessToken: "shpua_online",
      onlineAccessInfo: {
        expires_in: 86_400,
        associated_user_scope: "read_customers",
        associated_user: {
          id: 90_071_992_547,
          first_name: "Ada",
          last_name: "Lovelace",
          email: "ada@example.com",
          email_verified: true,
          account_owner: true,
          locale: "en",
          collaborator: false,
        },
      },
    });
    const other = new Session({
      id: "offline_shop-b.myshopify.com",
      shop: "shop-b.myshopify.com",
      state: "s",
      isOnline: false,
    });
    for (const session of [offline, online, other])
      await expect(storage.storeSession(session)).resolves.toBe(true);

    const loaded = await storage.loadSession(online.id);
    expect(loaded?.accessToken).toBe("shpua_online");
    expect(loaded?.expires?.toISOString()).toBe("2030-01-02T03:04:05.678Z");
    expect(loaded?.onlineAccessInfo?.associated_user.email).toBe("ada@example.com");
    expect(loaded?.onlineAccessInfo?.associated_user.id).toBe(90_071_992_547);
    expect(loaded?.isActive("read_customers")).toBe(true);
    expect((await storage.loadSession(offline.id))?.equals(offline)).toBe(true);

    const found = await storage.findSessionsByShop("shop-a.myshopify.com");
    expect(found.map((s) => s.id).sort()).toEqual([offline.id, online.id].sort());

    await storage.deleteSession(online.id);
    await expect(storage.loadSession(online.id)).resolves.toBeUndefined();
    await storage.deleteSessions([offline.id]);
    await expect(storage.findSessionsByShop("shop-a.myshopify.com")).resolves.toEqual([]);
    await expect(storage.findSessionsByShop("shop-b.myshopify.com")).resolves.toHaveLength(1);
  });

  it("round-trips times, JSON and unique violations the same way", async () => {
    const { prisma } = await open();
    const triggeredAt = new Date("2026-11-27T23:59:59.123Z");
    const payload = { id: 1, note: "ünïcode", nested: { list: [1, 2, 3], nil: null } };
    await prisma.webhookDelivery.create({
      data: {
        id: "wh-1",
        shop: "shop-a.myshopify.com",
        topic: "orders/create",
        apiVersion: "2026-10",
        triggeredAt,
        payload,
      },
    });
    const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: "wh-1" } });
    expect(row.triggeredAt?.toISOString()).toBe(triggeredAt.toISOString());
    expect(row.payload).toEqual(payload);
    expect(row.status).toBe("received");
    expect(Math.abs(row.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const byTime = await prisma.webhookDelivery.findMany({
      where: { shop: "shop-a.myshopify.com", triggeredAt: { gte: triggeredAt } },
    });
    expect(byTime).toHaveLength(1);
    await expect(
      prisma.webhookDelivery.create({
        data: {
          id: "wh-1",
          shop: "shop-a.myshopify.com",
          topic: "orders/create",
          apiVersion: "2026-10",
          payload: {},
        },
      }),
    ).rejects.toMatchObject({ code: "P2002" });
    await prisma.$transaction(async (tx) => {
      await tx.shop.create({ data: { domain: "shop-a.myshopify.com", scopes: "read_orders" } });
      await tx.webhookDelivery.update({
        where: { id: "wh-1" },
        data: { status: "processed", attempts: { increment: 1 } },
      });
    });
    await expect(prisma.webhookDelivery.findUnique({ where: { id: "wh-1" } })).resolves.toMatchObject({
      attempts: 1,
      status: "processed",
    });
  });
});

describe("PGlite files", () => {
  it("keep data across close and reopen", async () => {
    const t = await pgliteTarget();
    try {
      const first = await createDatabase({ dataDir: t.dataDir });
      await first.prisma.shop.create({
        data: { domain: "kept.myshopify.com", scopes: "read_orders", name: "Kept" },
      });
      await first.close();
      const second = await createDatabase({ dataDir: t.dataDir });
      try {
        await expect(
          second.prisma.shop.findUnique({ where: { domain: "kept.myshopify.com" } }),
        ).resolves.toMatchObject({ name: "Kept" });
        await expect(migrateDatabase({ dataDir: t.dataDir })).resolves.toEqual({ applied: [] });
      } finally {
        await second.close();
      }
    } finally {
      await t.cleanup();
    }
  });

  it("share one instance per directory while clients are open", async () => {
    const t = await pgliteTarget();
    try {
      const [a, b] = await Promise.all([
        createDatabase({ dataDir: t.dataDir }),
        createDatabase({ dataDir: t.dataDir }),
      ]);
      await a.prisma.shop.create({ data: { domain: "shared.myshopify.com", scopes: "" } });
      await a.close();
      await expect(b.prisma.shop.count()).resolves.toBe(1);
      await b.close();
    } finally {
      await t.cleanup();
    }
  });
});
