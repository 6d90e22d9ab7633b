import type { PrismaClient } from "@prisma/client";
import { deletedProductId, productRowFromPayload } from "../webhooks/product-payloads";
import { markProductDeleted, upsertProducts } from "./store-products.server";

// products/* deliveries, one at a time: a catalogue changes far less often than orders arrive.
// Each is one stale-safe statement, so duplicates and any arrival order end in the latest state.

export type ProductTopic = "products/create" | "products/update" | "products/delete";

export async function processProductWebhook(
  prisma: PrismaClient,
  shop: string,
  topic: ProductTopic,
  payload: unknown,
): Promise<void> {
  if (topic === "products/delete") {
    await markProductDeleted(prisma, shop, deletedProductId(topic, payload));
    return;
  }
  const stored = await prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } });
  // REST prices carry no currency: they are the shop's, which the first sync reads. Retried until then.
  if (!stored?.currencyCode) throw new Error(`${topic}: the shop's currency is not known yet`);
  await upsertProducts(prisma, shop, [productRowFromPayload(topic, payload, stored.currencyCode)]);
}
