import type { PrismaClient } from "@prisma/client";
import { offsetAt } from "../../messaging/rules/time-zone";
import { UTM_SOURCE } from "../../messaging/tracking/utm";
import type { MarketingChannelName, MarketingSummary, MarketingSummaryStatus } from "../marketing-report";
import { marketingDayRows, sentSpan } from "./marketing-queries.server";
import { findResultsSource, type ResultsReadDb } from "./source-results.server";

// What Shopify's marketing reports get of a campaign or flow: the activity, whose UTM matches its
// tracked links (so Shopify credits the same orders in its own reports), and its days.

const STATUS: Record<string, MarketingSummaryStatus> = {
  scheduled: "scheduled",
  sending: "active",
  paused: "paused",
  completed: "completed",
  cancelled: "cancelled",
  on: "active",
  off: "completed",
};

const CHANNELS: readonly MarketingChannelName[] = ["email", "sms", "webhook"];

function utcOffset(day: string, timeZone: string): string {
  const minutes = Math.round(offsetAt(Date.parse(`${day}T12:00:00Z`), timeZone) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export interface MarketingSummaryDeps {
  prisma: ResultsReadDb & Pick<PrismaClient, "shop" | "campaign">;
  appUrl: string;
  timeZone: (shop: string) => Promise<string>;
}

/** Null for what has sent nothing yet, or is not this shop's. */
export async function loadMarketingSummary(
  deps: MarketingSummaryDeps,
  shop: string,
  kind: "campaign" | "flow",
  id: string,
): Promise<MarketingSummary | null> {
  const { prisma } = deps;
  const source = await findResultsSource(prisma, shop, id);
  const status = source && STATUS[source.status];
  if (!source || source.kind !== kind || !status) return null;
  const span = await sentSpan(prisma, shop, id);
  if (!span.firstSentAt) return null;
  const [zone, shopRow, campaign] = await Promise.all([
    deps.timeZone(shop),
    prisma.shop.findUnique({ where: { domain: shop }, select: { currencyCode: true } }),
    kind === "campaign"
      ? prisma.campaign.findFirst({ where: { shop, id }, select: { completedAt: true } })
      : null,
  ]);
  const currencyCode = shopRow?.currencyCode ?? "USD";
  const channels = CHANNELS.filter((c) => span.channels.includes(c));
  const days = await marketingDayRows(prisma, shop, id, zone);
  return {
    shop,
    kind,
    id,
    key: source.key,
    title: source.name,
    status,
    channels,
    startedAt: span.firstSentAt,
    endedAt: campaign?.completedAt ?? null,
    utm: {
      campaign: source.key,
      source: UTM_SOURCE,
      medium: channels.includes("email") || channels.length === 0 ? "email" : "sms",
    },
    remoteUrl: `${deps.appUrl.replace(/\/+$/, "")}/app/results/${encodeURIComponent(id)}`,
    days: days.map((d) => ({ ...d, utcOffset: utcOffset(d.day, zone), currencyCode })),
  };
}
