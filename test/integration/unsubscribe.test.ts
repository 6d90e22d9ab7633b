import { hkdfSync } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createUnsubscribeToken,
  type UnsubscribeClaims,
} from "~/messaging/unsubscribe/unsubscribe-token.server";
import { readUnsubscribeLink, recordUnsubscribe } from "~/messaging/unsubscribe/unsubscribe.server";
import { writeConsentBack } from "~/messaging/unsubscribe/consent-write-back.server";
import { jobIdFor, PermanentJobError } from "~/jobs/index.server";
import type { JobDefinition } from "~/jobs/definitions";
import type { AdminGraphql } from "~/sync/store-overview.server";
import type { Demo } from "../../scripts/demo/start-demo";
import { openAdminPage } from "../../scripts/demo/admin-request";
import { waitForSync } from "../../scripts/demo/wait-for-sync";
import { installedAdmin, SHOP, startTestEmulator } from "../emulator/helpers";
import type { CustomerRecord, Emulator, GeneratedStore } from "../emulator/index";
import { databaseModes, type DatabaseTarget, type TestDatabase } from "./helpers/db";
import { startRunningDemo, type RunningDemo } from "./helpers/running-demo";

const SECRET = "unsubscribe-test-secret-0123456789";
const token = (
  claims: Partial<UnsubscribeClaims> & Pick<UnsubscribeClaims, "customerId">,
  secret: string | Uint8Array = SECRET,
) => createUnsubscribeToken({ shop: SHOP, channel: "email", sendId: "send-1", ...claims }, secret);
/** A single-character change inside the signature. */
const forge = (t: string) => {
  const at = t.length - 10;
  return t.slice(0, at) + (t[at] === "A" ? "B" : "A") + t.slice(at + 1);
};

/** The first customer subscribed on the channel, by index in the generated store. */
function subscribed(store: GeneratedStore, channel: "email" | "sms", skip = 0): number {
  let seen = 0;
  for (let i = 0; i < store.customers.length; i++) {
    const c = store.customer(i);
    const state =
      channel === "email" ? c.emailMarketingConsent?.marketingState : c.smsMarketingConsent?.marketingState;
    if (state === "SUBSCRIBED" && seen++ === skip) return i;
  }
  throw new Error(`no customer subscribed to ${channel}`);
}
const gidOf = (c: CustomerRecord) => c.id;

