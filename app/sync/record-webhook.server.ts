import { Prisma, type PrismaClient } from "@prisma/client";

export interface WebhookReceipt {
  webhookId: string;
  shop: string;
  topic: string;
  apiVersion: string;
  triggeredAt?: string;
  payload: unknown;
}

/**
 * Stores a verified delivery before anything else happens, keyed by Shopify's webhook id, so a
 * redelivery is recognised and never handled twice. Returns false for a duplicate.
 */
export async function recordWebhook(prisma: PrismaClient, receipt: WebhookReceipt): Promise<boolean> {
  const triggeredAt = receipt.triggeredAt ? new Date(receipt.triggeredAt) : null;
  try {
    await prisma.webhookDelivery.create({
      data: {
        id: receipt.webhookId,
        shop: receipt.shop,
        topic: receipt.topic,
        apiVersion: receipt.apiVersion,
        triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
        status: "received",
        attempts: 0,
        payload: toJson(receipt.payload),
      },
    });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

export async function markWebhookProcessed(prisma: PrismaClient, webhookId: string): Promise<void> {
  await prisma.webhookDelivery.update({
    where: { id: webhookId },
    data: { status: "processed", attempts: { increment: 1 } },
  });
}

function toJson(payload: unknown): Prisma.InputJsonValue {
  // Shopify payloads are JSON already; round-tripping drops anything JSON cannot hold.
  const text = JSON.stringify(payload ?? null);
  const parsed: unknown = JSON.parse(text);
  return isJsonValue(parsed) ? parsed : {};
}

function isJsonValue(value: unknown): value is Prisma.InputJsonValue {
  return value !== null && value !== undefined;
}
