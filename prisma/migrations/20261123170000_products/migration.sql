-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "productIds" BIGINT[] DEFAULT ARRAY[]::BIGINT[];

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "productsBulkId" TEXT,
ADD COLUMN     "productsRead" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "productsTotal" INTEGER;

-- CreateTable
CREATE TABLE "Product" (
    "shop" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "productType" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "priceMinor" BIGINT NOT NULL,
    "currencyCode" TEXT NOT NULL,
    "imageUrl" TEXT,
    "inStock" BOOLEAN NOT NULL,
    "tracksInventory" BOOLEAN NOT NULL DEFAULT true,
    "salesCount" INTEGER NOT NULL DEFAULT 0,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("shop","id")
);
