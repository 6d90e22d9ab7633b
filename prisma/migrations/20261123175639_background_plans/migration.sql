-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "planError" TEXT,
ADD COLUMN     "planRequestedAt" TIMESTAMP(3);
