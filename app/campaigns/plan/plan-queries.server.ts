import { CHANNELS, SUPPRESSION_REASONS, type Channel, type SendRecord, type Suppression } from "../audience";
import { CAP_COUNTED_STATUSES, sqlList } from "../lifecycle/campaign-status";
import { bumpUpdatedAt, utc, type CampaignDb } from "../lifecycle/deps";
import type { RawQuery } from "../../db/sql";
import { suppressionInForce } from "../../messaging/delivery-events/suppression-sql";
import type { PlannedStatus, PlanningCustomer } from "./plan-rows";
import { sendLabel } from "./plan-rows";

// The statements of planning, all scoped by shop. Pages come back as ONE json_agg text value (parsing
// one string is far cheaper than Prisma decoding thousands of rows) and are checked field by field.

type Db = Pick<CampaignDb, "$queryRawUnsafe">;

export const FIRST_ID = "-9223372036854775808";

const isText = (v: unknown): v is string => typeof v === "string";
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";
const isChannel = (v: unknown): v is Channel => CHANNELS.some((c) => c === v);
const isSuppressionChannel = (v: unknown): v is Channel | "all" => v === "all" || isChannel(v);
const isReason = (v: unknown): v is Suppression["reason"] => SUPPRESSION_REASONS.some((r) => r === v);

function tuples(text: unknown, what: string): unknown[][] {
  const parsed: unknown = typeof text === "string" ? JSON.parse(text) : null;
  if (!Array.isArray(parsed) || !parsed.every((t): t is unknown[] => Array.isArray(t)))
    throw new Error(`planning: unexpected ${what} result`);
  return parsed;
}

async function oneText(db: Db, sql: string, ...params: unknown[]): Promise<unknown> {
  const rows = await db.$queryRawUnsafe<Array<{ rows: unknown }>>(sql, ...params);
  return rows[0]?.rows;
}

/**
 * Marks the campaign as being planned (plannedAt null, a new updatedAt = the plan's version) and
 * deletes its previous plan, in one statement; only a draft. Null when it is not a draft of this shop.
 */
export async function startPlan(
  db: Db,
  shop: string,
  campaignId: string,
): Promise<{ version: string; definition: unknown; segment: string; replaced: number } | null> {
  const rows = await db.$queryRawUnsafe<
    Array<{ version: string; definition: string; segment: string; replaced: number }>
  >(
    `WITH c AS (
       UPDATE "Campaign" SET "plannedAt" = NULL, "updatedAt" = ${bumpUpdatedAt()}
       WHERE id = $1 AND shop = $2 AND status = 'draft'
       RETURNING id, to_char("updatedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS version, definition::text AS definition, segment),
     d AS (DELETE FROM "OutboxMessage" WHERE shop = $2 AND "campaignId" IN (SELECT id FROM c)
       AND status IN ('planned', 'holdout', 'skipped') RETURNING 1)
     SELECT c.version, c.definition, c.segment, (SELECT count(*) FROM d)::int AS replaced FROM c`,
    campaignId,
    shop,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    version: row.version,
    definition: JSON.parse(row.definition),
    segment: row.segment,
    replaced: row.replaced,
  };
}

const CUSTOMER_FIELDS = `json_build_array(t.id::text, t.e, t.p, t.es, t.ss, t.cc, t.pc, t.tz) ORDER BY t.id`;
const COLUMNS = `(c.email IS NOT NULL AND btrim(c.email) <> '') AS e, (c.phone IS NOT NULL AND btrim(c.phone) <> '') AS p,
  c."emailMarketingState" AS es, c."smsMarketingState" AS ss, c."countryCode" AS cc, c."provinceCode" AS pc, c."timeZone" AS tz`;

/** Every customer id of the shop's `segment` (the audience the holdout share is taken of). */
export async function readSegmentIds(db: Db, shop: string, segment: string): Promise<string[]> {
  const sql =
    segment === "prospect"
      ? `SELECT coalesce(json_agg(c.id::text), '[]')::text AS rows FROM "Customer" c
         LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id
         WHERE c.shop = $1 AND coalesce(s.segment, 'prospect') = $2`
      : `SELECT coalesce(json_agg(s."customerId"::text), '[]')::text AS rows FROM "CustomerScore" s
         WHERE s.shop = $1 AND s.segment = $2`;
  const text = await oneText(db, sql, shop, segment);
  const parsed: unknown = typeof text === "string" ? JSON.parse(text) : null;
  if (!Array.isArray(parsed) || !parsed.every(isText)) throw new Error("planning: bad customer ids");
  return parsed;
}

