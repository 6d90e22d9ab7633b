import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInstall } from "~/shops.server";
import { upsertProducts } from "~/sync/products/store-products.server";
import { processWebhook, type ProcessWebhookDeps } from "~/sync/webhooks/process-webhook.server";
import { generateStore, TEST_HISTORY_END, productDeletePayload, productPayload } from "../emulator/index";
import { databaseModes, type TestDatabase } from "./helpers/db";
import { recordWebhook } from "./helpers/record-webhook";
import { orderPayload } from "./helpers/webhook-fixtures";

// products/* keep the catalogue fresh, one delivery at a time, in any order; orders' line items
// record what a customer bought.

const store = generateStore({ domain: "catalogue.myshopify.com", seed: 5, customers: 0, products: 6 , until: TEST_HISTORY_END });
const record = (k: number) => {
  const p = store.products[k];
  if (!p) throw new Error(`no product ${k}`);
  return p;
};
let sequence = 0;

describe.each(databaseModes)("product webhooks ($name)", (mode) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  const lines: string[] = [];
  const deps = (): ProcessWebhookDeps => ({
    prisma,
    log: (line) => lines.push(line),
    now: () => new Date("2026-11-27T12:00:00Z"),
    onBulkFinished: async () => undefined,
    stopShop: async () => undefined,
  });

  beforeAll(async () => {
    db = await mode.open();
    prisma = db.prisma;
  });
  afterAll(async () => {
    await db.close();
  });

  async function install(shop: string, currencyCode: string | null = "USD") {
    await recordInstall(prisma, { shop, scopes: "read_products" });
    await prisma.shop.update({ where: { domain: shop }, data: { currencyCode } });
  }
  async function deliver(shop: string, topic: string, payload: unknown) {
    const webhookId = `p-${mode.name}-${++sequence}`;
    await recordWebhook(prisma, { webhookId, shop, topic, apiVersion: "2026-10", payload });
    return { webhookId, outcome: await processWebhook(deps(), webhookId) };
  }
  const product = (shop: string, id: string) =>
    prisma.product.findUnique({ where: { shop_id: { shop, id: BigInt(id) } } });
  const version = (k: number, updatedAt: string, quantity: number): Record<string, unknown> => ({
    ...productPayload({
      ...record(k),
      variants: record(k).variants.map((v) => ({ ...v, inventoryQuantity: quantity })),
    }),
    updated_at: updatedAt,
  });

  it("create, update and a stale update: the newest version stands", async () => {
    const shop = "p1.myshopify.com";
    await install(shop);
    const p = record(0);
    await deliver(shop, "products/create", productPayload(p));
    expect(await product(shop, p.legacyResourceId)).toMatchObject({
      title: p.title,
      handle: p.handle,
      productType: p.productType,
      tags: p.tags,
      status: p.status,
      publishedAt: p.publishedAt ? new Date(p.publishedAt) : null,
      priceMinor: BigInt(Math.min(...p.variants.map((v) => v._priceMinor))),
      currencyCode: "USD",
      imageUrl: p._imageUrl,
      inStock: p.variants.some((v) => v.inventoryQuantity > 0),
      tracksInventory: true,
      availableVariantIds: p.variants.filter((v) => v.inventoryQuantity > 0).map((v) => BigInt(v.legacyResourceId)),
      variantsKnown: true,
      deletedAt: null,
    });

    await deliver(shop, "products/update", version(0, "2026-11-20T00:00:00Z", 0)); // sold out
    expect(await product(shop, p.legacyResourceId)).toMatchObject({
      inStock: false,
      availableVariantIds: [],
      shopifyUpdatedAt: new Date("2026-11-20T00:00:00Z"),
    });
    await deliver(shop, "products/update", version(0, "2026-11-19T00:00:00Z", 9)); // late and stale: ignored
    expect(await product(shop, p.legacyResourceId)).toMatchObject({
      inStock: false,
      shopifyUpdatedAt: new Date("2026-11-20T00:00:00Z"),
    });
    await deliver(shop, "products/update", version(0, "2026-11-21T00:00:00Z", 9)); // restocked
    expect(await product(shop, p.legacyResourceId)).toMatchObject({ inStock: true });
    // redelivered: same version, same row
    await deliver(shop, "products/update", version(0, "2026-11-21T00:00:00Z", 9));
    expect(await prisma.product.count({ where: { shop } })).toBe(1);
  });

  it("delete leaves a tombstone no create or update brings back, even one delivered before it", async () => {
    const shop = "p2.myshopify.com";
    await install(shop);
    const p = record(1);
    await deliver(shop, "products/create", productPayload(p));
    await deliver(shop, "products/delete", productDeletePayload(p));
    expect(await product(shop, p.legacyResourceId)).toMatchObject({ status: "DELETED", inStock: false });
    await deliver(shop, "products/update", version(1, "2030-01-01T00:00:00Z", 5));
    expect(await product(shop, p.legacyResourceId)).toMatchObject({
      status: "DELETED",
      inStock: false,
      title: p.title,
    });

    // the delete overtakes the create
    const q = record(2);
    await deliver(shop, "products/delete", productDeletePayload(q));
    await deliver(shop, "products/create", productPayload(q));
    expect(await product(shop, q.legacyResourceId)).toMatchObject({ status: "DELETED", title: "" });
    expect((await prisma.product.findMany({ where: { shop } })).every((row) => row.deletedAt !== null)).toBe(
      true,
    );
  });

  it("a payload that does not say whether stock is counted keeps what the backfill stored", async () => {
    const shop = "p3.myshopify.com";
    await install(shop);
    const p = record(3);
    await upsertProducts(prisma, shop, [
      {
        id: BigInt(p.legacyResourceId),
        title: p.title,
        handle: p.handle,
        productType: p.productType,
        tags: [],
        status: "ACTIVE",
        publishedAt: new Date("2025-01-01T00:00:00Z"),
        priceMinor: 100n,
        currencyCode: "USD",
        imageUrl: null,
        inStock: true,
        tracksInventory: false,
        shopifyUpdatedAt: new Date("2025-01-01T00:00:00Z"),
      },
    ]);
    const payload = version(3, "2026-11-01T00:00:00Z", 0);
    const variants = Array.isArray(payload.variants) ? payload.variants : [];
    const withoutManagement = variants.map((v: unknown) =>
      typeof v === "object" && v !== null ? { ...v, inventory_management: undefined } : v,
    );
    await deliver(
      shop,
      "products/update",
      JSON.parse(JSON.stringify({ ...payload, variants: withoutManagement })),
    );
    expect(await product(shop, p.legacyResourceId)).toMatchObject({ inStock: false, tracksInventory: false });
    await deliver(shop, "products/update", version(3, "2026-11-02T00:00:00Z", 0));
    expect(await product(shop, p.legacyResourceId)).toMatchObject({ inStock: false, tracksInventory: true });
  });

  it("waits (retries) while the shop's currency is not known; a bad payload fails at once, naming the field", async () => {
    const shop = "p4.myshopify.com";
    await install(shop, null);
    const first = `p-${mode.name}-${++sequence}`;
    await recordWebhook(prisma, {
      webhookId: first,
      shop,
      topic: "products/create",
      apiVersion: "2026-10",
      payload: productPayload(record(4)),
    });
    await expect(processWebhook(deps(), first)).rejects.toThrow(
      "products/create: the shop's currency is not known yet",
    );
    expect(await prisma.webhookDelivery.findUnique({ where: { id: first } })).toMatchObject({
      status: "received",
      attempts: 1,
    });
    await prisma.shop.update({ where: { domain: shop }, data: { currencyCode: "USD" } });
    await expect(processWebhook(deps(), first)).resolves.toBe("processed");

    const broken = `p-${mode.name}-${++sequence}`;
    await recordWebhook(prisma, {
      webhookId: broken,
      shop,
      topic: "products/update",
      apiVersion: "2026-10",
      payload: { ...productPayload(record(5)), handle: null },
    });
    await expect(processWebhook(deps(), broken)).rejects.toThrow(/field "handle" is invalid/);
    expect(await prisma.webhookDelivery.findUnique({ where: { id: broken } })).toMatchObject({
      status: "failed",
    });
  });

  it("orders record their line items' products; an update without line items keeps them", async () => {
    const shop = "p5.myshopify.com";
    await install(shop);
    const v1 = {
      id: 70,
      customerId: 7,
      createdAt: "2026-11-01T00:00:00Z",
      updatedAt: "2026-11-01T00:00:00Z",
      cancelled: false,
      test: false,
      total: "10.00",
      discount: "0.00",
    };
    await deliver(shop, "orders/create", {
      ...orderPayload(v1),
      line_items: [{ product_id: 12 }, { product_id: null }, { product_id: 3 }],
    });
    const order = () => prisma.order.findUnique({ where: { shop_id: { shop, id: 70n } } });
    expect((await order())?.productIds).toEqual([3n, 12n]);
    await deliver(
      shop,
      "orders/updated",
      orderPayload({ ...v1, updatedAt: "2026-11-02T00:00:00Z", total: "8.00" }),
    );
    expect(await order()).toMatchObject({ productIds: [3n, 12n], totalMinor: 800n });
    await deliver(shop, "orders/updated", {
      ...orderPayload({ ...v1, updatedAt: "2026-11-03T00:00:00Z" }),
      line_items: [{ product_id: 4 }],
    });
    expect((await order())?.productIds).toEqual([4n]);
  });
});
