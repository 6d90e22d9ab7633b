import { holdoutCutoff, isValidTimeZone, type SendRecord, type Suppression } from "../audience";
import { CampaignError } from "../lifecycle/campaign-error";
import { isEditable } from "../lifecycle/campaign-status";
import { parseDefinition, type CampaignDefinition } from "../lifecycle/definition";
import type { CampaignDeps } from "../lifecycle/deps";
import { messageIdFor } from "../../messaging/outbox-id.server";
import {
  finishPlan,
  FIRST_ID,
  insertMessages,
  readCapHistory,
  readCustomerPage,
  readSegmentIds,
  readSuppressions,
  shopTimeZone,
  startPlan,
  type MessageInsert,
} from "./plan-queries.server";
import { CampaignPlanner, type PlannedStatus, type PlanningCustomer } from "./plan-rows";
import { runPipeline } from "./pipeline";
import { getCampaign, requireDefinition } from "../lifecycle/read-campaign.server";
import { campaignEndedReason, shopToday } from "../playbooks/season";

// Plans one campaign into the outbox: its segment's customers a page at a time (keyset by id),
// their suppressions and cap history in one query each per page, planCustomer per customer and send
// (plan-rows.ts), and one INSERT per page. The next page is read while this one is planned, and two
// inserts run at once (pipeline.ts). Memory holds a few pages, whatever the shop's size.
//
// Planning is a preview: the campaign stays a draft (plannedAt set when the plan is complete) until
// it is scheduled, which queues the planned rows. Re-planning a draft deletes its rows and plans
// afresh; the ids are deterministic, so the same inputs give the same rows. A campaign scheduled or
// further on is never re-planned. Only one plan counts: each plan takes a new campaign version
// (updatedAt) and writes only while that version is current, so an edit, a status change or a newer
// plan stops an older one (SUPERSEDED) and scheduling waits for a complete plan.

export const DEFAULT_PLAN_BATCH = 5_000;
/** Inserts in flight at once (each on its own connection with PostgreSQL; PGlite runs them in turn). */
export const DEFAULT_PARALLEL_WRITES = 2;

export interface PlanCampaignOptions {
  /** "send now": the first send goes out at once (SMS still within its hours) instead of its local time */
  launchNow?: boolean;
  /** customers per page (default 5,000) */
  batchSize?: number;
  /** inserts in flight at once (default 2) */
  parallelWrites?: number;
}

export interface PlanCampaignResult {
  campaignId: string;
  key: string;
  plannedAt: Date;
  customers: number;
  rows: number;
  byStatus: Record<PlannedStatus, number>;
  /** rows of the previous plan deleted */
  replaced: number;
  shopTimeZone: string;
}

async function zoneOf(deps: CampaignDeps, shop: string): Promise<string> {
  const zone = await shopTimeZone(deps.prisma, shop);
  if (zone && isValidTimeZone(zone)) return zone;
  deps.log(`campaigns ${shop}: no valid shop time zone stored, customers without a zone get UTC`);
  return "UTC";
}

function enabled(definition: CampaignDefinition): CampaignDefinition {
  if (!definition.draft.enabled)
    throw new CampaignError("DISABLED", `${definition.draft.name} is switched off: enable it to plan it`);
  return definition;
}

/** The definition the plan's version holds (read in the same statement that started the plan). */
function startedDefinition(json: unknown, key: string): CampaignDefinition {
  const parsed = parseDefinition(json);
  if (!parsed.ok)
    throw new CampaignError("INVALID_DEFINITION", `The stored definition of ${key} is not valid`, {
      issues: parsed.issues,
    });
  return enabled(parsed.definition);
}

/** Every message would be skipped as campaign_ended: SEASON_ENDED, saying why. */
function refuseEnded(draft: CampaignDefinition["draft"], zone: string, now: Date): void {
  const ended = campaignEndedReason(draft, shopToday({ now, timeZone: zone }));
  if (ended) throw new CampaignError("SEASON_ENDED", ended);
}

/** Refuses, before any work is queued, to plan a campaign whose last day has passed on the shop's calendar. */
export async function refuseEndedCampaign(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
): Promise<void> {
  const campaign = await getCampaign(deps.prisma, shop, campaignId);
  if (campaign.definition) refuseEnded(campaign.definition.draft, await zoneOf(deps, shop), deps.now());
}

