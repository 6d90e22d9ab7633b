import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import type { Emulator } from "./index";
import { signWebhookBody } from "./index";
import { signJwt } from "./auth/jwt";
import { API_KEY, API_SECRET, exchange, SHOP, startTestEmulator } from "./helpers";

let emulator: Emulator;
let clock = Date.parse("2026-11-20T12:00:00Z");
beforeAll(async () => {
  emulator = await startTestEmulator({ now: () => new Date(clock) });
});
afterAll(() => emulator.close());

describe("token exchange", () => {
  it("accepts a session token issued for the shop and returns an offline token", async () => {
    const res = await exchange(emulator, emulator.issueSessionToken(SHOP));
    expect(res.status).toBe(200);
    const body: { access_token: string; scope: string } = await res.json();
    expect(body.access_token).toMatch(/^shpat_/);
    expect(body.scope).toBe("read_customers,write_customers,read_orders,read_all_orders,read_products,write_marketing_events,write_app_proxy");
    expect(emulator.accessTokenFor(SHOP)).toBe(body.access_token);
  });

  it("refuses forged, expired and foreign tokens", async () => {
    const iat = Math.floor(clock / 1000);
    const claims = { iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY, sub: "1", exp: iat + 60, nbf: iat, iat, jti: "x", sid: "y" };
    const forged = signJwt(claims, "not-the-secret");
    const otherShop = signJwt({ ...claims, dest: "https://other.myshopify.com" }, API_SECRET);
    const otherApp = signJwt({ ...claims, aud: "other-app" }, API_SECRET);
    const expiring = emulator.issueSessionToken(SHOP, { expiresInSeconds: 5 });
    for (const token of [forged, otherShop, otherApp, "garbage"]) {
      const res = await exchange(emulator, token);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "invalid_subject_token" });
    }
    clock += 14_000; // within the 10 s leeway
    expect((await exchange(emulator, expiring)).status).toBe(200);
    clock += 2_000;
    expect((await exchange(emulator, expiring)).status).toBe(400);
  });
});

describe("webhook signature", () => {
  it("is the base64 HMAC-SHA256 of the raw body", () => {
    const body = JSON.stringify({ id: 1, note: "ünïcode" });
    expect(signWebhookBody(body, "s3cret")).toBe(createHmac("sha256", Buffer.from("s3cret")).update(Buffer.from(body, "utf8")).digest("base64"));
  });
});

describe("the admin's install link", () => {
  it("opens the app inside the admin for this app's client_id, and nothing for another", async () => {
    const handle = SHOP.replace(/\.myshopify\.com$/, "");
    const ours = await fetch(`${emulator.url}/store/${handle}/oauth/install?client_id=${API_KEY}`, { redirect: "manual" });
    expect(ours.status).toBe(302);
    expect(ours.headers.get("location")).toBe(`/store/${handle}/apps/${API_KEY}`);
    const theirs = await fetch(`${emulator.url}/store/${handle}/oauth/install?client_id=someone-else`, { redirect: "manual" });
    expect(theirs.status).toBe(404);
    const unknownShop = await fetch(`${emulator.url}/store/nope/oauth/install?client_id=${API_KEY}`, { redirect: "manual" });
    expect(unknownShop.status).toBe(404);
  });
});
