import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/shops.server";
import { readCheckoutWithStock } from "~/sync/checkouts/read-checkouts.server";
import { getDataRequest, listDataRequests } from "~/sync/compliance/compliance.server";
import { upsertProducts } from "~/sync/products/store-products.server";
import type { ProductRow } from "~/sync/rows";
import { createDeliveryRecorder } from "~/sync/webhooks/delivery-recorder.server";
import { processWebhookBatch } from "~/sync/webhooks/process-batch.server";
import { processWebhook, type ProcessWebhookDeps } from "~/sync/webhooks/process-webhook.server";
import type { WebhookTopic } from "~/sync/webhooks/payloads";
import { examplePayload } from "../support/example-payloads";
import { giftProduct } from "../support/flow-webhooks";
import { databaseModes, type TestDatabase } from "./helpers/db";

// checkouts/create|update from the intake to the stored checkout the flows read: Shopify's example
// payloads, newer versions replacing older ones whatever the order, the batch path, the cart's
// stock per variant, and customers/redact (a customer's checkouts and a guest's with their email).

const SHOP = "checkouts.myshopify.com";
const NOW = new Date("2026-11-28T12:00:00Z");
let n = 0;

function checkout(
  id: number,
  updatedAt: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    token: `tok-${id}`,
    email: `buyer${id}@example.com`,
    phone: null,
    created_at: "2026-11-28T09:00:00Z",
    updated_at: updatedAt,
    completed_at: null,
    customer: { id: 500 + id, email: `buyer${id}@example.com` },
    total_price: "64.00",
    currency: "USD",
    abandoned_checkout_url: `https://shop.example/checkouts/tok-${id}/recover?key=k${id}`,
    line_items: [
      {
        product_id: 1,
        variant_id: 11,
        quantity: 1,
        title: "Merino Scarf",
        variant_title: "Red",
        price: "24.00",
      },
      {
        product_id: 1,
        variant_id: 12,
        quantity: 1,
        title: "Merino Scarf",
        variant_title: "Navy",
        price: "24.00",
      },
      {
        product_id: 2,
        variant_id: 21,
        quantity: 2,
        title: "Festive Mug",
        variant_title: null,
        price: "8.00",
      },
    ],
    ...extra,
  };
}

const product = (id: bigint, extra: Partial<ProductRow>): ProductRow =>
  giftProduct(id, { priceMinor: 800n, ...extra });

