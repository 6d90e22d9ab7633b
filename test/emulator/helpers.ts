import type { AdminGraphql } from "../../app/sync/store-overview.server";
import { startEmulator, type Emulator, type EmulatorOptions } from "./index";

export const SHOP = "test-shop.myshopify.com";
export const API_KEY = "test-api-key";
export const API_SECRET = "test-api-secret";

export async function startTestEmulator(extra: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: "http://127.0.0.1:9",
    webhooks: [],
    shops: [{ domain: SHOP, seed: 7, customers: 120, orders: 300, products: 12 }],
    ...extra,
  });
}

export async function exchange(emulator: Emulator, idToken: string, shop = SHOP): Promise<Response> {
  return fetch(`${emulator.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Emulator-Shop": shop },
    body: JSON.stringify({
      client_id: API_KEY,
      client_secret: API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: idToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    }),
  });
}

/** Token exchange, then a GraphQL helper bound to the shop's offline token. */
export async function graphqlClient(emulator: Emulator, shop = SHOP) {
  const res = await exchange(emulator, emulator.issueSessionToken(shop), shop);
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  const token = emulator.accessTokenFor(shop) ?? "";
  return async (query: string, variables?: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "X-Shopify-Emulator-Shop": shop },
      body: JSON.stringify({ query, variables }),
    });
    const json: unknown = await r.json();
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("not a JSON object");
    return { status: r.status, json: Object.fromEntries(Object.entries(json)) };
  };
}

/**
 * Installs the app on a shop of the emulator (token exchange) and returns an Admin GraphQL client
 * shaped like `admin` from shopify-app-remix, for code under test that takes an `AdminGraphql`.
 */
export async function installedAdmin(
  emulator: Emulator,
  shop: string,
  options: { onQuery?: (query: string) => void } = {},
): Promise<AdminGraphql> {
  const res = await exchange(emulator, emulator.issueSessionToken(shop), shop);
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  const token = emulator.accessTokenFor(shop) ?? "";
  return {
    graphql: (query, init) => {
      options.onQuery?.(query);
      return fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token, "X-Shopify-Emulator-Shop": shop },
        body: JSON.stringify({ query, variables: init?.variables }),
      });
    },
  };
}
