import { describeLift, type LiftCard } from "../../results/report/describe-lift";
import { BUILT_IN_FLOW_KEYS, BUILT_IN_FLOWS } from "../../flows/built-in";
import { flowIdFor } from "../../flows/ids";
import {
  findResultsSource,
  loadSourceResults,
  type ResultsReadDb,
  type ResultsSource,
} from "../../results/report/source-results.server";
import { dailyView, type DayView } from "./daily-view";
import {
  breakdownRow,
  channelLabel,
  complaintLine,
  describeAttribution,
  funnelSteps,
  segmentLabel,
  segmentLiftRows,
  type BreakdownRow,
  type ComplaintLine,
  type FunnelStep,
  type SegmentLiftRow,
} from "./results-view";
import { resultsShop, type ResultsShopDb } from "./results-shop.server";

// The Results page of one campaign or flow, read for the session's shop only: its lift, funnel,
// breakdowns and days, every figure formatted here (money exactly, in the shop's currency; days
// on the shop's calendar). Nothing bigint crosses to the browser.

export interface ResultsPageData {
  source: { kind: "campaign" | "flow"; id: string; name: string; status: string };
  back: { content: string; url: string };
  /** nothing planned or held out yet: the page says so instead of tables of zeros */
  empty: boolean;
  lift: { card: LiftCard; segments: SegmentLiftRow[] };
  funnel: FunnelStep[];
  attribution: string;
  complaint: ComplaintLine | null;
  byChannel: BreakdownRow[];
  bySegment: BreakdownRow[];
  daily: DayView[];
  /** "Days in America/New_York" */
  daysNote: string;
  /** the charts' axis only: every amount shown comes formatted */
  currencyCode: string;
  csv: { href: string; fileName: string };
}

export const resultsPath = (id: string): string => `/app/results/${encodeURIComponent(id)}`;

/**
 * The campaign or flow of this shop with the id; a built-in flow never turned on has no row yet,
 * but the Flows page links to its results all the same (empty until it sends).
 */
export async function findPageSource(
  prisma: ResultsReadDb,
  shop: string,
  id: string,
): Promise<ResultsSource | null> {
  const source = await findResultsSource(prisma, shop, id);
  if (source) return source;
  const key = BUILT_IN_FLOW_KEYS.find((k) => flowIdFor(shop, k) === id);
  return key ? { kind: "flow", id, key, name: BUILT_IN_FLOWS[key].definition.name, status: "off" } : null;
}

/** The page's data, or null when the id is no campaign or flow of this shop. */
export async function loadResultsPage(
  prisma: ResultsReadDb & ResultsShopDb,
  shop: string,
  id: string,
): Promise<ResultsPageData | null> {
  const source = await findPageSource(prisma, shop, id);
  if (!source) return null;
  const facts = await resultsShop(prisma, shop);
  const { funnel, daily, lift } = await loadSourceResults(prisma, shop, source, {
    timeZone: facts.zone,
    windows: facts.windows,
  });
  const money = facts.money;
  return {
    source: { kind: source.kind, id: source.id, name: source.name, status: source.status },
    back:
      source.kind === "campaign"
        ? { content: "Campaign", url: `/app/campaigns/${encodeURIComponent(source.id)}` }
        : { content: "Flows", url: "/app/flows" },
    empty: funnel.total.planned === 0 && funnel.total.holdout === 0,
    lift: {
      card: describeLift(lift.overall, (minor) => money(BigInt(Math.round(minor)))),
      segments: segmentLiftRows(lift.bySegment),
    },
    funnel: funnelSteps(funnel.total, money),
    attribution: describeAttribution(facts.windows),
    complaint: complaintLine(funnel.total),
    byChannel: funnel.byChannel.map((c) => breakdownRow(c.channel, channelLabel(c.channel), c, money)),
    bySegment: funnel.bySegment.map((s) => breakdownRow(s.segment, segmentLabel(s.segment), s, money)),
    daily: dailyView(daily, money, facts.exponent),
    daysNote: `Days in ${facts.zone}.`,
    currencyCode: facts.currencyCode ?? "USD",
    csv: { href: `${resultsPath(source.id)}/events.csv`, fileName: "results-events.csv" },
  };
}
