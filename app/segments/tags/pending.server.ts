import { Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { TagMode } from "./deps";
import { APP_TAGS, type TaggableCustomer } from "./plan";

// The rescore keeps segments in CustomerScore; a customer never scored reads as prospect.
const SEGMENT = Prisma.sql`COALESCE(s.segment, 'prospect')`;

const Row = z.object({
  id: z.string().regex(/^\d+$/),
  segment: z.string(),
  taggedSegment: z.string().nullable(),
  tags: z.array(z.string()).nullable(), // a list column Prisma never wrote is NULL
});

/**
 * The shop's next customers after `after`, by id, whose tags in Shopify must change: with "tag",
 * those whose segment differs from the one last written; with "untag", those the app tagged or
 * that still carry an app tag. This is the one place the write-back reads segments.
 */
export async function pendingCustomers(
  prisma: Pick<PrismaClient, "$queryRaw">,
  shop: string,
  mode: TagMode,
  after: bigint,
  take: number,
): Promise<TaggableCustomer[]> {
  const rows =
    mode === "tag"
      ? await prisma.$queryRaw<unknown[]>`
          SELECT c.id::text AS id, ${SEGMENT} AS segment, c."taggedSegment", c.tags
          FROM "Customer" c LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id
          WHERE c.shop = ${shop} AND c.id > ${after.toString()}::bigint AND c."taggedSegment" IS DISTINCT FROM ${SEGMENT}
          ORDER BY c.id
          LIMIT ${take}`
      : await prisma.$queryRaw<unknown[]>`
          SELECT c.id::text AS id, ${SEGMENT} AS segment, c."taggedSegment", c.tags
          FROM "Customer" c LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id
          WHERE c.shop = ${shop} AND c.id > ${after.toString()}::bigint
            AND (c."taggedSegment" IS NOT NULL OR c.tags && ${[...APP_TAGS]}::text[])
          ORDER BY c.id
          LIMIT ${take}`;
  return z
    .array(Row)
    .parse(rows)
    .map((row) => ({ ...row, id: BigInt(row.id), tags: row.tags ?? [] }));
}
