import { isFlowSourceId } from "../../messaging/dispatch/sources";
import {
  seasonTotals,
  sentSourcesFunnelRows,
  type SourceFunnelRow,
} from "../../results/report/results-queries.server";
import {
  findResultsSources,
  loadSourcesLift,
  type ResultsReadDb,
} from "../../results/report/source-results.server";
import { summarizeFunnel } from "../../results/report/summarize";
import { formatShare } from "../../segments/report.server";
import { formatCount } from "../format";
import { formatDate } from "../format-time";
import { resultsPath } from "./results-page.server";
import { breakdownRow, describeAttribution, liftSummary, type BreakdownRow } from "./results-view";
import { resultsShop, type ResultsShopDb } from "./results-shop.server";

// The season at a glance: every campaign and flow of the shop that has sent a message, with its
// funnel, attributed revenue and lift; their totals; and beside them what the shop sold in the
// period at all, so the credited part is read against the whole.

export interface OverviewRow extends BreakdownRow {
  kind: "Campaign" | "Flow";
  /** its Results page; null for a campaign deleted since */
  url: string | null;
  lift: string;
}

export interface ResultsOverview {
  sources: OverviewRow[];
  /** how every money figure was credited */
  attribution: string;
  totals: BreakdownRow;
  season: {
    /** the local day of the first message sent, "Nov 28, 2026" */
    from: string;
    sold: string;
    credited: string;
    share: string;
    soldOrders: string;
    creditedOrders: string;
  } | null;
}

function bySource(rows: readonly SourceFunnelRow[]): Map<string, SourceFunnelRow[]> {
  const groups = new Map<string, SourceFunnelRow[]>();
  for (const row of rows) groups.set(row.sourceId, [...(groups.get(row.sourceId) ?? []), row]);
  return groups;
}

export async function loadResultsOverview(
  prisma: ResultsReadDb & ResultsShopDb,
  shop: string,
): Promise<ResultsOverview> {
  const facts = await resultsShop(prisma, shop);
  const money = facts.money;
  const [rows, season] = await Promise.all([
    sentSourcesFunnelRows(prisma, shop),
    seasonTotals(prisma, shop, facts.zone),
  ]);
  const groups = bySource(rows);
  const ids = [...groups.keys()];
  const [found, liftOf] = await Promise.all([
    findResultsSources(prisma, shop, ids),
    loadSourcesLift(prisma, shop, ids, facts.windows),
  ]);
  const sources: OverviewRow[] = [];
  for (const [id, group] of groups) {
    const source = found.get(id);
    const lift = liftOf(id);
    const kind =
      (source?.kind ?? (isFlowSourceId(id) ? "flow" : "campaign")) === "flow" ? "Flow" : "Campaign";
    const name = source?.name ?? `Deleted ${kind.toLowerCase()}`;
    sources.push({
      ...breakdownRow(id, name, summarizeFunnel(group).total, money),
      kind,
      url: source ? resultsPath(id) : null,
      lift: liftSummary(lift),
    });
  }
  sources.sort((a, b) => a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));
  return {
    sources,
    attribution: describeAttribution(facts.windows),
    totals: breakdownRow("total", "Total", summarizeFunnel(rows).total, money),
    season: season.firstSentAt
      ? {
          from: formatDate(season.firstSentAt, facts.zone),
          sold: money(season.soldMinor),
          credited: money(season.creditedMinor),
          share: formatShare(season.creditedMinor, season.soldMinor),
          soldOrders: formatCount(season.soldOrders),
          creditedOrders: formatCount(season.creditedOrders),
        }
      : null,
  };
}
