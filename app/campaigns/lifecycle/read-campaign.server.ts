import type { Campaign } from "@prisma/client";
import type { SettingsIssue } from "../calendar/issues";
import { CampaignError } from "./campaign-error";
import { parseCampaignStatus, type CampaignStatus } from "./campaign-status";
import { parseDefinition, type CampaignDefinition } from "./definition";
import type { CampaignDb } from "./deps";

// Campaigns as the rest of the app sees them: always scoped by shop, the definition validated again
// on the way out (a row that no longer validates is shown with its issues, never planned).

export interface CampaignRecord {
  id: string;
  shop: string;
  key: string;
  segment: string;
  name: string;
  status: CampaignStatus;
  /** null when the stored JSON no longer validates (see definitionIssues) */
  definition: CampaignDefinition | null;
  definitionIssues: SettingsIssue[];
  /** when the current plan finished; null = not planned, or the definition changed since */
  plannedAt: Date | null;
  /** a background plan asked for at this time is still running (null: none) */
  planRequestedAt: Date | null;
  /** why the last background plan failed, for the merchant */
  planError: string | null;
  /** why the app paused it on its own (complaint rate); null when the merchant did, or not paused */
  pausedReason: string | null;
  scheduledAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function campaignRecord(row: Campaign): CampaignRecord {
  const status = parseCampaignStatus(row.status);
  if (status === null) throw new Error(`campaign ${row.id} has an unknown status`);
  const parsed = parseDefinition(row.definition);
  return {
    id: row.id,
    shop: row.shop,
    key: row.key,
    segment: row.segment,
    name: row.name,
    status,
    definition: parsed.ok ? parsed.definition : null,
    definitionIssues: parsed.ok ? [] : parsed.issues,
    plannedAt: row.plannedAt,
    planRequestedAt: row.planRequestedAt,
    planError: row.planError,
    pausedReason: row.pausedReason,
    scheduledAt: row.scheduledAt,
    completedAt: row.completedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The shop's campaign, or CampaignError NOT_FOUND (also when it belongs to another shop). */
export async function getCampaign(
  db: Pick<CampaignDb, "campaign">,
  shop: string,
  id: string,
): Promise<CampaignRecord> {
  const row = await db.campaign.findFirst({ where: { id, shop } });
  if (!row) throw new CampaignError("NOT_FOUND", "No such campaign in this shop");
  return campaignRecord(row);
}

/** The definition of a campaign, or CampaignError INVALID_DEFINITION naming each bad field. */
export function requireDefinition(campaign: CampaignRecord): CampaignDefinition {
  if (campaign.definition) return campaign.definition;
  throw new CampaignError(
    "INVALID_DEFINITION",
    `The stored definition of ${campaign.key} is not valid: ${campaign.definitionIssues
      .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
      .join("; ")}`,
    { issues: campaign.definitionIssues },
  );
}

/** The shop's campaigns, optionally of one playbook and year ("cyber-week-2026:" keys), by key. */
export async function listCampaigns(
  db: Pick<CampaignDb, "campaign">,
  shop: string,
  filter: { playbook?: string; year?: number } = {},
): Promise<CampaignRecord[]> {
  const prefix =
    filter.playbook === undefined
      ? undefined
      : `${filter.playbook}-${filter.year === undefined ? "" : `${filter.year}:`}`;
  const rows = await db.campaign.findMany({
    where: { shop, ...(prefix === undefined ? {} : { key: { startsWith: prefix } }) },
    orderBy: { key: "asc" },
  });
  return rows.map(campaignRecord);
}
