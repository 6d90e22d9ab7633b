import type { CampaignStatus } from "../lifecycle/campaign-status";
import { parseOutboxStatus } from "../lifecycle/campaign-status";
import type { CampaignDb } from "../lifecycle/deps";
import { getCampaign } from "../lifecycle/read-campaign.server";

// The audience of a planned campaign before anything is scheduled: counts by send, segment, channel,
// status and skip reason, from one GROUP BY over its outbox rows (and one count of customers).

export interface AudienceGroup {
  sendKey: string;
  segment: string;
  channel: string;
  /** planned (to send) | holdout | skipped, or after scheduling queued | sending | sent | failed */
  status: string;
  skipReason: string | null;
  rows: number;
}

export interface ChannelCounts {
  channel: string;
  /** messages that go (or went) out: planned, queued, sending, sent, failed */
  toSend: number;
  holdout: number;
  skipped: number;
}

export interface AudiencePreview {
  campaignId: string;
  status: CampaignStatus;
  /** null: not planned, being planned, or edited since; the counts are then not a complete plan */
  plannedAt: Date | null;
  /** distinct customers with at least one row */
  customers: number;
  rows: number;
  toSend: number;
  holdout: number;
  skipped: number;
  /** rows per segment (a campaign targets one segment; "send now" and edits keep it) */
  bySegment: Record<string, number>;
  byChannel: ChannelCounts[];
  /** skipped rows per reason: no_consent, no_address, suppressed_*, campaign_ended, frequency_cap, cancelled */
  bySkipReason: Record<string, number>;
  groups: AudienceGroup[];
}

const SENT_SIDE = new Set(["planned", "queued", "sending", "sent", "failed"]);

/** The counts of `groups` (pure; exported for the UI's own groupings and for tests). */
export function summarizeGroups(groups: readonly AudienceGroup[]) {
  const bySegment: Record<string, number> = {};
  const bySkipReason: Record<string, number> = {};
  const channels = new Map<string, ChannelCounts>();
  let toSend = 0;
  let holdout = 0;
  let skipped = 0;
  for (const g of groups) {
    bySegment[g.segment] = (bySegment[g.segment] ?? 0) + g.rows;
    const counts = channels.get(g.channel) ?? { channel: g.channel, toSend: 0, holdout: 0, skipped: 0 };
    const status = parseOutboxStatus(g.status);
    if (status === "holdout") {
      holdout += g.rows;
      counts.holdout += g.rows;
    } else if (status !== null && SENT_SIDE.has(status)) {
      toSend += g.rows;
      counts.toSend += g.rows;
    } else {
      skipped += g.rows;
      counts.skipped += g.rows;
      const reason = g.skipReason ?? "unknown";
      bySkipReason[reason] = (bySkipReason[reason] ?? 0) + g.rows;
    }
    channels.set(g.channel, counts);
  }
  const byChannel = [...channels.values()].sort((a, b) => (a.channel < b.channel ? -1 : 1));
  return { rows: toSend + holdout + skipped, toSend, holdout, skipped, bySegment, byChannel, bySkipReason };
}

export async function previewAudience(
  db: Pick<CampaignDb, "$queryRawUnsafe" | "campaign">,
  shop: string,
  campaignId: string,
): Promise<AudiencePreview> {
  const campaign = await getCampaign(db, shop, campaignId);
  const [rows, customers] = await Promise.all([
    db.$queryRawUnsafe<Array<Omit<AudienceGroup, "rows"> & { rows: number }>>(
      `SELECT "sendKey", segment, channel, status, "skipReason", count(*)::int AS rows
       FROM "OutboxMessage" WHERE shop = $1 AND "campaignId" = $2
       GROUP BY "sendKey", segment, channel, status, "skipReason"
       ORDER BY "sendKey", segment, channel, status, "skipReason"`,
      shop,
      campaignId,
    ),
    db.$queryRawUnsafe<Array<{ n: number }>>(
      `SELECT count(DISTINCT "customerId")::int AS n FROM "OutboxMessage" WHERE shop = $1 AND "campaignId" = $2`,
      shop,
      campaignId,
    ),
  ]);
  const groups = rows.map((r) => ({
    sendKey: r.sendKey,
    segment: r.segment,
    channel: r.channel,
    status: r.status,
    skipReason: r.skipReason,
    rows: r.rows,
  }));
  return {
    campaignId,
    status: campaign.status,
    plannedAt: campaign.plannedAt,
    customers: customers[0]?.n ?? 0,
    ...summarizeGroups(groups),
    groups,
  };
}
