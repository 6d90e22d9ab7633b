import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { renderCustomerPage } from "./admin-host/customer-page";
import { renderAdminPage } from "./admin-host/page";
import type { CustomerRecord } from "./generator/types";

// What Shopify admin does for an embedded app, offline: a page at
// /store/<handle>/apps/<apiKey>/<path> that frames the app with a fresh `id_token`, answers the
// App Bridge stand-in's token requests, and shows the app's nav menu and title.
export interface AdminHostContext {
  apiKey: string;
  appUrl: string;
  emulatorUrl: string;
  issueSessionToken(shop: string): string;
  shops: string[];
  /** The shop's customer with this legacy id, as the admin's customer page shows it. */
  customer(shop: string, legacyId: number): CustomerRecord | undefined;
}

const appBridgeSource = readFileSync(new URL("./admin-host/app-bridge.js", import.meta.url), "utf8");

export async function handleAdminHost(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AdminHostContext,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", ctx.emulatorUrl);
  if (req.method === "GET" && url.pathname === "/app-bridge.js") {
    res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" });
    res.end(appBridgeSource);
    return true;
  }
  if (req.method === "GET" && url.pathname === "/") {
    res.writeHead(302, { Location: adminAppPath(ctx.shops[0] ?? "", ctx.apiKey) });
    res.end();
    return true;
  }
  const match = /^\/store\/([a-z0-9][a-z0-9-]*)\/(apps\/([^/]+)(\/.*)?|session-token|oauth\/install|customers\/(\d{1,16}))$/.exec(
    url.pathname,
  );
  if (!match) return false;
  const shop = `${match[1]}.myshopify.com`;
  if (!ctx.shops.includes(shop)) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end(`No store ${shop} in this emulator`);
    return true;
  }
  if (match[2] === "session-token") {
    // Only the admin page itself may ask (same origin), as only Shopify admin can mint tokens.
    const fromAdmin = req.headers["sec-fetch-site"] === "same-origin" || req.headers.origin === ctx.emulatorUrl;
    if (req.method !== "POST" || !fromAdmin) {
      res.writeHead(403, { "Content-Type": "text/plain" });
      res.end("session tokens are only issued to the admin page");
      return true;
    }
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify({ token: ctx.issueSessionToken(shop) }));
    return true;
  }
  if (match[2] === "oauth/install") {
    // Where the app's login page sends a merchant (managed installation): the app, opened in the admin.
    if (req.method !== "GET" || url.searchParams.get("client_id") !== ctx.apiKey) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("No app with this client_id");
      return true;
    }
    res.writeHead(302, { Location: adminAppPath(shop, ctx.apiKey) });
    res.end();
    return true;
  }
  if (match[5] !== undefined) {
    const customer = req.method === "GET" ? ctx.customer(shop, Number(match[5])) : undefined;
    if (!customer) {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("No such customer in this store");
      return true;
    }
    const appPath = adminAppPath(shop, ctx.apiKey);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    res.end(renderCustomerPage({ shop, appPath, consentPath: adminAppPath(shop, ctx.apiKey, "/app/storefront/consent"), customer }));
    return true;
  }
  if (match[3] !== ctx.apiKey) {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("No such app installed on this store");
    return true;
  }
  const appPath = match[4] ?? "/";
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(
    renderAdminPage({
      shop,
      storeHandle: match[1] ?? "",
      apiKey: ctx.apiKey,
      appSrc: frameUrl(ctx, shop, appPath, url.searchParams),
      appOrigin: new URL(ctx.appUrl).origin,
    }),
  );
  return true;
}

export function adminAppPath(shop: string, apiKey: string, appPath = ""): string {
  return `/store/${shop.replace(/\.myshopify\.com$/, "")}/apps/${apiKey}${appPath}`;
}

/** The URL Shopify admin puts in the iframe: the app URL with shop, host, embedded and a fresh id_token. */
function frameUrl(ctx: AdminHostContext, shop: string, appPath: string, extra: URLSearchParams): string {
  const target = new URL(appPath, ctx.appUrl);
  extra.forEach((value, key) => target.searchParams.set(key, value));
  const host = Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
  target.searchParams.set("embedded", "1");
  target.searchParams.set("host", host);
  target.searchParams.set("id_token", ctx.issueSessionToken(shop));
  target.searchParams.set("locale", "en");
  target.searchParams.set("shop", shop);
  target.searchParams.set("timestamp", String(Math.floor(Date.now() / 1000)));
  return target.href;
}
