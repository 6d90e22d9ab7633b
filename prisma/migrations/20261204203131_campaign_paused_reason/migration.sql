-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "pausedReason" TEXT;
