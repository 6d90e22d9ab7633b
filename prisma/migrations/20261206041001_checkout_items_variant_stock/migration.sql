-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "availableVariantIds" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "variantsKnown" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Checkout" ADD COLUMN     "email" TEXT,
ADD COLUMN     "lineItems" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "phone" TEXT,
ADD COLUMN     "recoveryUrl" TEXT,
ADD COLUMN     "token" TEXT;
