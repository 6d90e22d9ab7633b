-- Webhook batches are rescored by index-only counts over Customer, and every page a webhook updated
-- stops being all-visible until a vacuum: at a million customers a batch of 700 took 228 ms on a
-- freshly vacuumed table, 620 ms after 5,000 updates and 2.1 s after 30,000. Autovacuum's default
-- waits for 20% of the rows (200,000 updates there); this vacuums after 1% (or 1,000 for a small
-- shop), so at peak the table is vacuumed about once a minute (autovacuum's naptime).
ALTER TABLE "Customer" SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);