describe.each(databaseModes)("unsubscribing ($name)", (mode) => {
  let emulator: Emulator;
  let admin: AdminGraphql;
  let db: TestDatabase;
  let queued: Array<{ id: string; payload: unknown }>;
  const queue = {
    enqueue: async <P>(def: JobDefinition<P>, payload: P) => {
      queued.push({ id: jobIdFor(def, payload), payload });
      return { id: jobIdFor(def, payload), enqueued: true };
    },
  };
  const store = () => emulator.store(SHOP);
  const customer = (i: number) => store().customer(i);

  beforeAll(async () => {
    emulator = await startTestEmulator();
    admin = await installedAdmin(emulator, SHOP);
    db = await mode.open();
    const at = new Date("2026-01-01T00:00:00Z");
    await db.prisma.shop.create({ data: { domain: SHOP, scopes: "", name: "Test Shop" } });
    await db.prisma.customer.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        shop: SHOP,
        id: BigInt(store().customerLegacyId(i)),
        emailMarketingState: customer(i).emailMarketingConsent?.marketingState ?? null,
        smsMarketingState: customer(i).smsMarketingConsent?.marketingState ?? null,
        shopifyCreatedAt: at,
        shopifyUpdatedAt: at,
      })),
    });
  });
  afterAll(async () => {
    await db?.close();
    await emulator?.close();
  });
  beforeEach(() => {
    queued = [];
  });

  it("accepts only an intact token for a known shop and customer, and reads nothing else", async () => {
    const i = subscribed(store(), "email");
    const good = token({ customerId: gidOf(customer(i)) });
    expect(await readUnsubscribeLink(db.prisma, good, SECRET)).toMatchObject({
      ok: true,
      installed: true,
      link: {
        shop: SHOP,
        shopName: "Test Shop",
        channel: "email",
        unsubscribed: false,
        customerId: BigInt(store().customerLegacyId(i)),
      },
    });
    expect(await readUnsubscribeLink(db.prisma, forge(good), SECRET)).toEqual({
      ok: false,
      reason: "BAD_SIGNATURE",
    });
    expect(await readUnsubscribeLink(db.prisma, good, "another-secret-0123456789")).toEqual({
      ok: false,
      reason: "BAD_SIGNATURE",
    });
    expect(
      await readUnsubscribeLink(
        db.prisma,
        token({ customerId: gidOf(customer(i)), shop: "stranger.myshopify.com" }),
        SECRET,
      ),
    ).toEqual({ ok: false, reason: "UNKNOWN_SHOP" });
    expect(
      await readUnsubscribeLink(db.prisma, token({ customerId: "gid://shopify/Customer/999999999" }), SECRET),
    ).toEqual({ ok: false, reason: "UNKNOWN_CUSTOMER" });
    expect(
      await readUnsubscribeLink(db.prisma, token({ customerId: "gid://shopify/Order/1" }), SECRET),
    ).toEqual({ ok: false, reason: "BAD_CUSTOMER_ID" });
    expect(await db.prisma.suppression.count()).toBe(0);
  });

  it("records a suppression and the local consent once, and queues one write-back", async () => {
    const i = subscribed(store(), "email");
    const id = BigInt(store().customerLegacyId(i));
    const read = await readUnsubscribeLink(db.prisma, token({ customerId: String(id) }), SECRET);
    if (!read.ok) throw new Error(read.reason);
    const first = await recordUnsubscribe(
      { prisma: db.prisma, queue, now: () => new Date("2026-11-28T10:00:00Z") },
      read.link,
      true,
    );
    const again = await recordUnsubscribe(
      { prisma: db.prisma, queue, now: () => new Date("2026-11-28T11:00:00Z") },
      read.link,
      true,
    );
    expect(again.at).toEqual(first.at);
    expect(await db.prisma.suppression.findMany({ where: { shop: SHOP } })).toEqual([
      {
        shop: SHOP,
        customerId: id,
        channel: "email",
        reason: "unsubscribed",
        createdAt: new Date("2026-11-28T10:00:00Z"),
      },
    ]);
    expect(await db.prisma.customer.findUnique({ where: { shop_id: { shop: SHOP, id } } })).toMatchObject({
      emailMarketingState: "UNSUBSCRIBED",
      emailConsentUpdatedAt: new Date("2026-11-28T10:00:00Z"),
    });
    expect(queued.map((q) => q.id)).toEqual([queued[0]?.id, queued[0]?.id]);
    expect(queued[0]?.payload).toEqual({
      shop: SHOP,
      customerId: String(id),
      channel: "email",
      at: "2026-11-28T10:00:00.000Z",
    });
    expect(await readUnsubscribeLink(db.prisma, token({ customerId: String(id) }), SECRET)).toMatchObject({
      ok: true,
      link: { unsubscribed: true },
    });

    // An uninstalled shop: recorded here, nothing to write back with.
    const j = subscribed(store(), "email", 1);
    const other = await readUnsubscribeLink(db.prisma, token({ customerId: gidOf(customer(j)) }), SECRET);
    if (!other.ok) throw new Error(other.reason);
    expect(await recordUnsubscribe({ prisma: db.prisma, queue }, other.link, false)).toMatchObject({
      queued: false,
    });
    expect(queued).toHaveLength(2);
  });

  it("writes the unsubscribe back to Shopify for email and SMS; a refusal is permanent", async () => {
    const log: string[] = [];
    const deps = { admin, log: (line: string) => log.push(line) };
    const i = subscribed(store(), "email", 2);
    const at = "2026-11-28T10:00:00.000Z";
    const customerId = String(store().customerLegacyId(i));
    expect(await writeConsentBack(deps, { shop: SHOP, customerId, channel: "email", at })).toBe(
      "UNSUBSCRIBED",
    );
    expect(customer(i).emailMarketingConsent).toMatchObject({
      marketingState: "UNSUBSCRIBED",
      consentUpdatedAt: at,
    });

    const s = subscribed(store(), "sms");
    const smsId = String(store().customerLegacyId(s));
    expect(await writeConsentBack(deps, { shop: SHOP, customerId: smsId, channel: "sms", at })).toBe(
      "UNSUBSCRIBED",
    );
    expect(customer(s).smsMarketingConsent).toMatchObject({ marketingState: "UNSUBSCRIBED" });

    await expect(
      writeConsentBack(deps, { shop: SHOP, customerId: "999999999", channel: "email", at }),
    ).rejects.toThrow(PermanentJobError);
    expect(log.join("\n")).not.toMatch(/@/);
  });
});

