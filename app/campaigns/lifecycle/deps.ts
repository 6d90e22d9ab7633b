import type { PrismaClient } from "@prisma/client";
import type { RawQuery } from "../../db/sql";

// What the campaigns stage needs from the outside: the database (raw SQL for the batch statements,
// the campaign model for single reads, the shop's campaign settings), a clock and a log line (ids and
// counts only).

export type CampaignDb = Pick<
  PrismaClient,
  "$queryRawUnsafe" | "$executeRawUnsafe" | "campaign" | "shopSettings"
>;

export interface CampaignDeps {
  prisma: CampaignDb;
  /** a plan's page inserts (megabyte parameters): a pool of their own on PostgreSQL; default `prisma` */
  writer?: RawQuery;
  now(): Date;
  /** one line per step; never personal data */
  log(line: string): void;
}

/** JSON for a jsonb parameter: bigints as text (cast back in SQL). */
export const jsonParam = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

// Columns are `timestamp(3)` holding UTC: ISO text in, converted explicitly, whatever the session zone.
export const utc = (param: string): string => `((${param}::text)::timestamptz AT TIME ZONE 'UTC')`;

/**
 * The next Campaign.updatedAt: strictly later than the stored one even within a millisecond, so it
 * works as a version: a plan checks it before each batch and stops when anything else touched the campaign.
 */
export const bumpUpdatedAt = (alias?: string): string =>
  `greatest(clock_timestamp() AT TIME ZONE 'UTC', ${alias ? `${alias}.` : ""}"updatedAt" + interval '1 millisecond')`;
