import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SECRET, SHOP, startTestEmulator } from "./helpers";
import { proxySignature, type Emulator } from "./index";

// The storefront's app proxy: /s/<shop>/apps/holiday/<rest> reaches <appUrl>/proxy/<rest> with
// Shopify's parameters, signed as Shopify documents it (checked here by a verifier written
// independently of the emulator's), the method, body and headers Shopify forwards, and the app's
// answer goes back to the shopper (Liquid rendered in the theme's layout).

interface Seen {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}
const seen: Seen[] = [];
const app = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://app");
    seen.push({ method: req.method ?? "", url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    if (url.pathname === "/proxy/redirect") {
      res.writeHead(303, { Location: "/apps/holiday/done?x=1", "Set-Cookie": "app=secret" });
      res.end();
    } else if (url.pathname === "/proxy/page") {
      res.writeHead(201, { "Content-Type": "application/liquid" });
      res.end("<h1 class=proxied>Thanks, {{ customer.first_name | default: 'friend' }} from {{ shop.name }}</h1>");
    } else if (url.pathname === "/proxy/json") {
      res.writeHead(422, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ ok: false, fieldErrors: { email: "invalid" } }));
    } else {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`echo ${url.pathname}`);
    }
  });
});

const NOW = new Date("2026-12-01T10:00:00Z");
let emulator: Emulator;
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  const address = app.address();
  const port = typeof address === "object" && address ? (address satisfies AddressInfo).port : 0;
  emulator = await startTestEmulator({
    appUrl: `http://127.0.0.1:${port}`,
    now: () => NOW,
    storefront: { extensionDir: new URL("./storefront/fixtures/holiday-fixture", import.meta.url).pathname },
  });
  base = emulator.storefrontUrl(SHOP);
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => app.close(resolve));
});

/** The app's side, from Shopify's documentation alone. */
function verify(url: URL, secret: string): boolean {
  const byKey: Record<string, string[]> = {};
  url.searchParams.forEach((value, key) => {
    if (key !== "signature") (byKey[key] ??= []).push(value);
  });
  const message = Object.keys(byKey)
    .map((key) => `${key}=${(byKey[key] ?? []).join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex") === url.searchParams.get("signature");
}
const last = () => {
  const s = seen.at(-1);
  if (!s) throw new Error("the app saw nothing");
  return s;
};

describe("app proxy signature", () => {
  it("matches Shopify's published example", () => {
    const params = new URLSearchParams("extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555");
    expect(proxySignature(params, "hush")).toBe("4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
    params.append("signature", "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
    expect(verify(new URL(`http://x/?${params.toString()}`), "hush")).toBe(true);
  });
});

describe("the storefront's app proxy", () => {
  it("forwards an anonymous GET with the shopper's query, Shopify's parameters and a valid signature", async () => {
    const res = await fetch(`${base}apps/holiday/echo/deep?extra=1&extra=2&q=a%20b`, { headers: { "User-Agent": "ShopperBrowser/1.0", Accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("echo /proxy/echo/deep");
    const s = last();
    expect(s.method).toBe("GET");
    expect(s.url.pathname).toBe("/proxy/echo/deep");
    expect(s.url.searchParams.getAll("extra")).toEqual(["1", "2"]);
    expect(Object.fromEntries([...s.url.searchParams].filter(([k]) => k !== "extra" && k !== "signature"))).toEqual({
      q: "a b",
      shop: SHOP,
      logged_in_customer_id: "",
      path_prefix: "/apps/holiday",
      timestamp: String(NOW.getTime() / 1000),
    });
    expect(verify(s.url, API_SECRET)).toBe(true);
    expect(verify(s.url, "another-secret")).toBe(false);
    expect(s.headers["user-agent"]).toBe("ShopperBrowser/1.0");
    expect(s.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("forwards a logged-in shopper's POST: method, body, content type, customer id; never their cookies", async () => {
    const store = emulator.store(SHOP);
    const legacyId = store.customerLegacyId(3);
    const login = await fetch(`${base}account/login?customer_id=${legacyId}`, { redirect: "manual" });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe(`/s/${SHOP}/`);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toBe(`emulator_customer=${legacyId}`);

    const body = "email=a%40b.example&email_consent=yes&website=";
    const res = await fetch(`${base}fr/apps/holiday/signup`, {
      method: "POST",
      headers: { Cookie: `${cookie}; other=1`, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body,
    });
    expect(res.status).toBe(200);
    const s = last();
    expect(s.method).toBe("POST");
    expect(s.url.pathname).toBe("/proxy/signup");
    expect(s.body).toBe(body);
    expect(s.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(s.headers.accept).toBe("application/json");
    expect(s.headers.cookie).toBeUndefined();
    expect(s.url.searchParams.get("logged_in_customer_id")).toBe(String(legacyId));
    expect(verify(s.url, API_SECRET)).toBe(true);

    const out = await fetch(`${base}account/logout`, { redirect: "manual", headers: { Cookie: cookie } });
    expect(out.headers.get("set-cookie")).toMatch(/^emulator_customer=; Path=\/s\/test-shop\.myshopify\.com\/;.*Max-Age=0/);
  });

  it("returns the app's status, content type and Location (on the storefront), without its cookies", async () => {
    const redirect = await fetch(`${base}apps/holiday/redirect`, { redirect: "manual" });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("location")).toBe(`/s/${SHOP}/apps/holiday/done?x=1`);
    expect(redirect.headers.get("set-cookie")).toBeNull();
    const json = await fetch(`${base}apps/holiday/json`, { method: "POST", body: "email=x" });
    expect(json.status).toBe(422);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(await json.json()).toEqual({ ok: false, fieldErrors: { email: "invalid" } });
  });

  it("renders an application/liquid answer inside the theme's layout, with the shopper's objects", async () => {
    const store = emulator.store(SHOP);
    const login = await fetch(`${base}account/login?customer_id=${store.customerLegacyId(5)}`, { redirect: "manual" });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const res = await fetch(`${base}apps/holiday/page`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<h1 class=proxied>Thanks, ${store.customer(5).firstName} from Test Shop</h1>`);
    expect(html).toContain('<header class="header">');
    const anonymous = await (await fetch(`${base}apps/holiday/page`)).text();
    expect(anonymous).toContain("Thanks, friend from Test Shop");
  });

  it("answers 502 when the app is down", async () => {
    const down = await startTestEmulator({ appUrl: "http://127.0.0.1:9" });
    try {
      const res = await fetch(`${down.storefrontUrl(SHOP)}apps/holiday/signup`);
      expect(res.status).toBe(502);
    } finally {
      await down.close();
    }
  });
});