describe.each(databaseModes)("checkouts/* webhooks → stored checkouts ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const lines: string[] = [];
  const deps = (): ProcessWebhookDeps => ({
    prisma,
    log: (line) => lines.push(line),
    now: () => NOW,
    onBulkFinished: async () => undefined,
    stopShop: async () => undefined,
  });
  // through the real intake, as the app stores a verified delivery
  async function intake(
    topic: WebhookTopic,
    payload: unknown,
    triggeredAt = NOW.toISOString(),
  ): Promise<string> {
    const webhookId = `k-${mode.name}-${++n}`;
    const recorder = createDeliveryRecorder({ db: prisma, enqueue: async () => undefined, lingerMs: 0 });
    await recorder.record({
      webhookId,
      shop: SHOP,
      topic,
      apiVersion: "2026-10",
      triggeredAt,
      body: JSON.stringify(payload),
    });
    return webhookId;
  }
  const deliver = async (topic: WebhookTopic, payload: unknown, triggeredAt?: string) =>
    processWebhook(deps(), await intake(topic, payload, triggeredAt));
  const stored = (id: bigint) => prisma.checkout.findUnique({ where: { shop_id: { shop: SHOP, id } } });

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
    await recordInstall(prisma, { shop: SHOP, scopes: "read_customers,read_orders,read_products" });
    await prisma.session.create({
      data: { id: `offline_${SHOP}`, shop: SHOP, state: "s", accessToken: "shpat_x" },
    });
  });
  afterAll(async () => {
    await db.close();
  });

  it("stores Shopify's documented example with its token, contact, recovery URL and cart", async () => {
    for (const topic of ["checkouts/create", "checkouts/update"] as const) {
      // the documented examples lack the id every delivery has
      expect(await deliver(topic, { ...examplePayload(topic), id: 98182007925 })).toBe("processed");
    }
    expect(await stored(98182007925n)).toMatchObject({
      token: "123123123",
      customerId: 603851970716743426n,
      email: "example@email.com",
      phone: null,
      totalMinor: 42188n,
      currencyCode: "USD",
      completedAt: null,
      recoveryUrl: "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token",
      lineItems: [
        {
          productId: "632910392",
          variantId: "808950810",
          quantity: 1,
          title: "IPod Nano - 8GB",
          variantTitle: "Pink",
          priceMinor: "19900",
        },
        {
          productId: "632910392",
          variantId: "808950810",
          quantity: 1,
          title: "IPod Nano - 8GB",
          variantTitle: "Pink",
          priceMinor: "19900",
        },
      ],
    });
  });

  it("a newer version replaces the cart; a late older one and a version without line items do not", async () => {
    expect(await deliver("checkouts/create", checkout(1, "2026-11-28T09:00:00Z"))).toBe("processed");
    const fewer = checkout(1, "2026-11-28T09:10:00Z", {
      line_items: [{ product_id: 2, variant_id: 21, quantity: 3, title: "Festive Mug", price: "8.00" }],
    });
    expect(await deliver("checkouts/update", fewer)).toBe("processed");
    expect(await deliver("checkouts/update", checkout(1, "2026-11-28T09:05:00Z"))).toBe("processed"); // late, stale
    expect((await stored(1n))?.lineItems).toEqual([
      {
        productId: "2",
        variantId: "21",
        quantity: 3,
        title: "Festive Mug",
        variantTitle: null,
        priceMinor: "800",
      },
    ]);
    const { line_items: _items, ...withoutItems } = checkout(1, "2026-11-28T09:20:00Z", {
      completed_at: "2026-11-28T09:20:00Z",
    });
    expect(await deliver("checkouts/update", withoutItems)).toBe("processed");
    expect(await stored(1n)).toMatchObject({
      completedAt: new Date("2026-11-28T09:20:00Z"),
      shopifyUpdatedAt: new Date("2026-11-28T09:20:00Z"),
      lineItems: [{ productId: "2", variantId: "21", quantity: 3 }],
    });
  });

  it("the batch path stores the same rows as one delivery at a time", async () => {
    const ids = [
      await intake("checkouts/create", checkout(2, "2026-11-28T09:00:00Z")),
      await intake("checkouts/update", checkout(2, "2026-11-28T09:30:00Z", { email: "new@example.com" })),
      await intake(
        "checkouts/create",
        checkout(3, "2026-11-28T09:00:00Z", { customer: null, email: "guest@example.com" }),
      ),
    ];
    expect(await processWebhookBatch(deps(), ids)).toMatchObject({ processed: 3, failed: 0 });
    expect(await stored(2n)).toMatchObject({ email: "new@example.com", token: "tok-2", customerId: 502n });
    expect(await stored(3n)).toMatchObject({ customerId: null, email: "guest@example.com" });
    expect((await stored(3n))?.lineItems).toHaveLength(3);
  });

  it("reads a checkout with each cart line's stock, per variant", async () => {
    await upsertProducts(prisma, SHOP, [
      // Red in stock, Navy sold out: the product as a whole is in stock
      product(1n, { availableVariantIds: [11n] }),
      product(2n, { inStock: false, availableVariantIds: [] }),
    ]);
    const read = await readCheckoutWithStock(prisma, SHOP, 2n, NOW);
    expect(read?.lineItems.map((item) => [item.variantId, item.stock])).toEqual([
      [11n, "in_stock"],
      [12n, "sold_out"],
      [21n, "sold_out"],
    ]);
    expect(read).toMatchObject({
      id: 2n,
      token: "tok-2",
      recoveryUrl: "https://shop.example/checkouts/tok-2/recover?key=k2",
      totalMinor: 6400n,
    });
    expect(await readCheckoutWithStock(prisma, "other.myshopify.com", 2n, NOW)).toBeNull();
  });

  it("customers/redact deletes the customer's checkouts and a guest's with their email, scrubs the stored deliveries, and a late one changes nothing", async () => {
    const PERSONAL = /guest@example\.com|buyer4@example\.com|tok-4|tok-3/;
    const guestDeliveries = await prisma.webhookDelivery.findMany({
      where: { shop: SHOP, payload: { path: ["email"], equals: "guest@example.com" } },
    });
    expect(guestDeliveries).toHaveLength(1);
    expect(await deliver("checkouts/create", checkout(4, "2026-11-28T10:00:00Z"))).toBe("processed");

    // a data request finds both: theirs by id and the guest's by email
    expect(
      await deliver("customers/data_request", {
        shop_domain: SHOP,
        customer: { id: 504, email: "GUEST@example.com" },
        orders_requested: [],
        data_request: { id: 5 },
      }),
    ).toBe("processed");
    const [request] = await listDataRequests(prisma, SHOP);
    const exported = await getDataRequest(prisma, SHOP, request?.id ?? "");
    expect(exported?.export.checkouts.map((c) => [c.id, c.email])).toEqual([
      ["3", "guest@example.com"],
      ["4", "buyer4@example.com"],
    ]);

    const redactedAt = "2026-11-28T11:00:00.000Z";
    expect(
      await deliver(
        "customers/redact",
        {
          shop_domain: SHOP,
          customer: { id: 504, email: "guest@example.com", phone: null },
          orders_to_redact: [],
        },
        redactedAt,
      ),
    ).toBe("processed");
    expect(await stored(4n)).toBeNull();
    expect(await stored(3n)).toBeNull();
    expect(await stored(2n)).not.toBeNull(); // another customer's
    const left = await prisma.webhookDelivery.findMany({ where: { shop: SHOP }, select: { payload: true } });
    expect(JSON.stringify(left)).not.toMatch(PERSONAL);
    expect(JSON.stringify(left)).toContain("buyer2@example.com");

    // Shopify delivers late what happened before the redaction: stored without personal data, not applied
    const late = await intake(
      "checkouts/update",
      checkout(4, "2026-11-28T10:30:00Z"),
      "2026-11-28T10:30:00.000Z",
    );
    expect(
      JSON.stringify((await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: late } })).payload),
    ).not.toMatch(PERSONAL);
    expect(await processWebhook(deps(), late)).toBe("ignored");
    expect(await stored(4n)).toBeNull();
    expect(lines.join("\n")).not.toMatch(/@example\.com|tok-/);
  });
});
