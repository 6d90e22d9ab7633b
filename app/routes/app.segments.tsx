import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { loadSegmentsPage } from "../segments/report.server";
import { EmptyCard } from "../ui/empty-card";
import { formatCount } from "../ui/format";
import { SegmentCrosstab } from "../ui/segment-crosstab";
import { SegmentExportButton } from "../ui/segment-export";
import { SegmentHeatmap } from "../ui/segment-heatmap";
import { SegmentMembers } from "../ui/segment-members";
import { SegmentTable } from "../ui/segment-table";
import { titleMeta } from "../ui/page-title";
import { TimesNote } from "../ui/times-note";

export const meta: MetaFunction = () => titleMeta("Segments");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSegmentsPage(prisma, session.shop, new URL(request.url).searchParams);
};

export default function Segments() {
  const { report, members, timesNote } = useLoaderData<typeof loader>();
  if (report.scoredLabel === null) return <NotScored customers={report.totalCustomers} />;
  return (
    <Page fullWidth>
      <TitleBar title="Segments" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          Scored {report.scoredLabel} · {formatCount(report.scoredCustomers)} of{" "}
          {formatCount(report.totalCustomers)} customers · revenue {report.totalRevenue}. Scores refresh after
          each sync, nightly, and for a customer as soon as Shopify reports an order.{" "}
          <RemixLink to="/app/settings">Thresholds and tags</RemixLink>
        </Text>
        <Card padding="0">
          <div style={{ padding: "var(--p-space-400)" }}>
            <Text as="h2" variant="headingMd">
              Segments
            </Text>
          </div>
          <SegmentTable segments={report.segments} />
        </Card>
        <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Recency × frequency
              </Text>
              <SegmentHeatmap cells={report.matrix} max={report.matrixMax} />
            </BlockStack>
          </Card>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Compared with Shopify&apos;s RFM groups
              </Text>
              {report.crosstab ? (
                <SegmentCrosstab crosstab={report.crosstab} />
              ) : (
                <Text as="p" tone="subdued">
                  Shopify has not assigned RFM groups to these customers, so there is nothing to compare yet.
                </Text>
              )}
            </BlockStack>
          </Card>
        </InlineGrid>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="start">
              <Text as="h2" variant="headingMd">
                Customers
              </Text>
              <SegmentExportButton segment={members.query.segment} />
            </InlineStack>
            <SegmentMembers members={members} />
          </BlockStack>
        </Card>
        <TimesNote note={timesNote} />
      </BlockStack>
    </Page>
  );
}

function NotScored({ customers }: { customers: number }) {
  return (
    <Page>
      <TitleBar title="Segments" />
      <Layout>
        <Layout.Section>
          <EmptyCard heading="No segments yet">
            <p>
              {customers > 0
                ? `${formatCount(customers)} customers are synced and waiting to be scored. `
                : "After your customers and orders are synced, "}
              every customer is scored by Recency, Frequency and Monetary value and placed in one segment.
              This page will then show each segment&apos;s size, its share of customers and revenue, its
              average order value and the treatment it gets, a recency × frequency map, and the list of
              customers you can search and export:
            </p>
            <List>
              <List.Item>VIP — early access and previews, no blanket discounts</List.Item>
              <List.Item>Price-sensitive — short sale windows and clear deadlines</List.Item>
              <List.Item>Lapsed — delivery guarantees and shipping cut-offs</List.Item>
              <List.Item>Recent — cross-sell of products in stock</List.Item>
              <List.Item>
                Regular and Prospect — standard campaigns, and a welcome for those yet to order
              </List.Item>
            </List>
          </EmptyCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
