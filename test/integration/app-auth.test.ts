import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo, type Demo } from "../../scripts/demo/start-demo";
import { DESKTOP_USER_AGENT } from "../support/browser";
import { databaseModes, type DatabaseTarget } from "./helpers/db";

// The app runs as its own process, built, against the emulator — as in the demo.
const SHOP = "auth-store.myshopify.com";
const SECRET = "auth-test-secret";
const BROWSER = { "User-Agent": DESKTOP_USER_AGENT };
let demo: Demo;
let database: DatabaseTarget;

function base64url(value: string | Buffer) {
  return Buffer.from(value).toString("base64url");
}

function jwt(claims: Record<string, unknown>, secret: string) {
  const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: `https://${SHOP}/admin`,
    dest: `https://${SHOP}`,
    aud: "auth-key",
    sub: "42",
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: "jti-1",
    sid: "sid-1",
    ...overrides,
  };
}

describe.each(databaseModes)("the app on $name", (mode) => {
  beforeAll(async () => {
    database = await mode.target();
    demo = await startDemo({
      apiKey: "auth-key",
      apiSecret: SECRET,
      shop: SHOP,
      customers: 50,
      seed: 3,
      dataDir: database.dataDir ?? "data/unused",
      databaseUrl: database.databaseUrl,
    });
  });

  afterAll(async () => {
    await demo?.stop();
    await database?.cleanup();
  });

  const dataRequest = (token: string) =>
    fetch(`${demo.appUrl}/app/settings.data`, { headers: { ...BROWSER, Authorization: `Bearer ${token}` } });

  describe("admin requests", () => {
    it("accepts a session token from Shopify admin", async () => {
      const response = await dataRequest(demo.emulator.issueSessionToken(SHOP));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("2026-10");
    });

    it("refuses a token signed with another secret", async () => {
      const response = await dataRequest(jwt(claims(), "not-the-app-secret"));
      expect(response.status).toBe(401);
    });

    it("refuses an expired token", async () => {
      const now = Math.floor(Date.now() / 1000);
      const response = await dataRequest(
        jwt(claims({ exp: now - 120, iat: now - 180, nbf: now - 180 }), SECRET),
      );
      expect(response.status).toBe(401);
    });

    it("refuses a token for another app", async () => {
      const response = await dataRequest(jwt(claims({ aud: "someone-elses-app" }), SECRET));
      expect(response.status).toBe(401);
    });

    it("sends a document request with a forged id_token to the bounce page, not the app", async () => {
      const params = new URLSearchParams({
        embedded: "1",
        shop: SHOP,
        host: base64url(`admin.shopify.com/store/auth-store`),
        id_token: jwt(claims(), "forged"),
      });
      const response = await fetch(`${demo.appUrl}/app?${params}`, { redirect: "manual", headers: BROWSER });
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toContain("Customers in Shopify");
    });
  });

  describe("webhooks", () => {
    const body = JSON.stringify({
      id: 1,
      previous: [],
      current: ["read_customers"],
      updated_at: "2026-11-23T00:00:00Z",
    });
    const headers = (hmac: string, id = "wh-1") => ({
      "Content-Type": "application/json",
      "X-Shopify-Topic": "app/scopes_update",
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": id,
      "X-Shopify-Hmac-Sha256": hmac,
    });
    const post = (init: RequestInit) =>
      fetch(`${demo.appUrl}/webhooks/app/scopes_update`, { method: "POST", ...init });

    it("answers 401 to a wrong HMAC", async () => {
      const wrong = createHmac("sha256", "other-secret").update(body).digest("base64");
      expect((await post({ headers: headers(wrong), body })).status).toBe(401);
    });

    it("answers 400 when Shopify's headers are missing", async () => {
      expect((await post({ headers: { "Content-Type": "application/json" }, body })).status).toBe(400);
    });

    it("accepts a delivery signed like Shopify, and the same delivery again", async () => {
      const first = await demo.emulator.sendWebhook({
        shop: SHOP,
        topic: "app/scopes_update",
        payload: JSON.parse(body),
        webhookId: "dup-1",
      });
      const again = await demo.emulator.sendWebhook({
        shop: SHOP,
        topic: "app/scopes_update",
        payload: JSON.parse(body),
        webhookId: "dup-1",
      });
      expect([first.status, again.status]).toEqual([200, 200]);
    });

    it("answers compliance topics", async () => {
      for (const topic of ["customers/data_request", "customers/redact", "shop/redact"]) {
        const result = await demo.emulator.sendWebhook({ shop: SHOP, topic, payload: { shop_domain: SHOP } });
        expect(result.status, topic).toBe(200);
      }
    });
  });
});
