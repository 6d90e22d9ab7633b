import { BROWSER, openAdminPage } from "./admin-request";
import type { Demo } from "./start-demo";


export interface DemoCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** What `--once` proves: an authenticated admin page renders live store data, and webhooks are verified. */
export async function checkDemo(demo: Demo, shop: string, apiSecret: string): Promise<DemoCheck[]> {
  const truth = demo.emulator.store(shop);
  const checks: DemoCheck[] = [];

  const page = await openAdminPage(demo.appUrl, demo.emulator, shop);
  const html = await page.text();
  const customers = new Intl.NumberFormat("en-US").format(truth.customers.length);
  checks.push({
    name: "admin dashboard (session token → token exchange → Admin GraphQL)",
    ok: page.status === 200 && html.includes(truth.shop.name) && html.includes(customers),
    detail: `HTTP ${page.status}, shows "${truth.shop.name}" and ${customers} customers: ${html.includes(customers)}`,
  });

  const forgedParams = new URLSearchParams({
    embedded: "1",
    shop,
    host: Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString(
      "base64url",
    ),
    id_token: "forged.token.value",
  });
  const forged = await fetch(`${demo.appUrl}/app?${forgedParams}`, { redirect: "manual", headers: BROWSER });
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
