import type { PrismaClient } from "@prisma/client";
import type { MessageSource, SourceContent, SourceState } from "../../messaging/dispatch/source";
import { shopInfo } from "../../messaging/templates/shop-info.server";
import { campaignContent } from "./campaign-content";
import { completeCampaignIfDone, markCampaignSending } from "./campaign-dispatch.server";
import { isCampaignError } from "./campaign-error";
import { changeCampaignStatus } from "./change-campaign-status.server";
import { DISPATCHABLE_STATUSES } from "./campaign-status";
import { parseDefinition } from "./definition";

// Campaigns as a source of messages for the dispatcher. A campaign's content is built once per
// version of its row (Campaign.updatedAt) and kept for this process's lanes.

interface CampaignSourceDeps {
  prisma: Pick<PrismaClient, "campaign" | "shop" | "shopSettings" | "$queryRawUnsafe" | "$executeRawUnsafe">;
  now: () => Date;
  log: (line: string) => void;
}

type Cached = { updatedAt: number; content: SourceContent | null; problem: string | null };

export function campaignSource(deps: CampaignSourceDeps): MessageSource {
  const { prisma } = deps;
  const cache = new Map<string, Cached>();

  async function build(shop: string, campaignId: string, fallbackUpdatedAt: Date): Promise<Cached> {
    const full = await prisma.campaign.findFirst({
      where: { id: campaignId, shop },
      select: { definition: true, updatedAt: true, key: true },
    });
    // the shop as previews show it: one source for both
    const info = await shopInfo(prisma, shop);
    const parsed = parseDefinition(full?.definition);
    const updatedAt = (full?.updatedAt ?? fallbackUpdatedAt).getTime();
    if (parsed.ok)
      return {
        updatedAt,
        content: campaignContent(parsed.definition, info, full?.key ?? campaignId),
        problem: null,
      };
    const where = parsed.issues
      .map((i) => i.path || "(definition)")
      .slice(0, 5)
      .join(", ");
    return { updatedAt, content: null, problem: `campaign definition invalid at ${where}` };
  }

  return {
    sendingStatuses: new Set(DISPATCHABLE_STATUSES),
    async load(shop, campaignId): Promise<SourceState> {
      const row = await prisma.campaign.findFirst({
        where: { id: campaignId, shop },
        select: { status: true, updatedAt: true },
      });
      if (!row) return { found: false };
      let entry = cache.get(campaignId);
      if (!entry || entry.updatedAt !== row.updatedAt.getTime()) {
        entry = await build(shop, campaignId, row.updatedAt);
        if (cache.size >= 1_000) cache.clear();
        cache.set(campaignId, entry);
      }
      return { found: true, status: row.status, content: entry.content, problem: entry.problem };
    },
    async status(shop, campaignId) {
      const row = await prisma.campaign.findFirst({
        where: { id: campaignId, shop },
        select: { status: true },
      });
      return row?.status ?? null;
    },
    async sending() {
      return prisma.campaign.findMany({
        where: { status: { in: [...DISPATCHABLE_STATUSES] } },
        select: { id: true, shop: true },
      });
    },
    started: (shop, campaignId) => markCampaignSending(deps, shop, campaignId),
    drained: (shop, campaignId) => completeCampaignIfDone(deps, shop, campaignId),
    async pause(shop, campaignId, reason) {
      try {
        const change = await changeCampaignStatus(deps, shop, campaignId, "pause");
        if (!change.changed) return { changed: false };
      } catch (error) {
        // Completed or cancelled already: nothing left to stop.
        if (isCampaignError(error, "INVALID_TRANSITION")) return { changed: false };
        throw error;
      }
      await prisma.$executeRawUnsafe(
        `UPDATE "Campaign" SET "pausedReason" = $3 WHERE id = $1 AND shop = $2 AND status = 'paused'`,
        campaignId,
        shop,
        reason,
      );
      return { changed: true };
    },
  };
}
