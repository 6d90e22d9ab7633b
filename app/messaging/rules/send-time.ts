import {
  instantAt,
  isValidTimeZone,
  MINUTE_MS,
  parseLocalDate,
  parseLocalTime,
  type LocalTimeAdjustment,
} from "./time-zone";

// The campaign's local send time in the customer's zone (issue 5). Pure.

/** Why the zone used is not the customer's own. */
export const TIME_ZONE_FALLBACKS = [
  "customer_zone_missing",
  "customer_zone_invalid",
  "shop_zone_invalid",
] as const;
export type TimeZoneFallback = (typeof TIME_ZONE_FALLBACKS)[number];

export interface ZoneChoice {
  timeZone: string;
  /** null when the customer's own zone is used */
  timeZoneFallback: TimeZoneFallback | null;
}

/**
 * The customer's zone (Shopify's `defaultAddress.timeZone`), else the shop's `ianaTimezone`, else
 * UTC when even that is unusable, with the reason recorded.
 */
export function chooseTimeZone(
  customerTimeZone: string | null | undefined,
  shopTimeZone: string,
): ZoneChoice {
  const customer = customerTimeZone?.trim() ?? "";
  const shop = shopTimeZone.trim();
  if (isValidTimeZone(customer)) return { timeZone: customer, timeZoneFallback: null };
  if (!isValidTimeZone(shop)) return { timeZone: "UTC", timeZoneFallback: "shop_zone_invalid" };
  return {
    timeZone: shop,
    timeZoneFallback: customer === "" ? "customer_zone_missing" : "customer_zone_invalid",
  };
}

export interface LocalSendTime extends ZoneChoice {
  at: Date;
  /** "gap_moved_forward": the time did not exist that day (spring forward): the first moment after the gap;
   *  "ambiguous_first_occurrence": it happened twice (fall back) and the first one is used. */
  localTimeAdjustment: LocalTimeAdjustment;
}

/**
 * The instant `localDate` `localTime` (e.g. "2026-11-27", "10:00") happens in `timeZone`, falling
 * back to `fallbackTimeZone` (the shop's) when the customer's zone is missing or unknown.
 * Throws RangeError on a malformed date or time: campaigns are validated before planning.
 */
export function localSendTime({
  localDate,
  localTime,
  timeZone,
  fallbackTimeZone,
}: {
  localDate: string;
  localTime: string;
  timeZone: string | null;
  fallbackTimeZone: string;
}): LocalSendTime {
  const wall = parseLocalDate(localDate) + parseLocalTime(localTime) * MINUTE_MS;
  const zone = chooseTimeZone(timeZone, fallbackTimeZone);
  const { instant, adjustment } = instantAt(wall, zone.timeZone);
  return { ...zone, at: new Date(instant), localTimeAdjustment: adjustment };
}
