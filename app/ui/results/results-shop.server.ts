import type { PrismaClient } from "@prisma/client";
import type { AttributionWindows } from "../../campaigns/settings/attribution-windows";
import { getCampaignSettings } from "../../campaigns/settings/campaign-settings.server";
import { logger } from "../../logger.server";
import { formatMoney } from "../../segments/report.server";
import { currencyExponent } from "../../sync/money";
import { displayZone } from "../format-time";
import type { Money } from "./results-view";

// What every Results page needs of the shop: its clock, its currency (money formatted exactly
// here, on the server) and its attribution windows.

export interface ResultsShop {
  zone: string;
  currencyCode: string | null;
  money: Money;
  /** digits after the decimal point: the charts' revenue in major units */
  exponent: number;
  windows: AttributionWindows;
}

export type ResultsShopDb = Pick<PrismaClient, "shop" | "shopSettings">;

export async function resultsShop(prisma: ResultsShopDb, shop: string): Promise<ResultsShop> {
  const [row, settings] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true, currencyCode: true } }),
    getCampaignSettings(prisma, shop, (line) => logger.warn(line)),
  ]);
  const currencyCode = row?.currencyCode ?? null;
  return {
    zone: displayZone(row?.ianaTimezone),
    currencyCode,
    money: (minor) => formatMoney(minor, currencyCode),
    exponent: currencyExponent(currencyCode ?? "USD"),
    windows: settings.attribution,
  };
}
