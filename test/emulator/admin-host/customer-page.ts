import type { CustomerRecord } from "../generator/types";
import { escapeHtml } from "./page";

// The customer's page of the local admin: where the app's `shopify://admin/customers/<id>` links
// lead, showing what Shopify holds for that customer, so the demo's links go somewhere true.

export interface CustomerPageArgs {
  shop: string;
  appPath: string;
  /** the app's admin link on this page (More actions), as Shopify adds ?id=<customer id> to it */
  consentPath: string;
  customer: CustomerRecord;
}

export function renderCustomerPage({ shop, appPath, consentPath, customer }: CustomerPageArgs): string {
  const rows: [string, string][] = [
    ["Email", customer.email ?? "—"],
    ["Phone", customer.phone ?? "—"],
    ["Email marketing", customer.emailMarketingConsent?.marketingState ?? "—"],
    ["SMS marketing", customer.smsMarketingConsent?.marketingState ?? "—"],
    ["Orders", customer.numberOfOrders],
    ["Amount spent", `${customer.amountSpent.amount} ${customer.amountSpent.currencyCode}`],
    ["Tags", customer.tags.join(", ") || "—"],
  ];
  const name = `${customer.firstName} ${customer.lastName}`.trim() || `Customer ${customer.legacyResourceId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(name)} · Customers · ${escapeHtml(shop)} (local emulator)</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; background: #f1f1f1; }
  header { background: #1a1a1a; color: #fff; padding: 12px 16px; font-size: 14px; }
  main { max-width: 720px; margin: 24px auto; background: #fff; border-radius: 12px; padding: 16px 24px; }
  dl { display: grid; grid-template-columns: 160px 1fr; gap: 8px 16px; }
  dt { color: #616161; }
</style>
</head>
<body>
<header><strong>${escapeHtml(shop)}</strong> · Local Shopify emulator</header>
<main>
<p><a href="${escapeHtml(appPath)}">Back to the app</a> · More actions: <a href="${escapeHtml(`${consentPath}?id=${customer.legacyResourceId}`)}">Consent evidence</a></p>
<h1>${escapeHtml(name)}</h1>
<p>Customer ${escapeHtml(customer.legacyResourceId)}</p>
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
</main>
</body>
</html>`;
}
