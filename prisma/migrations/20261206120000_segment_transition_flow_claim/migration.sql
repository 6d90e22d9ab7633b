-- AlterTable
ALTER TABLE "SegmentTransition" ADD COLUMN     "flowClaimedUntil" TIMESTAMP(3);