export async function planCampaign(
  deps: CampaignDeps,
  shop: string,
  campaignId: string,
  options: PlanCampaignOptions = {},
): Promise<PlanCampaignResult> {
  const campaign = await getCampaign(deps.prisma, shop, campaignId);
  if (!isEditable(campaign.status))
    throw new CampaignError("INVALID_TRANSITION", `A ${campaign.status} campaign is never re-planned`, {
      status: campaign.status,
    });
  const { draft } = enabled(requireDefinition(campaign));
  const zone = await zoneOf(deps, shop);
  const now = deps.now();
  refuseEnded(draft, zone, now);

  const started = await startPlan(deps.prisma, shop, campaignId);
  if (!started) {
    const current = await getCampaign(deps.prisma, shop, campaignId);
    throw new CampaignError("INVALID_TRANSITION", `A ${current.status} campaign is never re-planned`, {
      status: current.status,
    });
  }
  const definition = startedDefinition(started.definition, campaign.key);
  const audienceIds = await readSegmentIds(deps.prisma, shop, started.segment);
  const planner = new CampaignPlanner({
    campaignId,
    definition,
    shopTimeZone: zone,
    now,
    launchNow: options.launchNow,
    holdoutCutoff: holdoutCutoff(definition.draft.key, audienceIds, definition.draft.holdoutShare),
  });
  const batch = options.batchSize ?? DEFAULT_PLAN_BATCH;
  const result: PlanCampaignResult = {
    campaignId,
    key: campaign.key,
    plannedAt: now,
    customers: 0,
    rows: 0,
    byStatus: { planned: 0, holdout: 0, skipped: 0 },
    replaced: started.replaced,
    shopTimeZone: zone,
  };

  interface Page {
    customers: PlanningCustomer[];
    suppressions: Map<string, Suppression[]>;
    history: Map<string, SendRecord[]>;
  }
  await runPipeline<Page, MessageInsert[]>({
    async fetch(previous) {
      const after = previous?.customers.at(-1)?.id ?? FIRST_ID;
      const customers = await readCustomerPage(deps.prisma, shop, started.segment, after, batch);
      if (customers.length === 0) return null;
      const ids = customers.map((c) => c.id);
      const [suppressions, history] = await Promise.all([
        readSuppressions(deps.prisma, shop, ids),
        readCapHistory(deps.prisma, shop, campaignId, ids),
      ]);
      return { customers, suppressions, history };
    },
    process({ customers, suppressions, history }) {
      const rows: MessageInsert[] = [];
      for (const customer of customers) {
        for (const m of planner.rowsFor(
          customer,
          suppressions.get(customer.id) ?? [],
          history.get(customer.id) ?? [],
        )) {
          rows.push({
            i: messageIdFor(shop, campaignId, m.sendKey, m.customerId, m.channel),
            k: m.sendKey,
            c: m.customerId,
            h: m.channel,
            s: m.status,
            r: m.skipReason,
            t: m.sendAt ? m.sendAt.toISOString() : null,
            l: m.localSendTime,
            z: m.timeZone,
          });
          result.byStatus[m.status]++;
        }
      }
      result.customers += customers.length;
      result.rows += rows.length;
      return rows;
    },
    async write(rows) {
      const { current } = await insertMessages(
        deps.writer ?? deps.prisma,
        shop,
        campaignId,
        started.version,
        started.segment,
        rows,
      );
      if (!current) throw new CampaignError("SUPERSEDED", "The campaign changed while it was being planned");
    },
    maxWrites: options.parallelWrites ?? DEFAULT_PARALLEL_WRITES,
  });
  if (!(await finishPlan(deps.prisma, shop, campaignId, started.version, now)))
    throw new CampaignError("SUPERSEDED", "The campaign changed while it was being planned");
  deps.log(
    `campaign ${campaignId} (${shop}) planned: ${result.customers} customers, ${result.rows} rows (${result.byStatus.planned} to send, ${result.byStatus.holdout} holdout, ${result.byStatus.skipped} skipped)`,
  );
  return result;
}
