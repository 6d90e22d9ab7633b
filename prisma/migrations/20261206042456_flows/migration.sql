-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "enrollmentId" TEXT,
ADD COLUMN     "payload" JSONB;

-- CreateTable
CREATE TABLE "Flow" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'off',
    "setting" JSONB,
    "templates" JSONB,
    "pausedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Flow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowEnrollment" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "flowKey" TEXT NOT NULL,
    "triggerEntityId" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "triggeredAt" TIMESTAMP(3) NOT NULL,
    "triggerSegment" TEXT,
    "holdout" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "exitReason" TEXT,
    "stepIndex" INTEGER,
    "dueAt" TIMESTAMP(3),
    "wakeAt" TIMESTAMP(3),
    "decided" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowEnrollment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Flow_shop_key_key" ON "Flow"("shop", "key");

-- CreateIndex
CREATE INDEX "FlowEnrollment_status_wakeAt_idx" ON "FlowEnrollment"("status", "wakeAt");

-- CreateIndex
CREATE INDEX "FlowEnrollment_shop_customerId_idx" ON "FlowEnrollment"("shop", "customerId");

-- CreateIndex
CREATE INDEX "FlowEnrollment_shop_flowKey_status_idx" ON "FlowEnrollment"("shop", "flowKey", "status");

-- CreateIndex
CREATE INDEX "OutboxMessage_enrollmentId_idx" ON "OutboxMessage"("enrollmentId");
