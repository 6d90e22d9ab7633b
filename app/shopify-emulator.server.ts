import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

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