// The link as a customer and a mail provider use it, through the running app and the emulator.
describe("the unsubscribe link in the running app", () => {
  const DEMO_SHOP = "unsubscribe-store.myshopify.com";
  const DEMO_SECRET = "unsubscribe-demo-secret";
  // What app/secrets.server.ts derives from the app secret when UNSUBSCRIBE_SECRET is unset.
  const linkSecret = Buffer.from(
    hkdfSync("sha256", DEMO_SECRET, "holiday-segments", "unsubscribe-links", 32),
  );
  let demo: Demo;
  let database: DatabaseTarget;
  let running: RunningDemo | undefined;
  const shopStore = () => demo.emulator.store(DEMO_SHOP);
  const link = (claims: Partial<UnsubscribeClaims> & Pick<UnsubscribeClaims, "customerId">) =>
    `${demo.appUrl}/unsubscribe/${createUnsubscribeToken({ shop: DEMO_SHOP, channel: "email", sendId: "bfcm-1", ...claims }, linkSecret)}`;
  const oneClick = (url: string, body = "List-Unsubscribe=One-Click") =>
    fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
  /** POSTs a chunked body that never ends; the status, or 0 when no answer came within 5 s. */
  const postEndless = (url: string) =>
    new Promise<number>((resolve) => {
      const request = httpRequest(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
      });
      const timer = setTimeout(() => {
        request.destroy();
        resolve(0);
      }, 5_000);
      request.on("response", (response) => {
        clearTimeout(timer);
        response.resume();
        request.destroy();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", () => undefined);
      request.write(`List-Unsubscribe=One-Click&pad=${"a".repeat(1024)}`);
    });
  const page = async (url: string) => {
    const response = await fetch(url);
    // React separates adjacent text with <!-- -->: gone, the page reads as a customer sees it.
    return { status: response.status, html: (await response.text()).replace(/<!-- -->/g, "") };
  };

  beforeAll(async () => {
    running = await startRunningDemo(
      {
        apiKey: "unsubscribe-key",
        apiSecret: DEMO_SECRET,
        shop: DEMO_SHOP,
        customers: 40,
        seed: 9,
        install: true,
      },
      "unsubscribe-",
    );
    ({ demo, database } = running);
    await waitForSync(demo.appUrl, demo.emulator, DEMO_SHOP, { timeoutMs: 120_000 });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("refuses forged and foreign links with a 400 page and changes nothing", async () => {
    const i = subscribed(shopStore(), "email");
    const good = link({ customerId: shopStore().customer(i).id });
    const forged = `${demo.appUrl}/unsubscribe/${forge(good.slice(good.lastIndexOf("/") + 1))}`;
    for (const url of [
      forged,
      link({ customerId: shopStore().customer(i).id, shop: "stranger.myshopify.com" }),
      link({ customerId: "gid://shopify/Customer/999999999" }),
    ]) {
      const shown = await page(url);
      expect(shown.status).toBe(400);
      expect(shown.html).toContain("This unsubscribe link does not work");
      expect((await oneClick(url)).status).toBe(400);
    }
    expect((await oneClick(good, "List-Unsubscribe=Yes")).status).toBe(400);
    expect(shopStore().customer(i).emailMarketingConsent?.marketingState).toBe("SUBSCRIBED");
    expect((await page(good)).html).toContain("Unsubscribe from");
  });

  it("one click unsubscribes: 200 at once, Shopify shows the customer unsubscribed, a repeat changes nothing", async () => {
    const i = subscribed(shopStore(), "email", 1);
    const customer = shopStore().customer(i);
    const url = link({ customerId: customer.id });

    const asked = await page(url);
    expect(asked.status).toBe(200);
    expect(asked.html).toMatch(/Unsubscribe from .+ marketing emails/);
    expect(asked.html).toMatch(/<button[^>]*type="submit"/);
    expect(asked.html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(asked.html).not.toContain(customer.email ?? "no email");

    const started = Date.now();
    const response = await oneClick(url);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await response.text()).replace(/<!-- -->/g, "")).toContain("You are unsubscribed");

    await expect
      .poll(() => shopStore().customer(i).emailMarketingConsent?.marketingState, { timeout: 30_000 })
      .toBe("UNSUBSCRIBED");
    const written = shopStore().customer(i).updatedAt;
    const done = await page(url);
    expect(done.html).toContain("You are unsubscribed");
    expect(done.html).not.toContain(customer.email ?? "no email");

    expect((await oneClick(url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(shopStore().customer(i).updatedAt).toBe(written);

    if (database.databaseUrl) {
      const { createDatabase } = await import("~/db.server");
      const app = await createDatabase({ databaseUrl: database.databaseUrl });
      try {
        const id = BigInt(customer.legacyResourceId);
        expect(
          await app.prisma.suppression.findMany({ where: { shop: DEMO_SHOP, customerId: id } }),
        ).toMatchObject([{ channel: "email", reason: "unsubscribed" }]);
      } finally {
        await app.close();
      }
    }
  });

  it("checks the link before reading the body, and reads at most a few KB of it", async () => {
    const i = subscribed(shopStore(), "email", 2);
    const good = link({ customerId: shopStore().customer(i).id });
    const forged = `${demo.appUrl}/unsubscribe/${forge(good.slice(good.lastIndexOf("/") + 1))}`;
    // A forged link with a body that never ends: answered at once, without waiting for the body.
    const started = Date.now();
    expect(await postEndless(forged)).toBe(400);
    expect(Date.now() - started).toBeLessThan(3_000);
    // An intact link with a body far past a one-click request: refused unread, nothing changes.
    const padded = `List-Unsubscribe=One-Click&pad=${"a".repeat(64 * 1024)}`;
    const response = await oneClick(good, padded);
    expect(response.status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(shopStore().customer(i).emailMarketingConsent?.marketingState).toBe("SUBSCRIBED");
    // A multipart one-click request (RFC 8058 allows it) still works.
    const multipart = new FormData();
    multipart.set("List-Unsubscribe", "One-Click");
    expect((await fetch(good, { method: "POST", body: multipart })).status).toBe(200);
    await expect
      .poll(() => shopStore().customer(i).emailMarketingConsent?.marketingState, { timeout: 30_000 })
      .toBe("UNSUBSCRIBED");
  });

  it("pages opened on their own refuse to be framed; the embedded app keeps Shopify's frame-ancestors", async () => {
    const i = subscribed(shopStore(), "email", 3);
    const good = link({ customerId: shopStore().customer(i).id });
    const forged = `${demo.appUrl}/unsubscribe/${forge(good.slice(good.lastIndexOf("/") + 1))}`;
    const alone = [
      await fetch(`${demo.appUrl}/`),
      await fetch(good),
      await fetch(forged),
      await oneClick(forged),
      await oneClick(good, "List-Unsubscribe=Yes"),
    ];
    for (const response of alone) {
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("content-security-policy")).toBe("frame-ancestors 'none';");
    }
    const embedded = await openAdminPage(demo.appUrl, demo.emulator, DEMO_SHOP);
    expect(embedded.status).toBe(200);
    expect(embedded.headers.get("x-frame-options")).toBeNull();
    const policy = embedded.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/^frame-ancestors /);
    for (const source of [`https://${DEMO_SHOP}`, "https://admin.shopify.com", new URL(demo.emulator.url).origin])
      expect(policy.split(/[\s;]+/)).toContain(source);
  });

  it("an SMS link unsubscribes from text messages", async () => {
    const s = subscribed(shopStore(), "sms");
    const url = link({ customerId: shopStore().customer(s).id, channel: "sms" });
    expect((await page(url)).html).toMatch(/marketing text messages/);
    expect((await oneClick(url)).status).toBe(200);
    await expect
      .poll(() => shopStore().customer(s).smsMarketingConsent?.marketingState, { timeout: 30_000 })
      .toBe("UNSUBSCRIBED");
  });
});
