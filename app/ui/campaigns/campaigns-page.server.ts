import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { normalizeCountryCode } from "../../campaigns/calendar/holidays";
import { seasonCalendar } from "../../campaigns/calendar/season";
import { InvalidSettingsError } from "../../campaigns/calendar/issues";
import { createPlaybookCampaigns } from "../../campaigns/lifecycle/create-playbook-campaigns.server";
import type { CampaignDeps } from "../../campaigns/lifecycle/deps";
import { planPlaybookCampaigns } from "../../campaigns/plan/plan-playbook.server";
import { BACKGROUND_PLAN_FROM, requestPlaybookPlan, type PlaybookJobPayload } from "../../campaigns/plan/request-plan.server";
import { listCampaigns } from "../../campaigns/lifecycle/read-campaign.server";
import { shopTimeZone } from "../../campaigns/plan/plan-queries.server";
import {
  checkSeason,
  nextSeasonYear,
  PLAYBOOK_KEYS,
  PLAYBOOKS,
  shopToday,
  sortSends,
  type PlaybookKey,
} from "../../campaigns/playbooks";
import { getCampaignSettings } from "../../campaigns/settings/campaign-settings.server";
import { campaignAudienceRules } from "../../campaigns/settings/campaign-settings";
import { formatWallTime } from "../format-time";
import { failureOf, type ActionFailure } from "./action-failure.server";

// The Campaigns list: the season calendar of a year and country, the shop's campaigns with their
// counts, and the playbook wizard's action (create the drafts, then plan them).

export interface CampaignRow {
  id: string;
  key: string;
  name: string;
  segment: string;
  status: string;
  playbook: string;
  year: number | null;
  channels: string[];
  firstSend: string | null;
  enabled: boolean;
  planned: boolean;
  /** a background plan is running */
  planning: boolean;
  counts: Record<string, number>;
}

const YearParam = z.coerce.number().int().min(2000).max(2100);
/** After a delete the page names the campaign by its key (never free text from the URL). */
const DeletedParam = z.string().regex(/^[a-z0-9_-]{1,60}(:[a-z_]{1,40})?$/);

async function countsByCampaign(prisma: Pick<PrismaClient, "$queryRawUnsafe">, shop: string) {
  const rows = await prisma.$queryRawUnsafe<Array<{ campaignId: string; status: string; n: number }>>(
    `SELECT "campaignId", status, count(*)::int AS n FROM "OutboxMessage" WHERE shop = $1 GROUP BY 1, 2`,
    shop,
  );
  const out = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counts = out.get(row.campaignId) ?? {};
    counts[row.status] = row.n;
    out.set(row.campaignId, counts);
  }
  return out;
}

export async function loadCampaignsPage(
  prisma: Pick<PrismaClient, "$queryRawUnsafe" | "campaign" | "shop" | "shopSettings">,
  shop: string,
  params: URLSearchParams,
  now = new Date(),
) {
  // The store's billing country (read with the shop's facts at each sync) unless the merchant picked one.
  const [stored, settings] = await Promise.all([
    prisma.shop.findUnique({ where: { domain: shop }, select: { countryCode: true, ianaTimezone: true } }),
    getCampaignSettings(prisma, shop),
  ]);
  // Seasons end on the shop's calendar: each playbook is offered for its next season not yet over.
  const today = shopToday({ now, timeZone: stored?.ianaTimezone ?? "UTC" });
  const playbooks = PLAYBOOK_KEYS.map((key) => ({
    key,
    name: PLAYBOOKS[key].name,
    description: PLAYBOOKS[key].description,
    year: nextSeasonYear(key, today, settings.shipping),
  }));
  const year = YearParam.safeParse(params.get("year") ?? undefined);
  const calendarYear = year.success ? year.data : Math.min(...playbooks.map((p) => p.year));
  const country = normalizeCountryCode(params.get("country") ?? stored?.countryCode ?? "US") ?? "US";
  let calendar: ReturnType<typeof seasonCalendar> | null = null;
  let calendarError: string | null = year.success || !params.has("year") ? null : "Year must be a number from 2000 to 2100";
  try {
    calendar = seasonCalendar({ year: calendarYear, countryCode: country, shipping: settings.shipping });
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    calendarError = error.issues.map((i) => i.message).join("; ");
  }
  const [campaigns, counts] = await Promise.all([listCampaigns(prisma, shop), countsByCampaign(prisma, shop)]);
  const rows: CampaignRow[] = campaigns.map((c) => ({
    id: c.id,
    key: c.key,
    name: c.name,
    segment: c.segment,
    status: c.status,
    playbook: c.definition?.draft.playbook ?? c.key.split(":")[0] ?? "",
    year: c.definition?.draft.year ?? null,
    channels: c.definition?.draft.channels ?? [],
    firstSend: (() => {
      const first = c.definition ? sortSends(c.definition.draft.sends)[0] : undefined;
      return first ? formatWallTime(first.localDate, first.localTime) : null;
    })(),
    enabled: c.definition?.draft.enabled ?? false,
    planned: c.plannedAt !== null,
    planning: c.planRequestedAt !== null,
    counts: counts.get(c.id) ?? {},
  }));
  return {
    deleted: DeletedParam.safeParse(params.get("deleted")).data ?? null,
    year: calendarYear,
    country,
    today,
    calendarError,
    notes: calendar?.notes ?? [],
    events: (calendar?.events ?? []).map((e) => ({ ...e, past: e.date < today })),
    campaigns: rows,
    playbooks,
  };
}

