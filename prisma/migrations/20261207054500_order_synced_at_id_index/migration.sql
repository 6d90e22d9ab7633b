-- Attribution pages through orders by ("syncedAt", id) after a cursor. A backfill stores hundreds
-- of thousands of orders with one "syncedAt": without id in the index every page read and sorted
-- them all again (a million-customer shop's backfill crawled under it).
DROP INDEX "Order_shop_syncedAt_idx";

CREATE INDEX "Order_shop_syncedAt_id_idx" ON "Order"("shop", "syncedAt", "id");
