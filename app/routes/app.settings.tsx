import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { apiVersion, authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { getEnv } from "../env.server";
import { getJobQueue } from "../jobs/index.server";
import { listDataRequests } from "../sync/compliance/compliance.server";
import { requestResync } from "../sync/start-sync.server";
import { applySegmentSettings } from "../segments/apply-settings.server";
import { getSegmentThresholds, getTagSegments, saveSegmentSettingsAction } from "../segments/settings.server";
import { SegmentSettingsForm } from "../ui/segment-settings-form";
import { latestBackfill, webhookCounts } from "../sync/sync-status.server";
import { showSyncRun } from "../sync/sync-progress";
import { shopTimeZone } from "../sync/shop-time-zone.server";
import { formatDateTime, timesNote } from "../ui/format-time";
import { titleMeta } from "../ui/page-title";
import { TimesNote } from "../ui/times-note";
import { DownloadButton } from "../ui/download-button";
import { CustomerLink } from "../ui/customer-link";
import { customerLabel } from "../ui/customer-name";
import { formatCount } from "../ui/format";
import { SyncCard } from "../ui/sync-card";
import { ChannelsSection } from "../ui/channels/channels-section";
import { campaignDeps } from "../campaigns/deps.server";
import { getCampaignSettings, saveCampaignSettingsAction } from "../campaigns/settings/campaign-settings.server";
import { campaignSettingsValues } from "../campaigns/settings/settings-form";
import { CampaignSettingsForm } from "../ui/campaigns/campaign-settings-form";
import { queueStorefrontDeadlines } from "../storefront/deadlines-job";

export const meta: MetaFunction = () => titleMeta("Settings");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const env = getEnv();
  const [backfill, dataRequests, webhooks, thresholds, tagSegments, campaignSettings, zone] = await Promise.all([
    latestBackfill(prisma, session.shop),
    listDataRequests(prisma, session.shop),
    webhookCounts(prisma, session.shop),
    getSegmentThresholds(prisma, session.shop),
    getTagSegments(prisma, session.shop),
    getCampaignSettings(prisma, session.shop),
    shopTimeZone(prisma, session.shop),
  ]);
  return {
    apiVersion,
    scopes: (session.scope ?? "").split(",").filter(Boolean),
    database: env.DATABASE_URL ? "PostgreSQL" : "Embedded database (PGlite)",
    jobs: env.REDIS_URL ? "Redis (BullMQ)" : "In-process queue on the database",
    backfill: showSyncRun(backfill, zone),
    timesNote: timesNote(zone),
    webhooks,
    thresholds,
    tagSegments,
    campaignSettings: campaignSettingsValues(campaignSettings),
    dataRequests: dataRequests.map((r) => ({
      id: r.id,
      customerId: r.customerId,
      firstName: r.firstName,
      lastName: r.lastName,
      requestedAt: formatDateTime(r.requestedAt, zone),
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  switch (intent) {
    case "resync":
      await requestResync(getJobQueue(), session.shop);
      return { intent, ok: true } as const;
    case "thresholds": {
      const result = await saveSegmentSettingsAction(prisma, session.shop, form);
      if (result.ok) await applySegmentSettings(getJobQueue(), session.shop, result);
      return { intent, ...result } as const;
    }
    case "campaign-settings": {
      const deps = {
        ...campaignDeps(),
        settingsSaved: (shop: string) => queueStorefrontDeadlines(getJobQueue(), shop, `settings:${Date.now()}`),
      };
      const result = await saveCampaignSettingsAction(deps, session.shop, form);
      return result.ok
        ? ({ intent, ok: true, draftsUpdated: result.draftsUpdated } as const)
        : ({ intent, ok: false, errors: result.errors, values: result.values } as const);
    }
    default:
      return Response.json({ error: `Unknown action "${String(intent)}"` }, { status: 400 });
  }
};

export default function Settings() {
  const { apiVersion, scopes, database, jobs, backfill, timesNote, webhooks, dataRequests, thresholds, tagSegments, campaignSettings } =
    useLoaderData<typeof loader>();
  const saved = useActionData<typeof action>();
  const segmentResult = saved && "intent" in saved && saved.intent === "thresholds" ? saved : undefined;
  const campaignResult = saved && "intent" in saved && saved.intent === "campaign-settings" ? saved : undefined;
  return (
    <Page>
      <TitleBar title="Settings" />
      <Layout>
        <Layout.AnnotatedSection
          title="Sync"
          description="Customers and orders are loaded in bulk on install, kept fresh by Shopify's webhooks, and re-checked every hour."
        >
          <BlockStack gap="400">
            <SyncCard run={backfill} detailsLink />
            <Card>
              <Text as="p">
                Shopify updates received: {formatCount(webhooks.processed)} applied
                {webhooks.received > 0 ? `, ${formatCount(webhooks.received)} waiting` : ""}
                {webhooks.failed > 0
                  ? `, ${formatCount(webhooks.failed)} could not be applied (kept for review)`
                  : ""}
              </Text>
            </Card>
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Segments"
          description="When a customer counts as lapsed, VIP, price-sensitive or recent. Saving rescores every customer; a bad value is refused and the old ones stay."
        >
          <SegmentSettingsForm
            thresholds={thresholds}
            tagSegments={tagSegments}
            errors={segmentResult && !segmentResult.ok ? segmentResult.errors : undefined}
            values={segmentResult && !segmentResult.ok ? segmentResult.values : undefined}
            saved={segmentResult?.ok}
            rescoring={segmentResult?.ok ? segmentResult.rescore : undefined}
          />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Campaigns"
          description="Shipping cut-offs for the season calendar and the Christmas playbook, and the rules every campaign follows: holdout, frequency caps, SMS hours. Draft campaigns take new rules at once; scheduled ones keep the rules they were planned with."
        >
          <CampaignSettingsForm
            values={campaignResult && !campaignResult.ok ? campaignResult.values : campaignSettings}
            errors={campaignResult && !campaignResult.ok ? campaignResult.errors : undefined}
            draftsUpdated={campaignResult?.ok ? campaignResult.draftsUpdated : undefined}
          />
        </Layout.AnnotatedSection>
        <ChannelsSection />
        <Layout.AnnotatedSection
          title="Customer data requests"
          description="When a customer asks what you hold on them, Shopify tells the app; their data is prepared here for you to send them."
        >
          <Card>
            {dataRequests.length === 0 ? (
              <Text as="p">No requests so far.</Text>
            ) : (
              <BlockStack gap="200">
                {dataRequests.map((r) => (
                  <InlineStack key={r.id} gap="200" blockAlign="center">
                    <Text as="p">
                      <CustomerLink inText customer={{ id: r.customerId, firstName: r.firstName, lastName: r.lastName }} />,
                      requested {r.requestedAt}
                    </Text>
                    <DownloadButton
                      href={`/app/data-requests/${r.id}`}
                      fileName={`customer-${r.customerId}-data.json`}
                      label="Download"
                      accessibilityLabel={`Download ${customerLabel({ id: r.customerId, firstName: r.firstName, lastName: r.lastName })}'s data`}
                      failure="The file could not be downloaded. Try again."
                      variant="plain"
                    />
                  </InlineStack>
                ))}
              </BlockStack>
            )}
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Connection"
          description="How the app reads your store and where it keeps its data."
        >
          <Card>
            <BlockStack gap="200">
              <Text as="p">Admin API version: {apiVersion}</Text>
              <Text as="p">Access granted: {scopes.length > 0 ? scopes.join(", ") : "none yet"}</Text>
              <Text as="p">Storage: {database}</Text>
              <Text as="p">Background jobs: {jobs}</Text>
              <TimesNote note={timesNote} />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
