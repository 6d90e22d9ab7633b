import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { EmptyCard } from "../ui/empty-card";
import { authenticate } from "../shopify.server";
import { loadStoreOverview } from "../sync/store-overview.server";
import { formatCount } from "../ui/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.admin(request);
  return loadStoreOverview(admin);
};

export default function Dashboard() {
  const { shop, customersCount, ordersCount } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Dashboard" />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <Metric label="Store" value={shop.name} detail={`${shop.currencyCode} · ${shop.ianaTimezone}`} />
            <Metric label="Customers in Shopify" value={formatCount(customersCount.count)} />
            <Metric label="Orders in Shopify" value={formatCount(ordersCount.count)} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <EmptyCard heading="Your peak-season overview will appear here">
            <p>
              Once your customers and orders are synced, this page shows how many customers are in each
              segment (VIP, price-sensitive, lapsed, recent), the campaigns scheduled for the coming holidays
              and the revenue they brought in compared with the holdout group.
            </p>
          </EmptyCard>
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
