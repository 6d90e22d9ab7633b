import { DESKTOP_USER_AGENT } from "../../test/support/browser";
import type { Emulator } from "../../test/emulator/index";

export const BROWSER = { "User-Agent": DESKTOP_USER_AGENT };

/**
 * Opens an app page the way Shopify admin does (a document request with a fresh id_token), and
 * follows the bounce page like App Bridge when the app asks for a new token.
 */
export async function openAdminPage(
  appUrl: string,
  emulator: Emulator,
  shop: string,
  path = "/app",
): Promise<Response> {
  const handle = shop.replace(/\.myshopify\.com$/, "");
  const params = new URLSearchParams({
    embedded: "1",
    shop,
    host: Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64url"),
    id_token: emulator.issueSessionToken(shop),
  });
  const page = await fetch(`${appUrl}${path}?${params}`, { headers: BROWSER });
  const reload = new URL(page.url).searchParams.get("shopify-reload");
  if (!reload) return page;
  const again = new URL(reload);
  again.searchParams.set("id_token", emulator.issueSessionToken(shop));
  return fetch(again, { headers: BROWSER });
}

/** A data request the way App Bridge makes one: `Authorization: Bearer <session token>`. */
export function fetchWithSessionToken(
  url: string,
  emulator: Emulator,
  shop: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("User-Agent", DESKTOP_USER_AGENT);
  headers.set("Authorization", `Bearer ${emulator.issueSessionToken(shop)}`);
  return fetch(url, { ...init, headers });
}
