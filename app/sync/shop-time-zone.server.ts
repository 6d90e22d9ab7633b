import type { PrismaClient } from "@prisma/client";
import { displayZone } from "../ui/format-time";

/**
 * The zone the shop's pages show times in: Shopify's `ianaTimezone`, read with the shop's facts at
 * each sync (UTC until the first sync has read it).
 */
export async function shopTimeZone(prisma: Pick<PrismaClient, "shop">, shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return displayZone(row?.ianaTimezone);
}
