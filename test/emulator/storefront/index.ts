import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type { GeneratedStore } from "../generator/store";
import { renderBlocks, type BlockState, type RenderedBlocks } from "./blocks";
import { loadExtension, readAsset, type ThemeExtension } from "./extension";
import { cookieValue, CUSTOMER_COOKIE, customerCookie, readBody, redirect, send, sendAsset, sendHtml } from "./http";
import { rootUrl, type Locale, type PageRequest } from "./objects";
import { forwardToApp, type AppProxyConfig } from "./proxy";
import { renderPage, renderProxyLiquid, type PageContent } from "./theme";

// The shop's storefront at /s/<shop>/ (French at /s/<shop>/fr/): the theme's pages with the theme
// app extension's blocks, the extension's assets, a login by customer id (cookie), and the app
// proxy at /s/<shop>/<prefix>/<subpath>/….

export interface StorefrontOptions {
  /** the theme app extension; default extensions/holiday-storefront when it exists, else none */
  extensionDir?: string;
  /** default { prefix: "apps", subpath: "holiday", url: `${appUrl}/proxy` } */
  appProxy?: AppProxyConfig;
}

export interface StorefrontDeps extends StorefrontOptions {
  store(domain: string): GeneratedStore | undefined;
  apiSecret: string;
  appUrl: string;
  now(): Date;
  log(line: string): void;
}

export interface StorefrontApi {
  /** settings of block `block` (its file name without .liquid) saved over its schema's defaults; merged over earlier calls */
  setBlockSettings(shop: string, block: string, settings: Readonly<Record<string, unknown>>): void;
  /** turns an app embed on or off (on by default in the emulator) */
  setEmbedEnabled(shop: string, block: string, enabled: boolean): void;
  /** the extension rendered, undefined when none */
  readonly extensionDir: string | undefined;
  /** the path that logs this customer in and comes back to the home page */
  loginPath(shop: string, customerLegacyId: number | string): string;
}

const DEFAULT_EXTENSION = fileURLToPath(new URL("../../../extensions/holiday-storefront", import.meta.url));

