import type { PrismaClient } from "@prisma/client";
import { storefrontHost } from "../products/catalogue";
import type { ShopInfo } from "./variables";

/** What templates show of the shop: its name, storefront host and currency (fallbacks for a shop not synced yet). */
export async function shopInfo(prisma: Pick<PrismaClient, "shop">, shop: string): Promise<ShopInfo> {
  const row = await prisma.shop.findUnique({
    where: { domain: shop },
    select: { name: true, currencyCode: true, primaryDomain: true },
  });
  return {
    name: row?.name || shop,
    domain: storefrontHost(row?.primaryDomain, shop),
    currencyCode: row?.currencyCode || "USD",
  };
}
