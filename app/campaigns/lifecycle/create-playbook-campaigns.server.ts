import { InvalidSettingsError, settingsIssues, type SettingsIssue } from "../calendar/issues";
import { seasonCalendar } from "../calendar/season";
import { BuildPlaybookInput, playbookDrafts, type CampaignDraft } from "../playbooks";
import { CampaignError } from "./campaign-error";
import {
  audienceFor,
  canonicalText,
  defaultDefinition,
  parseDefinition,
  storedDefinition,
  type CampaignDefinition,
} from "./definition";
import { bumpUpdatedAt, jsonParam, type CampaignDeps } from "./deps";
import { campaignIdFor } from "../../messaging/outbox-id.server";
import { campaignRecord, type CampaignRecord } from "./read-campaign.server";

// A playbook's campaigns for a shop and year: one Campaign per draft (playbooks.buildPlaybook), with
// a deterministic id, so running it again never makes copies. Running it again refreshes drafts that
// are still drafts (and forgets their plan) but keeps their saved templates; campaigns scheduled or
// further on are left alone.

export interface CreatePlaybookCampaignsInput {
  playbook: string;
  year: number;
  /** the shop's country (public holidays); absent: the US calendar, with a note */
  countryCode?: string | null;
  /** ShippingCutoffs (calendar/shipping.ts); default: the standard cut-offs */
  shipping?: unknown;
  /** AudienceSettings without holdoutShare; absent: kept for existing drafts, defaults for new ones */
  audience?: unknown;
  /** the share held out of each campaign (the shop's setting); absent: the playbook's default */
  holdoutShare?: number;
}

export interface CreatePlaybookCampaignsResult {
  /** every campaign of the playbook, in the playbook's segment order */
  campaigns: CampaignRecord[];
  created: string[];
  updated: string[];
  unchanged: string[];
  /** not drafts any more: left as they are */
  locked: string[];
  /** calendar notes for the merchant (e.g. no country set) */
  notes: string[];
}

function invalid(what: string, issues: readonly SettingsIssue[]): CampaignError {
  const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  return new CampaignError("INVALID_DEFINITION", `Invalid ${what}: ${text}`, { issues });
}

function draftsOf(deps: CampaignDeps, shop: string, input: CreatePlaybookCampaignsInput) {
  const notes: string[] = [];
  let countryCode = input.countryCode ?? null;
  if (countryCode === null || countryCode.trim() === "") {
    // The app does not store the shop's country yet (Shop has the zone, not the country).
    deps.log(`campaigns ${shop}: no shop country given, using the US calendar`);
    notes.push("The shop's country is not known: the US season calendar is used.");
    countryCode = "US";
  }
  const parsed = BuildPlaybookInput.safeParse({ ...input, countryCode, shipping: input.shipping ?? {} });
  if (!parsed.success) throw invalid("playbook settings", settingsIssues(parsed.error));
  try {
    const calendar = seasonCalendar(parsed.data);
    const drafts = playbookDrafts(parsed.data.playbook, calendar).map((draft) =>
      input.holdoutShare === undefined ? draft : { ...draft, holdoutShare: input.holdoutShare },
    );
    return { drafts, notes: [...notes, ...calendar.notes] };
  } catch (error) {
    if (error instanceof InvalidSettingsError) throw invalid(error.what, error.issues);
    throw error;
  }
}

/**
 * The merchant's saved templates survive a refresh: those of sends the new draft still has, when
 * they still render with its data (a removed discount can break one); else the defaults, with a note.
 */
function withSavedTemplates(
  definition: CampaignDefinition,
  old: CampaignDefinition | null,
  note: (why: string) => void,
): CampaignDefinition {
  const saved = Object.entries(old?.draft.templates ?? {}).filter(([send]) =>
    definition.draft.sends.some((s) => s.key === send),
  );
  if (saved.length === 0) return definition;
  const candidate = { ...definition, draft: { ...definition.draft, templates: Object.fromEntries(saved) } };
  const checked = parseDefinition(storedDefinition(candidate));
  if (checked.ok) return checked.definition;
  note(
    `your saved templates no longer render with the refreshed campaign and were set aside: ${checked.issues
      .map((i) => `${i.path}: ${i.message}`)
      .join("; ")}`,
  );
  return definition;
}

export async function createPlaybookCampaigns(
  deps: CampaignDeps,
  shop: string,
  input: CreatePlaybookCampaignsInput,
): Promise<CreatePlaybookCampaignsResult> {
  const { drafts, notes } = draftsOf(deps, shop, input);
  const ids = drafts.map((d) => campaignIdFor(shop, d.key));
  const existing = new Map(
    (await deps.prisma.campaign.findMany({ where: { shop, id: { in: ids } } })).map((row) => [row.id, row]),
  );

  const result: CreatePlaybookCampaignsResult = {
    campaigns: [],
    created: [],
    updated: [],
    unchanged: [],
    locked: [],
    notes,
  };
  const writes: Array<{ id: string; key: string; segment: string; name: string; definition: unknown }> = [];
  drafts.forEach((draft: CampaignDraft, i) => {
    const id = ids[i] ?? campaignIdFor(shop, draft.key);
    const old = existing.get(id);
    if (old && old.status !== "draft") {
      result.locked.push(draft.key);
      return;
    }
    const oldDefinition = old ? parseDefinition(old.definition) : null;
    let definition: CampaignDefinition;
    if (input.audience !== undefined) {
      const audience = audienceFor(draft, input.audience);
      if (!audience.ok) throw invalid("audience settings", audience.issues);
      definition = { draft, audience: audience.audience };
    } else if (oldDefinition?.ok) {
      definition = {
        draft,
        audience: { ...oldDefinition.definition.audience, holdoutShare: draft.holdoutShare },
      };
    } else {
      definition = defaultDefinition(draft);
    }
    definition = withSavedTemplates(definition, oldDefinition?.ok ? oldDefinition.definition : null, (why) =>
      notes.push(`${draft.key}: ${why}`),
    );
    const stored = storedDefinition(definition);
    if (old && canonicalText(stored) === canonicalText(old.definition)) {
      result.unchanged.push(draft.key);
      return;
    }
    (old ? result.updated : result.created).push(draft.key);
    writes.push({ id, key: draft.key, segment: draft.segment, name: draft.name, definition: stored });
  });

  if (writes.length > 0) {
    // One statement; the WHERE keeps a campaign scheduled meanwhile as it is.
    await deps.prisma.$executeRawUnsafe(
      `INSERT INTO "Campaign" AS c (id, shop, key, segment, name, definition, status, "createdAt", "updatedAt")
       SELECT r.id, $1, r.key, r.segment, r.name, r.definition, 'draft', clock_timestamp() AT TIME ZONE 'UTC',
         clock_timestamp() AT TIME ZONE 'UTC'
       FROM jsonb_to_recordset($2::jsonb) AS r(id text, key text, segment text, name text, definition jsonb)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, segment = excluded.segment,
         definition = excluded.definition, "plannedAt" = NULL, "updatedAt" = ${bumpUpdatedAt("c")}
       WHERE c.shop = excluded.shop AND c.status = 'draft'`,
      shop,
      jsonParam(writes),
    );
  }
  const rows = await deps.prisma.campaign.findMany({ where: { shop, id: { in: ids } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  result.campaigns = ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [campaignRecord(row)] : [];
  });
  deps.log(
    `campaigns ${shop}: ${input.playbook} ${input.year}: ${result.created.length} created, ${result.updated.length} updated, ${result.unchanged.length} unchanged, ${result.locked.length} left alone`,
  );
  return result;
}
