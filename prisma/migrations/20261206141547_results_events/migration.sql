-- CreateTable
CREATE TABLE "TrackedLink" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackedLink_pkey" PRIMARY KEY ("shop","id")
);

-- CreateTable
CREATE TABLE "MessageEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "outboxId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "machine" BOOLEAN NOT NULL DEFAULT false,
    "machineReason" TEXT,
    "linkId" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "firstAt" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderAttribution" (
    "shop" TEXT NOT NULL,
    "orderId" BIGINT NOT NULL,
    "outboxId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "touchAt" TIMESTAMP(3) NOT NULL,
    "attributedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderAttribution_pkey" PRIMARY KEY ("shop","orderId")
);

-- CreateTable
CREATE TABLE "ResultsProgress" (
    "shop" TEXT NOT NULL,
    "attributedThrough" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResultsProgress_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "MessageEvent_shop_campaignId_kind_idx" ON "MessageEvent"("shop", "campaignId", "kind");

-- CreateIndex
CREATE INDEX "MessageEvent_shop_customerId_kind_lastAt_idx" ON "MessageEvent"("shop", "customerId", "kind", "lastAt");

-- CreateIndex
CREATE INDEX "MessageEvent_outboxId_idx" ON "MessageEvent"("outboxId");

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_campaignId_idx" ON "OrderAttribution"("shop", "campaignId");