/**
 * The next page of the shop's customers of `segment` after `afterId`, by id. Scored segments are
 * read through the narrow CustomerScore rows; prospects include customers never scored.
 */
export async function readCustomerPage(
  db: Db,
  shop: string,
  segment: string,
  afterId: string,
  limit: number,
): Promise<PlanningCustomer[]> {
  const inner =
    segment === "prospect"
      ? `SELECT c.id, ${COLUMNS} FROM "Customer" c
         LEFT JOIN "CustomerScore" s ON s.shop = c.shop AND s."customerId" = c.id
         WHERE c.shop = $1 AND c.id > ($3::text)::bigint AND coalesce(s.segment, 'prospect') = $2
         ORDER BY c.id LIMIT $4`
      : `SELECT s."customerId" AS id, ${COLUMNS} FROM "CustomerScore" s
         JOIN "Customer" c ON c.shop = s.shop AND c.id = s."customerId"
         WHERE s.shop = $1 AND s.segment = $2 AND s."customerId" > ($3::text)::bigint
         ORDER BY s."customerId" LIMIT $4`;
  const text = await oneText(
    db,
    `SELECT coalesce(json_agg(${CUSTOMER_FIELDS}), '[]')::text AS rows FROM (${inner}) t`,
    shop,
    segment,
    afterId,
    limit,
  );
  return tuples(text, "customer").map(([id, e, p, es, ss, cc, pc, tz]) => {
    if (!isText(id) || typeof e !== "boolean" || typeof p !== "boolean")
      throw new Error("planning: bad customer row");
    if (![es, ss, cc, pc, tz].every(isTextOrNull)) throw new Error("planning: bad customer row");
    return {
      id,
      segment,
      hasEmail: e,
      hasPhone: p,
      emailMarketingState: isText(es) ? es : null,
      smsMarketingState: isText(ss) ? ss : null,
      countryCode: isText(cc) ? cc : null,
      provinceCode: isText(pc) ? pc : null,
      timeZone: isText(tz) ? tz : null,
    };
  });
}

/**
 * `{1,2,3}`: a bigint[] literal. Joined LATERAL (OFFSET 0 keeps the planner from flattening it into a
 * hash join over all the shop's rows), so each customer is one probe of the
 * (shop, customerId, …) index whatever the table's statistics say (a fresh outbox has none, and a
 * plain = ANY then filtered every row of the shop against 5,000 keys).
 */
const idArray = (ids: readonly string[]): string => `{${ids.join(",")}}`;

/** The customers' suppressions; unknown channels or reasons (none are written) are ignored. */
export async function readSuppressions(
  db: Db,
  shop: string,
  ids: readonly string[],
): Promise<Map<string, Suppression[]>> {
  const text = await oneText(
    db,
    `SELECT coalesce(json_agg(json_build_array(k.id::text, s.channel, s.reason)), '[]')::text AS rows
     FROM unnest(($2::text)::bigint[]) AS k(id)
     CROSS JOIN LATERAL (SELECT channel, reason FROM "Suppression" x
       WHERE x.shop = $1 AND x."customerId" = k.id AND ${suppressionInForce("x")} OFFSET 0) s`,
    shop,
    idArray(ids),
  );
  const out = new Map<string, Suppression[]>();
  for (const [id, channel, reason] of tuples(text, "suppression")) {
    if (!isText(id) || !isSuppressionChannel(channel) || !isReason(reason)) continue;
    const list = out.get(id) ?? [];
    list.push({ channel, reason });
    out.set(id, list);
  }
  return out;
}

