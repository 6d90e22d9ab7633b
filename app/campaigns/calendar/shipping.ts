import { z } from "zod";
import { addDays, localDate, yearOf, type LocalDate } from "../../messaging/rules/local-dates";
import type { TemplateDelivery } from "../../messaging/templates/variables";

// The shop's Christmas shipping cut-offs: the last day an order ships in time to arrive by Christmas,
// for standard and for express delivery. A merchant states each one either as a date ("12-15") or as
// a number of days before Christmas (10), whichever their carrier publishes. Pure.

const EARLIEST = "11-01";
const LATEST = "12-24";
/** Nov 1 → Dec 25 is 54 days in every year, so "days before Christmas" and a date compare directly. */
const MAX_DAYS_BEFORE = 54;

function daysBeforeChristmasOf(monthDay: string): number {
  // Any non-leap year gives the same distance for November and December dates.
  const [month, day] = monthDay.split("-").map(Number);
  if (month === 12) return 25 - (day ?? 0);
  return 30 - (day ?? 0) + 25;
}

function cutoffField(label: string) {
  const MonthDay = z
    .string({ invalid_type_error: `${label} date must be text like "12-15" (month-day)` })
    .regex(/^(11-(0[1-9]|[12]\d|30)|12-(0[1-9]|1\d|2[0-4]))$/, {
      message: `${label} date must be a month-day from ${EARLIEST} to ${LATEST}, like "12-15"`,
    });
  const DaysBefore = z
    .number({ invalid_type_error: `${label} days before Christmas must be a number` })
    .int(`${label} days before Christmas must be a whole number of days`)
    .min(1, `${label} must be at least 1 day before Christmas`)
    .max(MAX_DAYS_BEFORE, `${label} must be at most ${MAX_DAYS_BEFORE} days before Christmas (Nov 1)`);
  return z
    .object(
      { date: MonthDay.optional(), daysBeforeChristmas: DaysBefore.optional() },
      { invalid_type_error: `${label} must be { "date": "12-15" } or { "daysBeforeChristmas": 10 }` },
    )
    .strict(`${label} takes only "date" or "daysBeforeChristmas"`)
    .superRefine((cutoff, ctx) => {
      const given = (cutoff.date === undefined ? 0 : 1) + (cutoff.daysBeforeChristmas === undefined ? 0 : 1);
      if (given !== 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `${label} needs exactly one of "date" (like "12-15") or "daysBeforeChristmas" (like 10)`,
        });
      }
    });
}

export const ShippingCutoff = cutoffField("Shipping cut-off");
export type ShippingCutoff = z.infer<typeof ShippingCutoff>;

export const DEFAULT_SHIPPING_CUTOFFS = Object.freeze({
  standard: Object.freeze({ date: "12-15" }),
  express: Object.freeze({ date: "12-20" }),
});

/** Days before Christmas of a cut-off that passed its own checks. */
export function cutoffDaysBeforeChristmas(cutoff: ShippingCutoff): number {
  if (cutoff.daysBeforeChristmas !== undefined) return cutoff.daysBeforeChristmas;
  return daysBeforeChristmasOf(cutoff.date ?? "12-24");
}

const StandardCutoff = cutoffField("Standard shipping cut-off");
const ExpressCutoff = cutoffField("Express shipping cut-off");

const ShippingCutoffFields = z.object(
  {
    standard: StandardCutoff.default(DEFAULT_SHIPPING_CUTOFFS.standard),
    express: ExpressCutoff.default(DEFAULT_SHIPPING_CUTOFFS.express),
  },
  { invalid_type_error: 'Shipping cut-offs must be an object like { "standard": { "date": "12-15" } }' },
);

export const ShippingCutoffs = ShippingCutoffFields.strict(
  'Shipping cut-offs take only "standard" and "express"',
).superRefine((cutoffs, ctx) => {
  // Compared only when both are valid on their own, so one typo gets one message, not two.
  if (
    !StandardCutoff.safeParse(cutoffs.standard).success ||
    !ExpressCutoff.safeParse(cutoffs.express).success
  )
    return;
  const standard = cutoffDaysBeforeChristmas(cutoffs.standard);
  const express = cutoffDaysBeforeChristmas(cutoffs.express);
  // Express ships faster, so its last order day comes later; an earlier one is a typo.
  if (express > standard) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["express"],
      message: `Express shipping cut-off (${express} days before Christmas) must not be earlier than the standard cut-off (${standard} days before Christmas): express delivery is the faster one`,
    });
  }
});
export type ShippingCutoffs = z.infer<typeof ShippingCutoffs>;

/** The cut-off's calendar date in the given year. */
export function cutoffDate(year: number, cutoff: ShippingCutoff): LocalDate {
  return addDays(localDate(year, 12, 25), -cutoffDaysBeforeChristmas(cutoff));
}

/** A promise of Christmas delivery is news only in the weeks before the cut-off, not in spring. */
export const PROMISE_WINDOW_DAYS = 45;

/** The first day of the year's promise window: PROMISE_WINDOW_DAYS before the standard cut-off. */
export function promiseWindowStart(cutoffs: ShippingCutoffs, year: number): LocalDate {
  return addDays(cutoffDate(year, cutoffs.standard), -PROMISE_WINDOW_DAYS);
}

/**
 * The delivery promise a message sent on `today` (the shop's date) can make: the standard cut-off
 * while it is ahead, then the express one, then none — a promise never names a day that has passed.
 */
export function deliveryPromiseOn(cutoffs: ShippingCutoffs, today: LocalDate): TemplateDelivery | null {
  const year = yearOf(today);
  const christmas = localDate(year, 12, 25);
  const promise = (shipping: TemplateDelivery["shipping"], date: LocalDate): TemplateDelivery => ({
    orderBy: `${date}T23:59`,
    shipping,
    occasion: "Christmas",
    date: christmas,
  });
  if (today < promiseWindowStart(cutoffs, year)) return null;
  const standard = cutoffDate(year, cutoffs.standard);
  if (today <= standard) return promise("standard", standard);
  const express = cutoffDate(year, cutoffs.express);
  if (today <= express) return promise("express", express);
  return null;
}
