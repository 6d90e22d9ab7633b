import type { PrismaClient } from "@prisma/client";
import { APP_TAGS, TAG_PREFIX } from "./plan";

/** A customer whose tags Shopify confirmed: it now carries rfm:<segment>, or no app tag (null). */
export interface Tagged {
  id: bigint;
  segment: string | null;
}

const CHUNK = 5_000;

/**
 * Stores what Shopify now holds: taggedSegment, and the stored tags without the app's tags plus the
 * one written. The stored tags would follow with the customers/update webhook; editing them in
 * place (not from the row read earlier) keeps a webhook applied meanwhile intact.
 */
export async function recordTagged(
  prisma: PrismaClient,
  shop: string,
  tagged: readonly Tagged[],
): Promise<void> {
  for (let from = 0; from < tagged.length; from += CHUNK) {
    const chunk = tagged.slice(from, from + CHUNK);
    const ids = chunk.map((t) => t.id.toString());
    const segments = chunk.map((t) => t.segment);
    await prisma.$executeRaw`
      UPDATE "Customer" AS c
      SET "taggedSegment" = v.segment,
          tags = ARRAY(SELECT t FROM unnest(c.tags) AS t WHERE t <> ALL(${[...APP_TAGS]}::text[]))
            || CASE WHEN v.segment IS NULL THEN '{}'::text[] ELSE ARRAY[${TAG_PREFIX}::text || v.segment] END
      FROM unnest(${ids}::text[], ${segments}::text[]) AS v(id, segment)
      WHERE c.shop = ${shop} AND c.id = v.id::bigint`;
  }
}
