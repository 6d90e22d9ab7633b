import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { getJobQueue } from "../jobs/index.server";
import { requestResync } from "../sync/start-sync.server";
import { loadSyncStatusPage } from "../sync/sync-status-page.server";
import { formatCount } from "../ui/format";
import { titleMeta } from "../ui/page-title";
import { TimesNote } from "../ui/times-note";
import { SyncCard } from "../ui/sync-card";

export const meta: MetaFunction = () => titleMeta("Sync status");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadSyncStatusPage(prisma, session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "resync") return Response.json({ error: "Unknown action" }, { status: 400 });
  await requestResync(getJobQueue(), session.shop);
  return { intent: "resync", ok: true } as const;
};

export default function SyncStatus() {
  const { timesNote, backfill, counts, webhooks, scoredAt, segments } = useLoaderData<typeof loader>();
  return (
    <Page backAction={{ content: "Settings", url: "/app/settings" }} title="Sync status">
      <TitleBar title="Sync status" />
      <Layout>
        <Layout.Section>
          <SyncCard run={backfill} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                What the app holds
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={["Records", "Count"]}
                rows={[
                  ["Customers", formatCount(counts.customers)],
                  ["Customers who have ordered", formatCount(counts.buyers)],
                  ["Orders", formatCount(counts.orders)],
                  [
                    "Orders that count toward segments (not test, not cancelled)",
                    formatCount(counts.countedOrders),
                  ],
                  ["Shopify updates applied", formatCount(webhooks.processed)],
                  ["Shopify updates waiting", formatCount(webhooks.received)],
                  [
                    "Shopify updates that could not be applied (kept for review)",
                    formatCount(webhooks.failed),
                  ],
                ]}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Segments
              </Text>
              <Text as="p" tone="subdued">
                {scoredAt ? `Scored ${scoredAt}.` : "Not scored yet: customers are scored after the sync."}
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={["Segment", "Customers"]}
                rows={segments.map((s) => [s.label, formatCount(s.customers)])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <TimesNote note={timesNote} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
