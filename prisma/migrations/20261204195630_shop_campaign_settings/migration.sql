-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "campaignSettings" JSONB;
