import type { LoaderFunctionArgs } from "@remix-run/node";
import { Layout, List, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { EmptyCard } from "../ui/empty-card";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Segments() {
  return (
    <Page>
      <TitleBar title="Segments" />
      <Layout>
        <Layout.Section>
          <EmptyCard heading="No segments yet">
            <p>
              After your customers and orders are synced, every customer is scored by Recency, Frequency and
              Monetary value and placed in one segment. Each segment will show its size, its share of revenue
              and the treatment it gets:
            </p>
            <List>
              <List.Item>VIP — early access and previews, no blanket discounts</List.Item>
              <List.Item>Price-sensitive — short sale windows and clear deadlines</List.Item>
              <List.Item>Lapsed — delivery guarantees and shipping cut-offs</List.Item>
              <List.Item>Recent — cross-sell of products in stock</List.Item>
            </List>
          </EmptyCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
