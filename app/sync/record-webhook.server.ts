import { Prisma, type PrismaClient } from "@prisma/client";

export interface WebhookReceipt {
  webhookId: string;
  shop: string;
  topic: string;
  apiVersion: string;
  triggeredAt?: string;
  payload: unknown;
}

export interface RecordedDelivery {
  isNew: boolean;
  status: string;
}

/**
 * Stores a verified delivery before anything else happens, keyed by Shopify's webhook id, so a
 * redelivery is recognised and never handled twice.
 */
export async function recordWebhook(prisma: PrismaClient, receipt: WebhookReceipt): Promise<RecordedDelivery> {
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
    return { isNew: true, status: "received" };
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
    const existing = await prisma.webhookDelivery.findUnique({ where: { id: receipt.webhookId }, select: { shop: true, status: true } });
    // A webhook id is Shopify's; one claimed by another shop is not a redelivery of this one.
    if (!existing || existing.shop !== receipt.shop) throw new Error(`webhook id ${receipt.webhookId} already used by another shop`);
    return { isNew: false, status: existing.status };
  }
}

function toJson(payload: unknown): Prisma.InputJsonValue {
  const parsed: unknown = JSON.parse(JSON.stringify(payload ?? {}));
  return isJsonValue(parsed) ? parsed : {};
}

function isJsonValue(value: unknown): value is Prisma.InputJsonValue {
  return value !== null && value !== undefined;
}
