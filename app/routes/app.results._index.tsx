import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { loadResultsOverview } from "../ui/results/results-overview.server";
import { NothingSent, SeasonLine, SourcesTable } from "../ui/results/results-overview";
import { titleMeta } from "../ui/page-title";

export const meta: MetaFunction = () => titleMeta("Results");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadResultsOverview(prisma, session.shop);
};

export default function Results() {
  const overview = useLoaderData<typeof loader>();
  return (
    <Page fullWidth>
      <TitleBar title="Results" />
      <Layout>
        <Layout.Section>
          {overview.season ? (
            <BlockStack gap="400">
              <Card>
                <SeasonLine season={overview.season} />
              </Card>
              <Card padding="0">
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="h2" variant="headingMd">
                    Campaigns and flows
                  </Text>
                </div>
                <SourcesTable overview={overview} />
              </Card>
              <Text as="p" tone="subdued">
                {overview.attribution}
              </Text>
            </BlockStack>
          ) : (
            <NothingSent />
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
