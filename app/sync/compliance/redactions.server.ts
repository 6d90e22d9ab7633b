import type { Executor } from "../store.server";
import type { CustomerRedaction } from "../webhooks/payloads";
import { customerIdOf, guestCheckoutOf, orderIdOf, REDACTED_MARK, withoutPersonalData } from "./redaction-sql";

// The lasting part of customers/redact: the record every write path checks (store.server.ts,
// delivery-recorder.server.ts), the stored webhook payloads about the customer stripped of personal
// data, and a sweep for rows a bulk load wrote while the redaction ran.

const idsJson = (ids: readonly bigint[]) => JSON.stringify(ids.map(String));

/**
 * Keeps (or moves later) the redaction of a customer: `at` is when Shopify asked. Repeated requests
 * keep the latest time and every order named.
 */
export async function recordRedaction(db: Executor, shop: string, redaction: CustomerRedaction, at: Date): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO "CustomerRedaction" AS c (shop, "customerId", "redactedAt", "orderIds")
     VALUES ($1, $2::bigint, ($3::timestamptz AT TIME ZONE 'UTC'), ARRAY(SELECT jsonb_array_elements_text($4::jsonb)::bigint))
     ON CONFLICT (shop, "customerId") DO UPDATE SET
       "redactedAt" = greatest(c."redactedAt", excluded."redactedAt"),
       "orderIds" = ARRAY(SELECT DISTINCT x FROM unnest(c."orderIds" || excluded."orderIds") AS x ORDER BY x)`,
    shop,
    redaction.customerId.toString(),
    at.toISOString(),
    idsJson(redaction.orderIds),
  );
}

/**
 * The shop's stored deliveries about the customer (or the orders named, or a guest's checkout with
 * their email or phone) keep ids only. Returns how many.
 */
export async function scrubDeliveries(db: Executor, shop: string, redaction: CustomerRedaction): Promise<number> {
  return db.$executeRawUnsafe(
    `UPDATE "WebhookDelivery" d SET payload = ${withoutPersonalData("d.payload")}
     WHERE d.shop = $1 AND d.payload -> '${REDACTED_MARK}' IS NULL
       AND (${customerIdOf("d.payload", "d.topic")} = $2
         OR ${orderIdOf("d.payload", "d.topic")} = ANY (ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))
         OR ${guestCheckoutOf("d.payload", "d.topic", "$4::text", "$5::text")})`,
    shop,
    redaction.customerId.toString(),
    idsJson(redaction.orderIds),
    redaction.contact?.email || null,
    redaction.contact?.phone || null,
  );
}

/**
 * Deletes the shop's customers, orders and checkouts stored in a version from before their
 * customer's redaction. Writes never store one; a bulk load's batch that raced the redaction could.
 */
export async function dropRedactedRows(db: Executor, shop: string): Promise<number> {
  const customers = await db.$executeRawUnsafe(
    `DELETE FROM "Customer" c USING "CustomerRedaction" x
     WHERE c.shop = $1 AND x.shop = $1 AND x."customerId" = c.id AND x."redactedAt" >= c."shopifyUpdatedAt"`,
    shop,
  );
  const orders = await db.$executeRawUnsafe(
    `DELETE FROM "Order" o USING "CustomerRedaction" x
     WHERE o.shop = $1 AND x.shop = $1 AND (o."customerId" = x."customerId" OR o.id = ANY (x."orderIds"))
       AND x."redactedAt" >= o."shopifyUpdatedAt"`,
    shop,
  );
  const checkouts = await db.$executeRawUnsafe(
    `DELETE FROM "Checkout" k USING "CustomerRedaction" x
     WHERE k.shop = $1 AND x.shop = $1 AND k."customerId" = x."customerId" AND x."redactedAt" >= k."shopifyUpdatedAt"`,
    shop,
  );
  return customers + orders + checkouts;
}