export function createStorefront(deps: StorefrontDeps): { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>; api: StorefrontApi } {
  const extensionDir = deps.extensionDir ?? (existsSync(DEFAULT_EXTENSION) ? DEFAULT_EXTENSION : undefined);
  const proxy = deps.appProxy ?? { prefix: "apps", subpath: "holiday", url: `${deps.appUrl.replace(/\/$/, "")}/proxy` };
  const settings = new Map<string, Map<string, Record<string, unknown>>>();
  const embeds = new Map<string, Map<string, boolean>>();
  const known = (shop: string) => {
    if (!deps.store(shop)) throw new Error(`unknown shop ${shop}`);
  };
  const stateOf = (shop: string): BlockState => ({
    settings: (block) => settings.get(shop)?.get(block),
    embedEnabled: (block) => embeds.get(shop)?.get(block) ?? true,
  });

  const api: StorefrontApi = {
    setBlockSettings(shop, block, values) {
      known(shop);
      const forShop = settings.get(shop) ?? new Map<string, Record<string, unknown>>();
      settings.set(shop, forShop);
      forShop.set(block, { ...forShop.get(block), ...values });
    },
    setEmbedEnabled(shop, block, enabled) {
      known(shop);
      const forShop = embeds.get(shop) ?? new Map<string, boolean>();
      embeds.set(shop, forShop);
      forShop.set(block, enabled);
    },
    extensionDir,
    loginPath: (shop, id) => `/s/${shop}/account/login?customer_id=${encodeURIComponent(String(id))}`,
  };

  async function blocksFor(page: PageRequest, template: string, off: boolean): Promise<RenderedBlocks | undefined> {
    if (off || !extensionDir) return undefined;
    const extension: ThemeExtension = loadExtension(extensionDir);
    return renderBlocks(extension, page, stateOf(page.store.domain), template, deps.log);
  }

  async function page(req: IncomingMessage, res: ServerResponse, p: PageRequest, status: number, content: Omit<PageContent, "blocks">, template: string, off: boolean) {
    sendHtml(req, res, status, await renderPage(p, { ...content, blocks: await blocksFor(p, template, off) }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://storefront");
    const m = /^\/s\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m?.[1]) return false;
    const domain = decodeURIComponent(m[1]);
    const store = deps.store(domain);
    if (!store) {
      send(req, res, 404, { "Content-Type": "text/plain; charset=utf-8" }, `No store ${domain} in this emulator`);
      return true;
    }
    let rest = m[2] ?? "";
    if (rest === "" || rest === "/fr") {
      redirect(res, `/s/${domain}${rest}/${url.search}`);
      return true;
    }
    let locale: Locale = "en";
    if (rest.startsWith("/fr/")) {
      locale = "fr";
      rest = rest.slice(3);
    }
    const cookieId = cookieValue(req, CUSTOMER_COOKIE);
    const customerIndex = cookieId && /^\d+$/.test(cookieId) ? store.customerIndexOf(Number(cookieId)) : undefined;
    const host = String(req.headers.host ?? "127.0.0.1");
    const p: PageRequest = { store, locale, path: url.pathname, origin: `http://${host}`, host, customerIndex, pageType: "index", now: deps.now() };
    const off = url.searchParams.get("extension") === "off";
    const root = rootUrl(domain, locale);

    const asset = /^\/extensions\/([^/]+)\/assets\/([^/]+)$/.exec(rest);
    if (asset) {
      const extension = extensionDir ? loadExtension(extensionDir) : undefined;
      const found = extension && extension.handle === asset[1] ? readAsset(extension, decodeURIComponent(asset[2] ?? "")) : undefined;
      if (found) sendAsset(req, res, found);
      else send(req, res, 404, { "Content-Type": "text/plain; charset=utf-8" }, "Not Found");
      return true;
    }

    const proxyBase = `/${proxy.prefix}/${proxy.subpath}`;
    if (rest === proxyBase || rest.startsWith(`${proxyBase}/`)) {
      await proxied(req, res, p, rest.slice(proxyBase.length), url.searchParams, cookieId && customerIndex !== undefined ? cookieId : "", off);
      return true;
    }

    if (rest === "/account/login") {
      const wanted = url.searchParams.get("customer_id");
      if (wanted === null) {
        await page(req, res, { ...p, pageType: "customers/login" }, 200, { template: "login", title: "Log in", assigns: { suggested_id: store.customerCount > 0 ? store.customerLegacyId(0) : "" } }, "customers/login", off);
        return true;
      }
      const index = /^\d+$/.test(wanted) ? store.customerIndexOf(Number(wanted)) : undefined;
      if (index === undefined) {
        await page(req, res, { ...p, pageType: "customers/login" }, 404, { template: "login", title: "Log in", assigns: { login_error: `No customer ${wanted} in ${domain}` } }, "customers/login", off);
        return true;
      }
      const back = url.searchParams.get("return_to");
      redirect(res, back?.startsWith(`/s/${domain}/`) ? back : root, customerCookie(domain, String(store.customerLegacyId(index))));
      return true;
    }
    if (rest === "/account/logout") {
      redirect(res, root, customerCookie(domain, null));
      return true;
    }
    if (rest === "/account") {
      redirect(res, customerIndex === undefined ? `${root}account/login` : root);
      return true;
    }
    if (rest === "/" && (req.method === "GET" || req.method === "HEAD")) {
      await page(req, res, p, 200, { template: "index" }, "index", off);
      return true;
    }
    const product = /^\/products\/([\w-]+)$/.exec(rest);
    const found = product ? store.products.find((x) => x.handle === product[1] && x.status === "ACTIVE" && x.publishedAt !== null) : undefined;
    if (found) {
      const price = Math.min(...found.variants.map((v) => v._priceMinor));
      await page(req, res, { ...p, pageType: "product" }, 200, { template: "product", title: found.title, assigns: { product: { title: found.title, vendor: found.vendor, price } } }, "product", off);
      return true;
    }
    await page(req, res, { ...p, pageType: "404" }, 404, { template: "404", title: "404" }, "404", off);
    return true;
  }

  async function proxied(req: IncomingMessage, res: ServerResponse, p: PageRequest, rest: string, query: URLSearchParams, customerId: string, off: boolean) {
    const domain = p.store.domain;
    let answer;
    try {
      answer = await forwardToApp(proxy, {
        method: req.method ?? "GET",
        rest,
        query,
        body: await readBody(req),
        headers: req.headers,
        remoteAddress: (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""),
        shop: domain,
        customerId,
        timestampSeconds: Math.floor(deps.now().getTime() / 1000),
        secret: deps.apiSecret,
      });
    } catch (error) {
      deps.log(`storefront: app proxy ${req.method} ${rest} failed: ${String(error)}`);
      sendHtml(req, res, 502, "<!doctype html><title>Bad gateway</title><p>The app did not answer.</p>");
      return;
    }
    if (answer.contentType?.startsWith("application/liquid")) {
      const html = await renderProxyLiquid({ ...p, pageType: "page" }, answer.body.toString("utf8"));
      await page(req, res, { ...p, pageType: "page" }, answer.status, { template: { html } }, "page", off);
      return;
    }
    const headers: Record<string, string> = { "Cache-Control": "private, no-store" };
    if (answer.contentType) headers["Content-Type"] = answer.contentType;
    if (answer.location) headers.Location = storefrontLocation(domain, answer.location);
    send(req, res, answer.status, headers, answer.body);
  }

  return { handle, api };
}

/** A Location the app answered, on the emulator's storefront: the shop's root is /s/<shop>/. */
export function storefrontLocation(domain: string, location: string): string {
  if (location.startsWith("/") && !location.startsWith("//") && !location.startsWith(`/s/${domain}/`)) return `/s/${domain}${location}`;
  const absolute = /^https?:\/\/([^/]+)(\/.*)?$/.exec(location);
  if (absolute?.[1] === domain) return `/s/${domain}${absolute[2] ?? "/"}`;
  return location;
}