const WizardForm = z.object({
  playbook: z.enum(PLAYBOOK_KEYS, { errorMap: () => ({ message: "Pick Cyber Week or Christmas" }) }),
  year: z.coerce
    .number({ invalid_type_error: "Year must be a number like 2026" })
    .int("Year must be a whole number like 2026")
    .min(2000, "Year must be from 2000 to 2100")
    .max(2100, "Year must be from 2000 to 2100"),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'Country must be a two-letter code like "US"'),
});

export type PlanPlaybookResult =
  | {
      ok: true;
      playbook: PlaybookKey;
      year: number;
      created: number;
      updated: number;
      locked: number;
      planned: Array<{ key: string; rows: number; toSend: number }>;
      skipped: Array<{ key: string; why: string }>;
      notes: string[];
    }
  | ActionFailure;

/** The wizard: creates the playbook's campaigns for the year and plans every enabled draft. */
export interface BackgroundPlaybook {
  prisma: Pick<PrismaClient, "customerScore">;
  enqueue: (payload: PlaybookJobPayload) => Promise<unknown>;
  /** shops from this many customers are planned in the background (default BACKGROUND_PLAN_FROM) */
  from?: number;
}

export async function planPlaybookFromForm(
  deps: CampaignDeps,
  shop: string,
  form: FormData,
  background?: BackgroundPlaybook,
): Promise<PlanPlaybookResult> {
  const parsed = WizardForm.safeParse({
    playbook: form.get("playbook") ?? "",
    year: form.get("year") ?? "",
    country: form.get("country") ?? "",
  });
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, status: 400, message: "Check the highlighted fields.", fieldErrors };
  }
  const { playbook, year, country } = parsed.data;
  try {
    const settings = await getCampaignSettings(deps.prisma, shop, deps.log);
    const today = shopToday({ now: deps.now(), timeZone: (await shopTimeZone(deps.prisma, shop)) ?? "UTC" });
    const season = checkSeason(playbook, year, today, settings.shipping);
    if (season.ended)
      return { ok: false, status: 409, message: season.message, fieldErrors: { year: `This season has ended: pick ${season.next}` } };
    const created = await createPlaybookCampaigns(deps, shop, {
      playbook,
      year,
      countryCode: country.toUpperCase(),
      shipping: settings.shipping,
      audience: campaignAudienceRules(settings),
      holdoutShare: settings.audience.holdoutShare,
    });
    const made = {
      ok: true as const,
      playbook,
      year,
      created: created.created.length,
      updated: created.updated.length,
      locked: created.locked.length,
    };
    const customers = background ? await background.prisma.customerScore.count({ where: { shop } }) : 0;
    if (background && customers >= (background.from ?? BACKGROUND_PLAN_FROM)) {
      const keys = await requestPlaybookPlan(deps, background.enqueue, shop, { playbook, year });
      const note = `Planning ${keys.length} campaigns for ${customers.toLocaleString("en-US")} customers in the background: each shows its audience when done.`;
      return { ...made, planned: [], skipped: [], notes: [...created.notes, note] };
    }
    const plan = await planPlaybookCampaigns(deps, shop, { playbook, year });
    return {
      ...made,
      planned: plan.planned.map((p) => ({ key: p.key, rows: p.rows, toSend: p.byStatus.planned })),
      skipped: plan.skipped,
      notes: created.notes,
    };
  } catch (error) {
    return failureOf(error);
  }
}
