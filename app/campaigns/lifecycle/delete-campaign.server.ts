import type { PrismaClient } from "@prisma/client";
import { CampaignError } from "./campaign-error";
import {
  checkTransition,
  DELETABLE_STATUSES,
  isDeletable,
  sqlList,
  type CampaignStatus,
} from "./campaign-status";
import type { CampaignDeps } from "./deps";
import { getCampaign } from "./read-campaign.server";

// Deleting a draft or cancelled campaign with the outbox rows that never went out. A campaign any of
// whose messages reached a provider (sent, being sent, or tried at least once: a timeout may have
// delivered it) is kept, rows and all: those rows are the record that the customer was contacted,
// which later campaigns' frequency caps, the message log and the complaint rate read. Deleting it
// would let the caps send again within their window and lose what was sent; cancelling it already
// stops everything left.
//
// One transaction: the campaign row goes first (waiting for a plan's batch that holds it FOR SHARE;
// a later batch finds no campaign and writes nothing), then its rows, read with a fresh snapshot so a
// batch that committed meanwhile is deleted too.

const WENT_OUT = `(o.status IN ('sent', 'sending') OR o.attempts > 0)`;

// $1 campaign id, $2 shop
const DELETE_CAMPAIGN = `
  DELETE FROM "Campaign" m WHERE m.id = $1 AND m.shop = $2 AND m.status IN (${sqlList(DELETABLE_STATUSES)})
    AND NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o.shop = $2 AND o."campaignId" = $1 AND ${WENT_OUT})
  RETURNING m.id`;
const DELETE_ROWS = `
  DELETE FROM "OutboxMessage" o WHERE o.shop = $2 AND o."campaignId" = $1 AND NOT ${WENT_OUT}
    AND NOT EXISTS (SELECT 1 FROM "Campaign" m WHERE m.id = $1 AND m.shop = $2)`;
const COUNT_WENT_OUT = `
  SELECT count(*)::int AS n FROM "OutboxMessage" o WHERE o.shop = $2 AND o."campaignId" = $1 AND ${WENT_OUT}`;

export interface DeletedCampaign {
  campaignId: string;
  key: string;
  name: string;
  /** outbox rows deleted with it: planned, held out or skipped, never sent */
  messages: number;
}

function notDeletable(status: CampaignStatus): CampaignError {
  const why =
    checkTransition(status, "cancel").kind === "apply"
      ? "cancel it first (only drafts and cancelled campaigns can be deleted)"
      : "it is kept as the record of what it sent";
  return new CampaignError("INVALID_TRANSITION", `A ${status} campaign cannot be deleted: ${why}`, {
    status,
  });
}

export async function deleteCampaign(
  deps: CampaignDeps,
  db: Pick<PrismaClient, "$transaction">,
  shop: string,
  campaignId: string,
): Promise<DeletedCampaign> {
  const campaign = await getCampaign(deps.prisma, shop, campaignId);
  if (!isDeletable(campaign.status)) throw notDeletable(campaign.status);
  const deleted = await db.$transaction(async (tx) => {
    const gone = await tx.$queryRawUnsafe<Array<{ id: string }>>(DELETE_CAMPAIGN, campaignId, shop);
    if (gone.length === 0) return null;
    return tx.$executeRawUnsafe(DELETE_ROWS, campaignId, shop);
  });
  if (deleted !== null) {
    deps.log(`campaign ${campaignId} (${shop}) deleted with ${deleted} outbox rows that never went out`);
    return { campaignId, key: campaign.key, name: campaign.name, messages: deleted };
  }
  // Not deleted: some of its messages went out, or its status changed since it was read.
  const current = await getCampaign(deps.prisma, shop, campaignId);
  const [went] = await deps.prisma.$queryRawUnsafe<Array<{ n: number }>>(COUNT_WENT_OUT, campaignId, shop);
  if ((went?.n ?? 0) > 0)
    throw new CampaignError(
      "HAS_SENT_MESSAGES",
      `${current.name} is kept: ${went?.n ?? 0} of its messages went to customers, and its record stays for the frequency caps and the message log. It is ${current.status}, so nothing more is sent.`,
      { status: current.status },
    );
  throw notDeletable(current.status);
}
