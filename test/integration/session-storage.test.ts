import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSecretBox } from "~/messaging/channels/secret-box.server";
import { sealedSessionStorage } from "~/shopify-sessions.server";
import { databaseModes, type TestDatabase } from "./helpers/db";

// The app's session storage on a real database: what lands in the Session row, and what comes back.

const SHOP = "sealed-store.myshopify.com";
const OFFLINE_TOKEN = "shpat_0123456789abcdef0123456789abcdef";

describe.each(databaseModes)("sealed Shopify sessions ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const key = randomBytes(32);
  const warnings: Array<{ message: string; shop: string; reason: string }> = [];
  const storage = (box = createSecretBox(key)) =>
    sealedSessionStorage(new PrismaSessionStorage(prisma), box, {
      warn: (message, fields) => warnings.push({ message, ...fields }),
    });
  const row = (id: string) => prisma.session.findUniqueOrThrow({ where: { id } });

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
  });
  afterAll(async () => {
    await db.close();
  });

  it("stores no token in clear and loads the session as it was", async () => {
    const offline = new Session({
      id: `offline_${SHOP}`,
      shop: SHOP,
      state: "",
      isOnline: false,
      scope: "read_customers,read_orders",
      accessToken: OFFLINE_TOKEN,
      refreshToken: "shprt_refresh-secret",
      refreshTokenExpires: new Date("2030-01-01T00:00:00.000Z"),
    });
    await storage().storeSession(offline);
    const stored = await row(offline.id);
    const text = JSON.stringify(stored, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    expect(text).not.toContain(OFFLINE_TOKEN);
    expect(text).not.toContain("shprt_refresh-secret");
    expect(stored.accessToken).toMatch(/^v1:/);
    expect(stored.refreshToken).toMatch(/^v1:/);
    expect(stored.scope).toBe("read_customers,read_orders");

    const loaded = await storage().loadSession(offline.id);
    expect(loaded?.equals(offline)).toBe(true);
    expect(loaded?.accessToken).toBe(OFFLINE_TOKEN);
    expect(loaded?.refreshToken).toBe("shprt_refresh-secret");
    expect((await storage().findSessionsByShop(SHOP)).map((s) => s.accessToken)).toEqual([OFFLINE_TOKEN]);
    // another key cannot open it: no token comes back, and the library will ask for a new one
    expect(await storage(createSecretBox(randomBytes(32))).loadSession(offline.id)).toBeUndefined();
    expect(warnings.at(-1)).toMatchObject({ shop: SHOP });
    expect(JSON.stringify(warnings)).not.toContain(OFFLINE_TOKEN);
  });

  it("reads a row written before tokens were sealed, and seals it at once", async () => {
    const id = "offline_legacy-store.myshopify.com";
    await prisma.session.create({
      data: { id, shop: "legacy-store.myshopify.com", state: "", isOnline: false, scope: "read_customers", accessToken: "shpat_legacy" },
    });
    const loaded = await storage().loadSession(id);
    expect(loaded?.accessToken).toBe("shpat_legacy");
    expect(loaded?.isActive("read_customers")).toBe(true);
    const after = await row(id);
    expect(after.accessToken).toMatch(/^v1:/);
    expect(after.accessToken).not.toContain("shpat_legacy");
    expect((await storage().loadSession(id))?.accessToken).toBe("shpat_legacy");
  });

  it("a sealed token moved to another shop's row does not open there", async () => {
    const victim = new Session({ id: "offline_victim.myshopify.com", shop: "victim.myshopify.com", state: "", isOnline: false, accessToken: "shpat_victim" });
    const other = new Session({ id: "offline_other.myshopify.com", shop: "other.myshopify.com", state: "", isOnline: false, accessToken: "shpat_other" });
    await storage().storeSession(victim);
    await storage().storeSession(other);
    const sealed = (await row(victim.id)).accessToken;
    await prisma.session.update({ where: { id: other.id }, data: { accessToken: sealed } });
    expect(await storage().loadSession(other.id)).toBeUndefined();
    expect((await storage().loadSession(victim.id))?.accessToken).toBe("shpat_victim");
  });

  it("re-seals with the current key a token sealed with a previous one", async () => {
    const oldKey = randomBytes(32);
    const old = createSecretBox(oldKey);
    const session = new Session({ id: "offline_rotated.myshopify.com", shop: "rotated.myshopify.com", state: "", isOnline: false, accessToken: "shpat_rotated" });
    await storage(old).storeSession(session);
    const rotated = createSecretBox(key, [oldKey]);
    expect(old.needsRotation((await row(session.id)).accessToken)).toBe(false);
    expect((await storage(rotated).loadSession(session.id))?.accessToken).toBe("shpat_rotated");
    expect(rotated.needsRotation((await row(session.id)).accessToken)).toBe(false);
    // the old key alone no longer opens it
    expect(await storage(old).loadSession(session.id)).toBeUndefined();
  });
});
