import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { loadResultsPage } from "../ui/results/results-page.server";
import { BreakdownTable } from "../ui/results/breakdown-table";
import { DailySection } from "../ui/results/daily-section";
import { FunnelSection } from "../ui/results/funnel-section";
import { LiftHeadline, SegmentLiftTable } from "../ui/results/lift-section";
import { StatusBadge } from "../ui/campaigns/status-badge";
import { FlowStatusBadge } from "../ui/flows/flow-card";
import { DownloadButton } from "../ui/download-button";
import { TitledSection } from "../ui/titled-section";
import { titleMeta } from "../ui/page-title";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  titleMeta(data ? `Results: ${data.source.name}` : "Results");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = await loadResultsPage(prisma, session.shop, params.id ?? "");
  if (!page) throw new Response("No such campaign or flow in this shop", { status: 404 });
  return page;
};

export default function ResultsPage() {
  const page = useLoaderData<typeof loader>();
  const title = `Results: ${page.source.name}`;
  return (
    <Page
      fullWidth
      backAction={page.back}
      title={title}
      titleMetadata={
        page.source.kind === "campaign" ? (
          <StatusBadge status={page.source.status} />
        ) : (
          <FlowStatusBadge status={page.source.status} />
        )
      }
    >
      <TitleBar title={title} />
      <Layout>
        <Layout.Section>
          <InlineStack align="space-between" blockAlign="center" gap="300">
            <Text as="p" tone="subdued">
              {page.source.kind === "campaign" ? "Campaign" : "Flow"} ·{" "}
              <RemixLink to="/app/results">All results</RemixLink>
            </Text>
            <DownloadButton
              href={page.csv.href}
              fileName={page.csv.fileName}
              label="Download events (CSV)"
              failure="The download failed. Try again."
            />
          </InlineStack>
        </Layout.Section>
        <TitledSection title="Lift against the holdout">
          <LiftHeadline card={page.lift.card} />
          {page.lift.card.state === "none" ? null : <SegmentLiftTable rows={page.lift.segments} />}
        </TitledSection>
        {page.empty ? (
          <TitledSection title="Nothing sent yet">
            <Text as="p">
              Once this {page.source.kind} sends, this page shows its funnel from planned to revenue, each
              channel and segment, and every day on your store&apos;s calendar.
            </Text>
          </TitledSection>
        ) : (
          <>
            <TitledSection title="Funnel">
              <FunnelSection steps={page.funnel} attribution={page.attribution} complaint={page.complaint} />
            </TitledSection>
            <TitledSection title="By channel">
              <BreakdownTable first="Channel" rows={page.byChannel} />
            </TitledSection>
            <TitledSection title="By segment">
              <BreakdownTable first="Segment" rows={page.bySegment} />
            </TitledSection>
            <TitledSection title="Over time">
              <DailySection days={page.daily} note={page.daysNote} currencyCode={page.currencyCode} />
            </TitledSection>
          </>
        )}
      </Layout>
    </Page>
  );
}
