-- Nothing reads customers or orders by (shop, shopifyUpdatedAt): reconciliation asks Shopify what
-- changed, and the stale-update guard compares the stored row it conflicts with. Each index cost a
-- write per order and per customer, most of all in a backfill.

-- DropIndex
DROP INDEX "Customer_shop_shopifyUpdatedAt_idx";

-- DropIndex
DROP INDEX "Order_shop_shopifyUpdatedAt_idx";
