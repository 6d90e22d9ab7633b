-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "fScore" INTEGER,
ADD COLUMN     "mScore" INTEGER,
ADD COLUMN     "rScore" INTEGER,
ADD COLUMN     "recencyDays" INTEGER,
ADD COLUMN     "scoredAt" TIMESTAMP(3),
ADD COLUMN     "segment" TEXT NOT NULL DEFAULT 'prospect',
ADD COLUMN     "taggedSegment" TEXT;

-- CreateTable
CREATE TABLE "SegmentTransition" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "fromSegment" TEXT,
    "toSegment" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SegmentTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shop" TEXT NOT NULL,
    "segmentThresholds" JSONB NOT NULL,
    "tagSegments" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "SegmentTransition_shop_at_idx" ON "SegmentTransition"("shop", "at");

-- CreateIndex
CREATE INDEX "SegmentTransition_shop_customerId_idx" ON "SegmentTransition"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Customer_shop_segment_idx" ON "Customer"("shop", "segment");
