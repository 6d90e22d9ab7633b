import { CampaignError } from "./campaign-error";
import {
  CANCELLED_REASON,
  checkTransition,
  fromStatuses,
  sqlList,
  type CampaignAction,
  type CampaignStatus,
} from "./campaign-status";
import { bumpUpdatedAt, utc, type CampaignDeps } from "./deps";
import { getCampaign } from "./read-campaign.server";

// Status changes, each ONE statement: a conditional UPDATE of the campaign (… WHERE status IN (the
// action's from-statuses)) and, in a data-modifying CTE of the same statement, the change of its
// rows. Two racing requests cannot both apply an action; asking again for what is already done
// answers `changed: false`. The dispatcher claims queued rows only of scheduled or sending campaigns
// (DISPATCHABLE_STATUSES), so pausing stops new claims at once; rows already claimed finish.

export type MerchantAction = Extract<CampaignAction, "schedule" | "pause" | "resume" | "cancel">;

export interface StatusChange {
  campaignId: string;
  action: CampaignAction;
  status: CampaignStatus;
  /** false: it was already done (or, for complete, messages remain) */
  changed: boolean;
  /** rows moved: planned → queued (schedule), planned/queued → skipped (cancel); else 0 */
  rows: number;
}

const TARGET = `id = $1 AND shop = $2`;
const from = (action: CampaignAction) => `status IN (${sqlList(fromStatuses(action))})`;
const OUT = `(SELECT count(*) FROM c)::int AS changed`;

// $1 campaign id, $2 shop, $3 now (ISO), $4 channels known not ready (JSON). Each returns changed,
// rows, missing (schedule only).
const STATEMENTS: Readonly<Record<CampaignAction, string>> = {
  // Every channel the campaign would send on (its planned rows) needs a configuration whose last
  // connection test passed; checked in the same statement as the change.
  schedule: `
    WITH need AS (SELECT DISTINCT channel FROM "OutboxMessage" WHERE shop = $2 AND "campaignId" = $1 AND status = 'planned'),
    missing AS (SELECT n.channel FROM need n
      WHERE NOT EXISTS (SELECT 1 FROM "ChannelConfig" k WHERE k.shop = $2 AND k.channel = n.channel AND k."testOk")
        OR n.channel IN (SELECT jsonb_array_elements_text($4::jsonb))),
    c AS (UPDATE "Campaign" SET status = 'scheduled', "scheduledAt" = ${utc("$3")}, "updatedAt" = ${bumpUpdatedAt()}
      WHERE ${TARGET} AND ${from("schedule")} AND "plannedAt" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM missing)
      RETURNING id),
    q AS (UPDATE "OutboxMessage" SET status = 'queued', "updatedAt" = ${utc("$3")}
      WHERE shop = $2 AND "campaignId" IN (SELECT id FROM c) AND status = 'planned' RETURNING 1)
    SELECT ${OUT}, (SELECT count(*) FROM q)::int AS rows,
      (SELECT coalesce(json_agg(channel ORDER BY channel), '[]')::text FROM missing) AS missing`,
  start: `
    WITH c AS (UPDATE "Campaign" SET status = 'sending', "updatedAt" = ${bumpUpdatedAt()}
      WHERE ${TARGET} AND ${from("start")} RETURNING id)
    SELECT ${OUT}, 0 AS rows, NULL AS missing`,
  pause: `
    WITH c AS (UPDATE "Campaign" SET status = 'paused', "updatedAt" = ${bumpUpdatedAt()}
      WHERE ${TARGET} AND ${from("pause")} RETURNING id)
    SELECT ${OUT}, 0 AS rows, NULL AS missing`,
  // Back to sending when any message already went out (or is going), else to scheduled; rows stay
  // queued and sent rows stay sent, so nothing is sent twice.
  resume: `
    WITH c AS (UPDATE "Campaign" m SET "updatedAt" = ${bumpUpdatedAt("m")}, "pausedReason" = NULL,
      status = CASE WHEN EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o.shop = $2 AND o."campaignId" = $1
        AND o.status IN ('sending', 'sent', 'failed')) THEN 'sending' ELSE 'scheduled' END
      WHERE ${TARGET} AND ${from("resume")} RETURNING id)
    SELECT ${OUT}, 0 AS rows, NULL AS missing`,
  cancel: `
    WITH c AS (UPDATE "Campaign" SET status = 'cancelled', "updatedAt" = ${bumpUpdatedAt()}
      WHERE ${TARGET} AND ${from("cancel")} RETURNING id),
    s AS (UPDATE "OutboxMessage" SET status = 'skipped', "skipReason" = '${CANCELLED_REASON}', "updatedAt" = ${utc("$3")}
      WHERE shop = $2 AND "campaignId" IN (SELECT id FROM c) AND status IN ('planned', 'queued') RETURNING 1)
    SELECT ${OUT}, (SELECT count(*) FROM s)::int AS rows, NULL AS missing`,
  complete: `
    WITH c AS (UPDATE "Campaign" SET status = 'completed', "completedAt" = ${utc("$3")}, "updatedAt" = ${bumpUpdatedAt()}
      WHERE ${TARGET} AND ${from("complete")} AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" o
        WHERE o.shop = $2 AND o."campaignId" = $1 AND o.status IN ('queued', 'sending'))
      RETURNING id)
    SELECT ${OUT}, 0 AS rows, NULL AS missing`,
};

