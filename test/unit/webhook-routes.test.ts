import { describe, expect, it } from "vitest";
import { readAppConfig } from "../../scripts/demo/app-config";
import { topicsServedAt, WEBHOOK_ROUTES } from "~/sync/webhooks/routes";
import { WEBHOOK_TOPICS } from "~/sync/webhooks/payloads";

describe("webhook routes", () => {
  it("serve exactly the subscriptions declared in shopify.app.toml", () => {
    const declared = Object.fromEntries(readAppConfig().webhooks.map((s) => [s.uri, [...s.topics].sort()]));
    const served = Object.fromEntries(
      Object.entries(WEBHOOK_ROUTES).map(([path, topics]) => [path, [...topics].sort()]),
    );
    expect(served).toEqual(declared);
    expect(Object.values(WEBHOOK_ROUTES).flat().sort()).toEqual([...WEBHOOK_TOPICS].sort());
  });

  it("serve nothing at other paths, and tolerate a trailing slash", () => {
    expect(topicsServedAt("/webhooks/inventory_levels")).toEqual([]);
    expect(topicsServedAt("/webhooks/constructor")).toEqual([]);
    expect(topicsServedAt("/webhooks/orders/")).toEqual(WEBHOOK_ROUTES["/webhooks/orders"]);
  });
});
