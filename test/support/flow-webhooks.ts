import type { PrismaClient } from "@prisma/client";
import { expect } from "vitest";
import { enterFlows } from "~/flows/enter-flows.server";
import { flowEventsFrom } from "~/flows/flow-events.server";
import { runDueSteps, type RunReport } from "~/flows/run-due-steps.server";
import { DEFAULT_AUDIENCE_SETTINGS } from "~/messaging/rules/settings";
import type { ProductRow } from "~/sync/rows";
import { createDeliveryRecorder } from "~/sync/webhooks/delivery-recorder.server";
import type { WebhookTopic } from "~/sync/webhooks/payloads";
import { processWebhook, type ProcessWebhookDeps } from "~/sync/webhooks/process-webhook.server";
import { examplePayload } from "./example-payloads";

// Shared pieces of the flows' integration tests: the shop's webhooks delivered through the real
// intake and processing (with the worker's onApplied hook, so flows enter as in the app), due
// steps run on the test's clock, and the products and payloads the tests build them from.

export interface FlowTestShop {
  prisma: () => PrismaClient;
  shop: string;
  /** the test's clock */
  now: () => Date;
  /** webhook ids must differ between the test's database modes */
  idPrefix: string;
}

export function flowWebhooks(t: FlowTestShop) {
  let n = 0;
  const deps = (): ProcessWebhookDeps => ({
    prisma: t.prisma(),
    log: () => undefined,
    now: t.now,
    onBulkFinished: async () => undefined,
    stopShop: async () => undefined,
    async onApplied(tx, shop, applied, since) {
      await enterFlows(tx, shop, await flowEventsFrom(tx, shop, applied, since), t.now());
    },
  });
  return {
    /** delivers one signed-and-verified webhook as the app stores it, and processes it */
    async deliver(topic: WebhookTopic, payload: unknown): Promise<void> {
      const webhookId = `${t.idPrefix}-${++n}`;
      const recorder = createDeliveryRecorder({ db: t.prisma(), enqueue: async () => undefined, lingerMs: 0 });
      await recorder.record({
        webhookId,
        shop: t.shop,
        topic,
        apiVersion: "2026-10",
        triggeredAt: t.now().toISOString(),
        body: JSON.stringify(payload),
      });
      expect(await processWebhook(deps(), webhookId)).toBe("processed");
    },
    /** the flow scheduler's pass at the test's clock */
    run: (): Promise<RunReport> =>
      runDueSteps({ prisma: t.prisma(), now: t.now, audienceFor: async () => DEFAULT_AUDIENCE_SETTINGS, log: () => undefined }),
  };
}

export const giftProduct = (id: bigint, extra: Partial<ProductRow> = {}): ProductRow => ({
  id,
  title: `Product ${id}`,
  handle: `product-${id}`,
  productType: "Gifts",
  tags: [],
  status: "ACTIVE",
  publishedAt: new Date("2026-01-01T00:00:00Z"),
  priceMinor: 2400n,
  currencyCode: "USD",
  imageUrl: null,
  inStock: true,
  tracksInventory: true,
  shopifyUpdatedAt: new Date("2026-11-01T00:00:00Z"),
  ...extra,
});

/** An orders/create payload (Shopify's documented example) for a customer, placed at `placed`. */
export function orderPayload(id: number, customerId: bigint, placed: Date): Record<string, unknown> {
  const example = examplePayload("orders/create");
  return {
    ...(typeof example === "object" && example !== null ? example : {}),
    id,
    test: false,
    cancelled_at: null,
    customer: { id: Number(customerId) },
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    created_at: placed.toISOString(),
    updated_at: placed.toISOString(),
  };
}
