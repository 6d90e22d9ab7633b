-- CreateIndex
CREATE INDEX "Order_shop_syncedAt_idx" ON "Order"("shop", "syncedAt");
