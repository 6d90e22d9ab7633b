-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "storefrontSettings" JSONB;

-- CreateTable
CREATE TABLE "ConsentDisclosure" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "locale" TEXT,
    "firstShownAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentDisclosure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentRecord" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" BIGINT NOT NULL,
    "channel" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "optInLevel" TEXT NOT NULL,
    "disclosureId" TEXT,
    "source" TEXT NOT NULL,
    "pageUrl" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "confirms" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignupAttempt" (
    "shop" TEXT NOT NULL,
    "ipHash" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "SignupAttempt_pkey" PRIMARY KEY ("shop","ipHash","minute")
);

-- CreateIndex
CREATE INDEX "ConsentDisclosure_shop_idx" ON "ConsentDisclosure"("shop");

-- CreateIndex
CREATE INDEX "ConsentRecord_shop_customerId_recordedAt_idx" ON "ConsentRecord"("shop", "customerId", "recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConsentRecord_shop_confirms_key" ON "ConsentRecord"("shop", "confirms");

-- The ledger is evidence: rows are added, never changed (redaction deletes them).
CREATE FUNCTION "ConsentRecord_refuse_update"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ConsentRecord is append-only: record a new row instead of changing %', OLD."id";
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ConsentRecord_append_only" BEFORE UPDATE ON "ConsentRecord"
  FOR EACH ROW EXECUTE FUNCTION "ConsentRecord_refuse_update"();
