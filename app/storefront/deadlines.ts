import { z } from "zod";
import { cutoffDate, promiseWindowStart, type ShippingCutoffs } from "../campaigns/calendar/shipping";
import { addDays, LocalDate, localDate, yearOf } from "../messaging/rules/local-dates";
import {
  formatLocalIso,
  instantAt,
  isValidTimeZone,
  parseLocalDate,
  wallAt,
} from "../messaging/rules/time-zone";

// The shipping deadlines the storefront banner shows (the app-data metafield holiday.deadlines):
// the shop's cut-offs for the Christmas ahead, as instants, so the banner needs no time zone
// arithmetic of its own — it shows the first deadline whose `until` is still ahead. Pure.

export const STOREFRONT_DEADLINES_VERSION = 1;

const EpochSeconds = z.number().int();
/** ISO 8601 local time with the zone's offset, whole seconds: 2026-12-15T23:59:59-05:00. */
const OffsetDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}(:\d{2})?$/, "ISO date-time with offset");

export const StorefrontDeadline = z
  .object({
    shipping: z.enum(["standard", "express"]),
    /** the cut-off's date in the shop's calendar */
    date: LocalDate,
    /** the last second of that date in the shop's zone, epoch seconds */
    until: EpochSeconds,
    /** `until` as the shop's wall clock with its offset (what Liquid prints without JS) */
    orderBy: OffsetDateTime,
  })
  .strict();
export type StorefrontDeadline = z.infer<typeof StorefrontDeadline>;

export const StorefrontDeadlines = z
  .object({
    version: z.literal(STOREFRONT_DEADLINES_VERSION),
    occasion: z.literal("Christmas"),
    timeZone: z.string().min(1),
    /** the banner stays hidden before this instant (epoch seconds): the promise window's first day */
    showFrom: EpochSeconds,
    /** ordered by `until`, strictly increasing */
    deadlines: z.array(StorefrontDeadline).max(2),
  })
  .strict();
export type StorefrontDeadlines = z.infer<typeof StorefrontDeadlines>;

export interface StorefrontDeadlinesInput {
  cutoffs: ShippingCutoffs;
  /** the shop's IANA zone */
  timeZone: string;
  now: Date;
}

const SECOND_MS = 1000;

/** The shop's calendar date at `instant` (ms). */
export function localDateAt(instant: number, timeZone: string): string {
  return new Date(wallAt(instant, timeZone)).toISOString().slice(0, 10);
}

/** The first instant (ms) of a local date: midnight, or the end of a gap that swallows it. */
function startOfDay(date: string, timeZone: string): number {
  return instantAt(parseLocalDate(date), timeZone).instant;
}

/** The last whole second (ms) of a local date: one second before the next day begins. */
function endOfDay(date: string, timeZone: string): number {
  return startOfDay(addDays(date, 1), timeZone) - SECOND_MS;
}

/** The year of the Christmas ahead on `today`: this year's until Dec 25, then next year's. */
export function seasonYear(today: string): number {
  const year = yearOf(today);
  return today > localDate(year, 12, 25) ? year + 1 : year;
}

function deadline(shipping: StorefrontDeadline["shipping"], date: string, timeZone: string): StorefrontDeadline {
  const end = endOfDay(date, timeZone);
  return { shipping, date, until: end / SECOND_MS, orderBy: formatLocalIso(end, timeZone) };
}

/**
 * The deadlines of the season whose Christmas is next in the shop's calendar (from Dec 26 on, next
 * year's): standard, then express. An express cut-off on the standard's own day adds nothing the
 * banner could show (the standard one is shown until the same second), so it is left out and the
 * `until`s stay strictly increasing. RangeError on a zone Intl does not know.
 */
export function storefrontDeadlines(input: StorefrontDeadlinesInput): StorefrontDeadlines {
  const { cutoffs, timeZone } = input;
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Not a time zone: ${timeZone}`);
  const year = seasonYear(localDateAt(input.now.getTime(), timeZone));
  const standard = cutoffDate(year, cutoffs.standard);
  const express = cutoffDate(year, cutoffs.express);
  const deadlines = [deadline("standard", standard, timeZone)];
  if (express > standard) deadlines.push(deadline("express", express, timeZone));
  return {
    version: STOREFRONT_DEADLINES_VERSION,
    occasion: "Christmas",
    timeZone,
    showFrom: startOfDay(promiseWindowStart(cutoffs, year), timeZone) / SECOND_MS,
    deadlines,
  };
}
