-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "processedAt" TIMESTAMP(3);
