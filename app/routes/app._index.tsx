import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { loadStoreOverview } from "../sync/store-overview.server";
import { latestBackfill, storedCounts } from "../sync/sync-status.server";
import { phaseLabel } from "../sync/sync-progress";
import { EmptyCard } from "../ui/empty-card";
import { SegmentOverview } from "../ui/segment-overview";
import { loadSegmentReport } from "../segments/report.server";
import { formatCount } from "../ui/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const [overview, stored, backfill, segments] = await Promise.all([
    loadStoreOverview(admin),
    storedCounts(prisma, session.shop),
    latestBackfill(prisma, session.shop),
    loadSegmentReport(prisma, session.shop),
  ]);
  return { ...overview, stored, backfill, segments };
};

export default function Dashboard() {
  const { shop, customersCount, ordersCount, stored, backfill, segments } = useLoaderData<typeof loader>();
  const syncNote =
    backfill === null
      ? "Not synced yet"
      : backfill.status === "completed"
        ? `Synced ${new Date(backfill.finishedAt ?? backfill.startedAt).toUTCString()}`
        : backfill.status === "running"
          ? `${phaseLabel(backfill.phase)}…`
          : "Last sync failed — see Settings";
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
          <Text as="p" tone="subdued">
            {syncNote} · <Link to="/app/settings">Sync settings</Link>
          </Text>
        </Layout.Section>
        <Layout.Section>
          {segments.scoredAt === null ? (
            <EmptyCard heading="Your segments will appear here">
              <p>
                Once your customers are synced and scored, this page shows how many are in each segment (VIP,
                price-sensitive, lapsed, recent) and their share of your revenue.
              </p>
            </EmptyCard>
          ) : (
            <SegmentOverview segments={segments.segments} scoredAt={segments.scoredAt} />
          )}
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
