import type { PrismaClient } from "@prisma/client";

export interface WebhookReceipt {
  webhookId: string;
  shop: string;
  topic: string;
  apiVersion: string;
  triggeredAt?: string;
  payload: unknown;
  /** The body exactly as Shopify sent it (already verified JSON); stored as is when given. */
  rawPayload?: string;
}

export interface RecordedDelivery {
  isNew: boolean;
  status: string;
}

/**
 * Stores a delivery as the intake would (keyed by Shopify's webhook id) without HTTP, signatures
 * or the installed check, so processing can be tested on its own.
 */
export async function recordWebhook(
  prisma: PrismaClient,
  receipt: WebhookReceipt,
): Promise<RecordedDelivery> {
  const triggeredAt = receipt.triggeredAt ? new Date(receipt.triggeredAt) : null;
  // One raw statement on the hot path of every webhook: no query compilation, no read-back.
  const inserted = await prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `INSERT INTO "WebhookDelivery" (id, shop, topic, "apiVersion", "triggeredAt", "receivedAt", status, attempts, payload)
     VALUES ($1, $2, $3, $4, $5::timestamp, now(), 'received', 0, $6::jsonb)
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    receipt.webhookId,
    receipt.shop,
    receipt.topic,
    receipt.apiVersion,
    triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt.toISOString() : null,
    receipt.rawPayload ?? JSON.stringify(receipt.payload ?? {}),
  );
  if (inserted.length > 0) return { isNew: true, status: "received" };
  const existing = await prisma.webhookDelivery.findUnique({
    where: { id: receipt.webhookId },
    select: { shop: true, status: true },
  });
  // A webhook id is Shopify's; one claimed by another shop is not a redelivery of this one.
  if (!existing || existing.shop !== receipt.shop)
    throw new Error(`webhook id ${receipt.webhookId} already used by another shop`);
  return { isNew: false, status: existing.status };
}
