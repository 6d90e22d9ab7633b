import { DESKTOP_USER_AGENT } from "../../test/support/browser";
import type { Demo } from "./start-demo";

const BROWSER = { "User-Agent": DESKTOP_USER_AGENT };

export interface DemoCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What `--once` proves: an authenticated admin page renders live store data, and webhooks are verified. */
export async function checkDemo(demo: Demo, shop: string, apiSecret: string): Promise<DemoCheck[]> {
  const truth = demo.emulator.store(shop);
  const checks: DemoCheck[] = [];

  const handle = shop.replace(/\.myshopify\.com$/, "");
  const params = new URLSearchParams({
    embedded: "1",
    shop,
    host: Buffer.from(`admin.shopify.com/store/${handle}`).toString("base64url"),
    id_token: demo.emulator.issueSessionToken(shop),
  });
  let page = await fetch(`${demo.appUrl}/app?${params}`, { headers: BROWSER });
  // A stored session the store no longer accepts sends the app to its bounce page; App Bridge then
  // reloads with a fresh token, and so does this check.
  const reload = new URL(page.url).searchParams.get("shopify-reload");
  if (reload) {
    const again = new URL(reload);
    again.searchParams.set("id_token", demo.emulator.issueSessionToken(shop));
    page = await fetch(again, { headers: BROWSER });
  }
  const html = await page.text();
  const customers = new Intl.NumberFormat("en-US").format(truth.customers.length);
  checks.push({
    name: "admin dashboard (session token → token exchange → Admin GraphQL)",
    ok: page.status === 200 && html.includes(truth.shop.name) && html.includes(customers),
    detail: `HTTP ${page.status}, shows "${truth.shop.name}" and ${customers} customers: ${html.includes(customers)}`,
  });

  const forged = await fetch(
    `${demo.appUrl}/app?${new URLSearchParams({ ...Object.fromEntries(params), id_token: "forged.token.value" })}`,
    {
      redirect: "manual",
      headers: BROWSER,
    },
  );
  checks.push({
    name: "forged session token refused",
    ok: forged.status !== 200,
    detail: `HTTP ${forged.status}`,
  });

  const signed = await demo.emulator.sendWebhook({
    shop,
    topic: "app/scopes_update",
    payload: { id: 1, previous: [], current: truth.scopes.split(","), updated_at: new Date().toISOString() },
  });
  checks.push({
    name: "signed webhook accepted",
    ok: signed.status === 200,
    detail: `HTTP ${signed.status}`,
  });

  const unsigned = await fetch(`${demo.appUrl}/webhooks/app/scopes_update`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": "app/scopes_update",
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": "forged-1",
      "X-Shopify-Hmac-Sha256": Buffer.from(`not-signed-with-${apiSecret.length}`).toString("base64"),
    },
    body: "{}",
  });
  checks.push({
    name: "webhook with a wrong HMAC refused",
    ok: unsigned.status === 401,
    detail: `HTTP ${unsigned.status}`,
  });
  return checks;
}
