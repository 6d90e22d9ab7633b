-- Scores move out of the wide Customer row into a narrow table, so a rescore writes only the
-- customers whose R, F, M or segment changed (docs/benchmarks.md, "Rescore"). recencyDays and
-- the per-row scoredAt go: recency is derived from lastOrderAt and the shop's last scoring time.

-- CreateTable
CREATE TABLE "CustomerScore" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "r" INTEGER,
    "f" INTEGER,
    "m" INTEGER,
    "segment" TEXT NOT NULL,

    CONSTRAINT "CustomerScore_pkey" PRIMARY KEY ("shop","customerId")
);

-- Room on every page for the changed rows of a rescore: updates stay HOT (no index is touched).
-- Prisma's schema cannot say this; introspection ignores it, so later migrations keep it.
ALTER TABLE "CustomerScore" SET (fillfactor = 70);

-- CreateTable
CREATE TABLE "ShopScoring" (
    "shop" TEXT NOT NULL,
    "scoredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopScoring_pkey" PRIMARY KEY ("shop")
);

-- Keep what was scored.
INSERT INTO "CustomerScore" ("shop", "customerId", "r", "f", "m", "segment")
SELECT "shop", "id", "rScore", "fScore", "mScore", "segment" FROM "Customer" WHERE "scoredAt" IS NOT NULL;

INSERT INTO "ShopScoring" ("shop", "scoredAt")
SELECT "shop", max("scoredAt") FROM "Customer" WHERE "scoredAt" IS NOT NULL GROUP BY "shop";

-- DropIndex
DROP INDEX "Customer_shop_segment_idx";

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "fScore",
DROP COLUMN "mScore",
DROP COLUMN "rScore",
DROP COLUMN "recencyDays",
DROP COLUMN "scoredAt",
DROP COLUMN "segment";

-- CreateIndex
CREATE INDEX "Customer_shop_orderCount_idx" ON "Customer"("shop", "orderCount");

-- CreateIndex
CREATE INDEX "Customer_shop_spendMinor_orderCount_idx" ON "Customer"("shop", "spendMinor", "orderCount");

-- CreateIndex
CREATE INDEX "Customer_shop_lastOrderAt_orderCount_idx" ON "Customer"("shop", "lastOrderAt", "orderCount");