const ATTEMPTS = 3;

export interface TransitionOptions {
  /**
   * Schedule: the shop's channel readiness as the channel settings report it
   * (channel-config.server.ts channelReadiness, which also fails settings that no longer open);
   * a channel with testOk false there is refused even when its row says testOk.
   */
  readiness?: Readonly<Record<string, { testOk: boolean }>>;
}

const notReady = (readiness: TransitionOptions["readiness"]): string[] =>
  Object.entries(readiness ?? {}).flatMap(([channel, r]) => (r.testOk ? [] : [channel]));

function missingChannels(text: string | null): string[] {
  const parsed: unknown = text === null ? [] : JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === "string") : [];
}

/** Applies `action`; CampaignError NOT_FOUND, INVALID_TRANSITION, NOT_PLANNED or CHANNEL_NOT_READY. */
export async function runTransition(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
  action: CampaignAction,
  options: TransitionOptions = {},
): Promise<StatusChange> {
  for (let attempt = 1; ; attempt++) {
    const sql = STATEMENTS[action];
    // PostgreSQL refuses parameters a statement does not use.
    const used = Math.max(...[...sql.matchAll(/\$(\d)/g)].map((m) => Number(m[1])));
    const params = [
      campaignId,
      shop,
      deps.now().toISOString(),
      JSON.stringify(notReady(options.readiness)),
    ].slice(0, used);
    const [result] = await deps.prisma.$queryRawUnsafe<
      Array<{ changed: number; rows: number; missing: string | null }>
    >(sql, ...params);
    const campaign = await getCampaign(deps.prisma, shop, campaignId);
    const base = { campaignId, action, status: campaign.status };
    if ((result?.changed ?? 0) > 0) {
      deps.log(
        `campaign ${campaignId} (${shop}) ${action}: now ${campaign.status}, ${result?.rows ?? 0} rows`,
      );
      return { ...base, changed: true, rows: result?.rows ?? 0 };
    }
    const check = checkTransition(campaign.status, action);
    if (check.kind === "done") return { ...base, changed: false, rows: 0 };
    // The dispatcher's hooks race with the merchant (a pause between a claim and `start`): no error.
    if (action === "start" || action === "complete") return { ...base, changed: false, rows: 0 };
    if (check.kind === "invalid")
      throw new CampaignError("INVALID_TRANSITION", check.message, { status: campaign.status });
    if (action === "schedule") {
      if (campaign.plannedAt === null)
        throw new CampaignError(
          "NOT_PLANNED",
          "Plan the campaign (again) before scheduling it: it has no complete, current plan",
          {
            status: campaign.status,
          },
        );
      const channels = missingChannels(result?.missing ?? null);
      if (channels.length > 0)
        throw new CampaignError(
          "CHANNEL_NOT_READY",
          `Set up and test ${channels.join(" and ")} before scheduling: the campaign would send on ${channels.length === 1 ? "it" : "them"}`,
          { status: campaign.status, channels },
        );
    }
    // The campaign changed between the statement and the read: try again.
    if (attempt >= ATTEMPTS) throw new CampaignError("SUPERSEDED", "The campaign kept changing; try again");
  }
}

/**
 * The merchant's actions: schedule (draft → scheduled, planned rows → queued), pause (scheduled or
 * sending → paused), resume (paused → sending or scheduled), cancel (any non-final → cancelled,
 * planned and queued rows → skipped with reason "cancelled").
 */
export async function changeCampaignStatus(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
  action: MerchantAction,
  options: TransitionOptions = {},
): Promise<StatusChange> {
  return runTransition(deps, shop, campaignId, action, options);
}
