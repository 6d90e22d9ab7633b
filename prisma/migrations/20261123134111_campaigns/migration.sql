-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "plannedAt" TIMESTAMP(3),
    "scheduledAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "sendKey" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "segment" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "skipReason" TEXT,
    "sendAt" TIMESTAMP(3),
    "localSendTime" TEXT,
    "timeZone" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "providerId" TEXT,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Suppression" (
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "channel" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Suppression_pkey" PRIMARY KEY ("shop","customerId","channel","reason")
);

-- CreateTable
CREATE TABLE "ChannelConfig" (
    "shop" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "testedAt" TIMESTAMP(3),
    "testOk" BOOLEAN NOT NULL DEFAULT false,
    "testError" TEXT,
    "ratePerSecond" INTEGER NOT NULL DEFAULT 50,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelConfig_pkey" PRIMARY KEY ("shop","channel")
);

-- CreateIndex
CREATE INDEX "Campaign_shop_status_idx" ON "Campaign"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_shop_key_key" ON "Campaign"("shop", "key");

-- CreateIndex
CREATE INDEX "OutboxMessage_campaignId_status_sendAt_idx" ON "OutboxMessage"("campaignId", "status", "sendAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_shop_customerId_channel_idx" ON "OutboxMessage"("shop", "customerId", "channel");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_sendAt_idx" ON "OutboxMessage"("status", "sendAt");
