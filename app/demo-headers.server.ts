import { getEnv } from "./env.server";

/**
 * Shopify's headers only let Shopify admin frame the app. In demo and tests the local
 * emulator plays Shopify admin, so its origin is added — never when no emulator is configured
 * (the env module refuses an emulator in production).
 */
export function allowEmulatorAdminToFrame(headers: Headers): void {
  const emulatorUrl = getEnv().SHOPIFY_EMULATOR_URL;
  if (!emulatorUrl) return;
  const csp = headers.get("Content-Security-Policy");
  if (!csp) return;
  const origin = new URL(emulatorUrl).origin;
  headers.set(
    "Content-Security-Policy",
    csp.replace(/frame-ancestors ([^;]*)/, (_match, sources: string) => `frame-ancestors ${sources} ${origin}`),
  );
}
