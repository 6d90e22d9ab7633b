import type { WebhookTopic } from "./payloads";

// Where each subscribed topic is delivered: the same paths as `shopify.app.toml` (a test keeps them
// equal). The webhook intake refuses a topic at a path that does not serve it.
export const WEBHOOK_ROUTES: Readonly<Record<string, readonly WebhookTopic[]>> = {
  "/webhooks/orders": ["orders/create", "orders/updated", "orders/cancelled"],
  "/webhooks/customers": ["customers/create", "customers/update", "customers/delete"],
  "/webhooks/checkouts": ["checkouts/create", "checkouts/update"],
  "/webhooks/products": ["products/create", "products/update", "products/delete"],
  "/webhooks/bulk_operations/finish": ["bulk_operations/finish"],
  "/webhooks/app/uninstalled": ["app/uninstalled"],
  "/webhooks/app/scopes_update": ["app/scopes_update"],
  "/webhooks/compliance": ["customers/data_request", "customers/redact", "shop/redact"],
};

/** The topics served at `path` (a trailing slash is tolerated); empty for any other path. */
export function topicsServedAt(path: string): readonly WebhookTopic[] {
  const normalized = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  return Object.hasOwn(WEBHOOK_ROUTES, normalized) ? (WEBHOOK_ROUTES[normalized] ?? []) : [];
}
