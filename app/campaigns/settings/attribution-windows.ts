import { z } from "zod";

// How long after a message a sale is credited to it, per shop. The defaults are the industry's
// (a click on an email within 5 days, on a text within 24 hours); the conversion window is the
// one lift compares treated and holdout customers over. Pure.

const hours = (label: string, max: number) =>
  z
    .number({ invalid_type_error: `${label} must be a number of hours` })
    .int(`${label} must be whole hours`)
    .min(1, `${label} must be from 1 to ${max} hours`)
    .max(max, `${label} must be from 1 to ${max} hours`);
const days = (label: string, max: number) =>
  z
    .number({ invalid_type_error: `${label} must be a number of days` })
    .int(`${label} must be whole days`)
    .min(1, `${label} must be from 1 to ${max} days`)
    .max(max, `${label} must be from 1 to ${max} days`);

export const AttributionWindows = z
  .object({
    emailClickHours: hours("The email click window", 30 * 24).default(5 * 24),
    smsClickHours: hours("The text click window", 30 * 24).default(24),
    /** a discount code issued by a message counts for this long after it was sent */
    discountCodeDays: days("The discount code window", 90).default(30),
    /** lift: orders within this many days of each customer's planned send */
    conversionDays: days("The lift window", 60).default(5),
  })
  .strict();
export type AttributionWindows = z.infer<typeof AttributionWindows>;

export const DEFAULT_ATTRIBUTION_WINDOWS: AttributionWindows = Object.freeze(AttributionWindows.parse({}));