/** The customers' messages of other campaigns that count against caps: planned, queued, sending, sent. */
export async function readCapHistory(
  db: Db,
  shop: string,
  campaignId: string,
  ids: readonly string[],
): Promise<Map<string, SendRecord[]>> {
  const text = await oneText(
    db,
    `SELECT coalesce(json_agg(json_build_array(k.id::text, o."campaignId", o."sendKey", o.channel,
         floor(extract(epoch FROM o.at) * 1000))), '[]')::text AS rows
     FROM unnest(($2::text)::bigint[]) AS k(id)
     CROSS JOIN LATERAL (SELECT "campaignId", "sendKey", channel, coalesce("sentAt", "sendAt") AS at FROM "OutboxMessage"
       WHERE shop = $1 AND "customerId" = k.id AND "campaignId" <> $3
         AND status IN (${sqlList(CAP_COUNTED_STATUSES)}) AND "countsTowardCaps" AND coalesce("sentAt", "sendAt") IS NOT NULL OFFSET 0) o`,
    shop,
    idArray(ids),
    campaignId,
  );
  const out = new Map<string, SendRecord[]>();
  for (const [id, campaign, sendKey, channel, at] of tuples(text, "history")) {
    if (!isText(id) || !isText(campaign) || !isText(sendKey) || !isChannel(channel) || typeof at !== "number")
      continue;
    const list = out.get(id) ?? [];
    list.push({ campaign: sendLabel(campaign, sendKey), channel, at: new Date(at) });
    out.set(id, list);
  }
  return out;
}

/** A row for insertMessages, with short keys: the batch travels as one JSON parameter. */
export interface MessageInsert {
  i: string;
  k: string;
  c: string;
  h: Channel;
  s: PlannedStatus;
  r: string | null;
  t: string | null;
  l: string | null;
  z: string;
}

/**
 * One batch in ONE statement (json_to_recordset: like the sync's jsonb_to_recordset, minus the
 * conversion to jsonb, about 10% faster here), only while the campaign is still this plan's version (a FOR SHARE lock
 * on the campaign row: an edit, a status change or a newer plan waits for the batch or stops it).
 * `current` false: the plan was superseded and nothing was written.
 */
export async function insertMessages(
  db: RawQuery,
  shop: string,
  campaignId: string,
  version: string,
  segment: string,
  rows: readonly MessageInsert[],
): Promise<{ current: boolean; inserted: number }> {
  const result = await db.$queryRawUnsafe(
    `WITH c AS (SELECT id FROM "Campaign" WHERE id = $2 AND shop = $1 AND status = 'draft' AND "updatedAt" = ${utc("$3")} FOR SHARE),
     i AS (
       INSERT INTO "OutboxMessage" (id, shop, "campaignId", "sendKey", "customerId", segment, channel, status, "skipReason",
         "sendAt", "localSendTime", "timeZone", "createdAt", "updatedAt")
       SELECT r.i, $1, $2, r.k, r.c, $4, r.h, r.s, r.r, r.t AT TIME ZONE 'UTC', r.l, r.z,
         now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
       FROM json_to_recordset($5::json) AS r(i text, k text, c bigint, h text, s text, r text, t timestamptz, l text, z text)
       WHERE EXISTS (SELECT 1 FROM c)
       ON CONFLICT (id) DO NOTHING
       RETURNING 1)
     SELECT (SELECT count(*) FROM c)::int AS current, (SELECT count(*) FROM i)::int AS inserted`,
    // every field is a string or null: no bigint to convert
    shop,
    campaignId,
    version,
    segment,
    JSON.stringify(rows),
  );
  const row: unknown = Array.isArray(result) ? result[0] : null;
  const current: unknown = typeof row === "object" && row !== null ? Reflect.get(row, "current") : null;
  const inserted: unknown = typeof row === "object" && row !== null ? Reflect.get(row, "inserted") : null;
  if (typeof current !== "number" || typeof inserted !== "number")
    throw new Error("planning: unexpected insert result");
  return { current: current > 0, inserted };
}

/** Records the plan as complete, if it is still the campaign's version. */
export async function finishPlan(
  db: Pick<CampaignDb, "$executeRawUnsafe">,
  shop: string,
  campaignId: string,
  version: string,
  plannedAt: Date,
): Promise<boolean> {
  const n = await db.$executeRawUnsafe(
    `UPDATE "Campaign" SET "plannedAt" = ${utc("$4")}
     WHERE id = $1 AND shop = $2 AND status = 'draft' AND "updatedAt" = ${utc("$3")}`,
    campaignId,
    shop,
    version,
    plannedAt.toISOString(),
  );
  return n === 1;
}

/** The shop's IANA zone as the backfill stored it (Shop.ianaTimezone), or null. */
export async function shopTimeZone(db: Db, shop: string): Promise<string | null> {
  const rows = await db.$queryRawUnsafe<Array<{ zone: string | null }>>(
    `SELECT "ianaTimezone" AS zone FROM "Shop" WHERE domain = $1`,
    shop,
  );
  return rows[0]?.zone ?? null;
}
