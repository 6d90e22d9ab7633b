-- AlterTable
ALTER TABLE "SegmentTransition" ADD COLUMN     "flowTriggeredAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "SegmentTransition_shop_flowTriggeredAt_at_idx" ON "SegmentTransition"("shop", "flowTriggeredAt", "at");
