-- CreateTable
CREATE TABLE "MarketingReportDay" (
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "claimedUntil" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "MarketingReportDay_pkey" PRIMARY KEY ("shop","kind","sourceId","day")
);
