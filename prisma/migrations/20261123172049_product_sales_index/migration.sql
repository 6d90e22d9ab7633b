-- CreateIndex
CREATE INDEX "Product_shop_salesCount_idx" ON "Product"("shop", "salesCount");
