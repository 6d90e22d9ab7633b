-- CreateTable
CREATE TABLE "CustomerRedaction" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "redactedAt" TIMESTAMP(3) NOT NULL,
    "orderIds" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerRedaction_pkey" PRIMARY KEY ("shop","customerId")
);
