import { getEnv } from "./env.server";

/**
 * Shopify's headers only let Shopify admin frame the app. In demo and tests the local
 * emulator plays Shopify admin, so its origin is added — never when no emulator is configured
 * (the env module refuses an emulator in production).
 */
export function allowEmulatorAdminToFrame(headers: Headers): void {
  const { SHOPIFY_EMULATOR_URL: emulatorUrl, APP_BRIDGE_URL: appBridgeUrl } = getEnv();
  if (!emulatorUrl) return;
  // Shopify preloads App Bridge from its CDN, which the demo cannot reach: preload the stand-in.
  if (appBridgeUrl && headers.get("Link")?.includes("cdn.shopify.com/shopifycloud/app-bridge.js")) {
    headers.set("Link", `<${appBridgeUrl}>; rel="preload"; as="script";`);
  }
  const csp = headers.get("Content-Security-Policy");
  if (!csp) return;
  const origin = new URL(emulatorUrl).origin;
  headers.set(
    "Content-Security-Policy",
    csp.replace(
      /frame-ancestors ([^;]*)/,
      (_match, sources: string) => `frame-ancestors ${sources} ${origin}`,
    ),
  );
}
