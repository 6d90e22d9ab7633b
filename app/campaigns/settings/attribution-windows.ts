import { z } from "zod";

// How long after a message a sale is credited to it, per shop. The defaults are the industry's
// (a click on an email within 5 days, on a text within 24 hours); the conversion window is the
// one lift compares treated and holdout customers over. Pure.

export const AttributionWindows = z
  .object({
    emailClickHours: z.number().int().min(1).max(30 * 24).default(5 * 24),
    smsClickHours: z.number().int().min(1).max(30 * 24).default(24),
    /** a discount code issued by a message counts for this long after it was sent */
    discountCodeDays: z.number().int().min(1).max(90).default(30),
    /** lift: orders within this many days of each customer's planned send */
    conversionDays: z.number().int().min(1).max(60).default(5),
  })
  .strict();
export type AttributionWindows = z.infer<typeof AttributionWindows>;

export const DEFAULT_ATTRIBUTION_WINDOWS: AttributionWindows = Object.freeze(AttributionWindows.parse({}));
