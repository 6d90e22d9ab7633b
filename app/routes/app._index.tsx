import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { loadStoreOverview } from "../sync/store-overview.server";
import { latestBackfill, storedCounts } from "../sync/sync-status.server";
import { showSyncRun, syncStillMoving, type SyncRunShown } from "../sync/sync-progress";
import { EmptyCard } from "../ui/empty-card";
import { SegmentOverview } from "../ui/segment-overview";
import { loadSegmentReport } from "../segments/report.server";
import { formatCount } from "../ui/format";
import { displayZone, formatOptionalDateTime, timesNote } from "../ui/format-time";
import { titleMeta } from "../ui/page-title";
import { TimesNote } from "../ui/times-note";
import { SyncRunProgress } from "../ui/sync-card";
import { usePollWhile } from "../ui/campaigns/use-poll-while";

export const meta: MetaFunction = () => titleMeta("Dashboard");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const [overview, stored, backfill, segments] = await Promise.all([
    loadStoreOverview(admin),
    storedCounts(prisma, session.shop),
    latestBackfill(prisma, session.shop),
    loadSegmentReport(prisma, session.shop),
  ]);
  // Shopify's own answer, so the zone is right even before the first sync stored it.
  const zone = displayZone(overview.shop.ianaTimezone);
  return {
    ...overview,
    stored,
    backfill: showSyncRun(backfill, zone),
    segments: { segments: segments.segments, scoredAt: segments.scoredAt, scoredLabel: formatOptionalDateTime(segments.scoredAt, zone) },
    timesNote: timesNote(zone),
  };
};

function syncNote(run: SyncRunShown | null): string {
  if (run === null) return "Your first sync is about to start";
  switch (run.status) {
    case "completed":
      return `Synced ${run.finishedLabel ?? run.startedLabel}`;
    case "running":
      return "Syncing";
    case "failed":
      return "Last sync failed";
    case "cancelled":
      return "Last sync was cancelled";
    default: {
      const unreachable: never = run.status;
      return unreachable;
    }
  }
}

export default function Dashboard() {
  const { shop, customersCount, ordersCount, stored, backfill, segments, timesNote } = useLoaderData<typeof loader>();
  // While a sync runs (and until its customers are scored) the figures below change: look again.
  usePollWhile(syncStillMoving(backfill, segments.scoredAt));
  return (
    <Page>
      <TitleBar title="Dashboard" />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Metric label="Store" value={shop.name} detail={`${shop.currencyCode} · ${shop.ianaTimezone}`} />
            <Metric
              label="Customers synced"
              value={formatCount(stored.customers)}
              detail={`of ${formatCount(customersCount.count)} customers in Shopify · ${formatCount(stored.buyers)} have ordered`}
            />
            <Metric
              label="Orders synced"
              value={formatCount(stored.orders)}
              detail={`of ${formatCount(ordersCount.count)} orders in Shopify · ${formatCount(stored.countedOrders)} count toward segments`}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          {backfill?.status === "running" ? (
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Syncing your customers and orders
                </Text>
                <SyncRunProgress run={backfill} />
                <Text as="p" tone="subdued">
                  This page updates as the sync goes. <Link to="/app/sync-status">Sync status</Link>
                </Text>
              </BlockStack>
            </Card>
          ) : (
            <Text as="p" tone="subdued">
              {syncNote(backfill)} · <Link to="/app/sync-status">Sync status</Link> ·{" "}
              <Link to="/app/settings">Sync settings</Link>
            </Text>
          )}
        </Layout.Section>
        <Layout.Section>
          {segments.scoredLabel === null ? (
            <EmptyCard heading="Your segments will appear here">
              <p>
                Once your customers are synced and scored, this page shows how many are in each segment (VIP,
                price-sensitive, lapsed, recent) and their share of your revenue.
              </p>
            </EmptyCard>
          ) : (
            <SegmentOverview segments={segments.segments} scoredAt={segments.scoredLabel} />
          )}
        </Layout.Section>
        <Layout.Section>
          <TimesNote note={timesNote} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Metric({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {detail ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
