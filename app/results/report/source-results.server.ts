import type { PrismaClient } from "@prisma/client";
import type { AttributionWindows } from "../../campaigns/settings/attribution-windows";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS } from "../../flows/built-in";
import { computeLift, type ArmInput, type LiftResult } from "../lift";
import {
  armRows,
  buyerRows,
  dailyRows,
  funnelRows,
  type ArmRow,
  type BuyerRow,
  type DailyRow,
} from "./results-queries.server";
import { summarizeFunnel, type Breakdowns } from "./summarize";

// One campaign's or flow's results: its funnel by channel and segment, per day, and its holdout
// lift overall and per segment. Read from the stored events, attributions and orders each time:
// a refund or a late click shows at the next look.

export interface ResultsSource {
  kind: "campaign" | "flow";
  id: string;
  key: string;
  name: string;
  status: string;
}

export interface SourceResults {
  source: ResultsSource;
  funnel: Breakdowns;
  daily: DailyRow[];
  lift: { overall: LiftResult; bySegment: Array<{ segment: string; lift: LiftResult }> };
}

export type ResultsReadDb = Pick<PrismaClient, "$queryRaw" | "$queryRawUnsafe" | "campaign" | "flow">;

export async function findResultsSource(
  db: ResultsReadDb,
  shop: string,
  id: string,
): Promise<ResultsSource | null> {
  return (await findResultsSources(db, shop, [id])).get(id) ?? null;
}

/** The campaigns and flows of these ids, in one query each: the overview lists them all. */
export async function findResultsSources(
  db: ResultsReadDb,
  shop: string,
  ids: readonly string[],
): Promise<Map<string, ResultsSource>> {
  const [campaigns, flows] = await Promise.all([
    db.campaign.findMany({ where: { shop, id: { in: [...ids] } }, select: { id: true, key: true, name: true, status: true } }),
    db.flow.findMany({ where: { shop, id: { in: [...ids] } }, select: { id: true, key: true, status: true } }),
  ]);
  const found = new Map<string, ResultsSource>();
  for (const flow of flows) {
    const builtIn = BUILT_IN_FLOW_KEYS.find((key) => key === flow.key);
    found.set(flow.id, { kind: "flow", ...flow, name: builtIn ? BUILT_IN_FLOWS[builtIn].definition.name : flow.key });
  }
  for (const campaign of campaigns) found.set(campaign.id, { kind: "campaign", ...campaign });
  return found;
}

function arm(rows: readonly ArmRow[], buyers: readonly BuyerRow[], holdout: boolean): ArmInput {
  const mine = rows.filter((r) => r.holdout === holdout);
  return {
    n: mine.reduce((n, r) => n + r.recipients, 0),
    conversions: mine.reduce((n, r) => n + r.conversions, 0),
    nonzeroRevenues: buyers
      .filter((b) => b.holdout === holdout && b.revenueMinor !== 0n)
      .map((b) => Number(b.revenueMinor)),
  };
}

/** Lift of the rows given (one segment, or all), reproducible: the seed is fixed. */
function liftOf(rows: readonly ArmRow[], buyers: readonly BuyerRow[]): LiftResult {
  return computeLift({ treated: arm(rows, buyers, false), control: arm(rows, buyers, true) }, { seed: 1 });
}

/** Each source's overall lift, in two queries for all of them: what the season overview shows. */
export async function loadSourcesLift(
  db: ResultsReadDb,
  shop: string,
  sourceIds: readonly string[],
  windows: AttributionWindows,
): Promise<(sourceId: string) => LiftResult> {
  const [arms, buyers] = await Promise.all([
    armRows(db, shop, sourceIds, windows.conversionDays),
    buyerRows(db, shop, sourceIds, windows.conversionDays),
  ]);
  return (id) => liftOf(arms.filter((r) => r.sourceId === id), buyers.filter((b) => b.sourceId === id));
}

export async function loadSourceResults(
  db: ResultsReadDb,
  shop: string,
  source: ResultsSource,
  options: { timeZone: string; windows: AttributionWindows },
): Promise<SourceResults> {
  const [funnel, daily, arms, buyers] = await Promise.all([
    funnelRows(db, shop, source.id),
    dailyRows(db, shop, source.id, options.timeZone),
    armRows(db, shop, [source.id], options.windows.conversionDays),
    buyerRows(db, shop, [source.id], options.windows.conversionDays),
  ]);
  const segments = [...new Set(arms.map((r) => r.segment))].sort();
  return {
    source,
    funnel: summarizeFunnel(funnel),
    daily,
    lift: {
      overall: liftOf(arms, buyers),
      bySegment: segments.map((segment) => ({
        segment,
        lift: liftOf(
          arms.filter((r) => r.segment === segment),
          buyers.filter((b) => b.segment === segment),
        ),
      })),
    },
  };
}
