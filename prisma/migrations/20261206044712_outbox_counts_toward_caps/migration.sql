-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "countsTowardCaps" BOOLEAN NOT NULL DEFAULT true;
