import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import type { LoginError } from "@shopify/shopify-app-remix/server";

/**
 * Demo and test wiring: sends the app's Shopify HTTP traffic (`https://<shop>.myshopify.com/...`)
 * to the local emulator instead. It refuses to run in production, so a misconfigured deployment
 * can never talk to anything but real Shopify.
 */
export function routeShopifyTrafficToEmulator(emulatorUrl: string, nodeEnv: string): void {
  if (nodeEnv === "production") {
    throw new Error(
      "SHOPIFY_EMULATOR_URL is set but NODE_ENV=production: refusing to reroute Shopify traffic",
    );
  }
  const target = new URL(emulatorUrl);
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc((input, init) => {
    const rewritten = rewriteShopifyRequest(input, target);
    if (!rewritten) return realFetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set("X-Shopify-Emulator-Shop", rewritten.shop);
    return realFetch(rewritten.url, { ...init, headers });
  });
}

/** Where a request to Shopify goes instead; undefined for requests that are not for a shop. */
export function rewriteShopifyRequest(
  input: RequestInfo | URL,
  target: URL,
): { url: string; shop: string } | undefined {
  const raw = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(raw);
  if (url.protocol !== "https:" || !url.hostname.endsWith(".myshopify.com")) return undefined;
  const rewritten = new URL(`${url.pathname}${url.search}`, target);
  return { url: rewritten.href, shop: url.hostname };
}

/**
 * Where a browser sent to Shopify admin (`https://admin.shopify.com/store/<handle>/…`) goes in the
 * demo: the emulator's admin page at the same path. Undefined for any other URL.
 */
export function emulatorAdminUrl(location: string, target: URL): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" || url.hostname !== "admin.shopify.com" || !url.pathname.startsWith("/store/"))
    return undefined;
  return new URL(`${url.pathname}${url.search}`, target).href;
}

type Login = (request: Request) => Promise<LoginError>;

/**
 * The library's `login`, with its hand-over to Shopify admin sent to the emulator's admin page
 * instead (demo and tests only, like the rest of this module).
 */
export function loginThroughEmulatorAdmin(login: Login, emulatorUrl: string, nodeEnv: string): Login {
  if (nodeEnv === "production") {
    throw new Error("SHOPIFY_EMULATOR_URL is set but NODE_ENV=production: refusing to send logins to it");
  }
  const target = new URL(emulatorUrl);
  return async (request) => {
    try {
      return await login(request);
    } catch (thrown) {
      const local = thrown instanceof Response ? emulatorAdminUrl(thrown.headers.get("Location") ?? "", target) : undefined;
      if (!local || !(thrown instanceof Response)) throw thrown;
      const headers = new Headers(thrown.headers);
      headers.set("Location", local);
      throw new Response(null, { status: thrown.status, headers });
    }
  };
}
