import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link as RemixLink, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { isCampaignError } from "../campaigns/lifecycle/campaign-error";
import { campaignAction } from "../ui/campaigns/campaign-action.server";
import { loadCampaignDetail } from "../ui/campaigns/campaign-detail.server";
import { shopReadiness } from "../messaging.server";
import { campaignActionEnv, kickDispatch } from "../ui/campaigns/page-env.server";
import { AudiencePreview } from "../ui/campaigns/audience-preview";
import { CampaignActions } from "../ui/campaigns/campaign-actions";
import { CampaignEditor } from "../ui/campaigns/campaign-editor";
import { CampaignProgress } from "../ui/campaigns/campaign-progress";
import { MessageLog } from "../ui/campaigns/message-log";
import { MessagePreview } from "../ui/campaigns/message-preview";
import { PlanStatus } from "../ui/campaigns/plan-status";
import { StatusBadge } from "../ui/campaigns/status-badge";
import { TitledSection } from "../ui/titled-section";
import { titleMeta } from "../ui/page-title";
import { TimesNote } from "../ui/times-note";

export const meta: MetaFunction<typeof loader> = ({ data }) => titleMeta(data?.campaign.name ?? "Campaign", "Campaigns");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    return await loadCampaignDetail(prisma, session.shop, params.id ?? "", new URL(request.url).searchParams, await shopReadiness(session.shop));
  } catch (error) {
    if (isCampaignError(error, "NOT_FOUND")) throw new Response("No such campaign in this shop", { status: 404 });
    throw error;
  }
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const id = params.id ?? "";
  const result = await campaignAction(campaignActionEnv(session.shop), session.shop, id, await request.formData());
  if (!result.ok) return Response.json(result, { status: result.status });
  // The campaign is gone: back to the list, which says what was deleted.
  if ("deleted" in result) return redirect(`/app/campaigns?${new URLSearchParams({ deleted: result.deleted })}`);
  if (result.kick) await kickDispatch(session.shop, id);
  return result;
};

export default function CampaignPage() {
  const { campaign, audience, progress, log, readiness, preview, timesNote } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const statusResult = result && result.intent !== "try-template" && result.intent !== "save" ? result : undefined;
  const saveResult = result && (result.intent === "save" || !result.ok) ? result : undefined;
  return (
    <Page fullWidth backAction={{ content: "Campaigns", url: "/app/campaigns" }} title={campaign.name} titleMetadata={<StatusBadge status={campaign.status} />}>
      <TitleBar title={campaign.name} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="p" tone="subdued">
                {campaign.key} · <RemixLink to="/app/campaigns">All campaigns</RemixLink> ·{" "}
                <RemixLink to={`/app/results/${campaign.id}`}>Results</RemixLink>
              </Text>
              <CampaignActions
                key={campaign.id}
                name={campaign.name}
                status={campaign.status}
                readiness={readiness}
                channels={campaign.draft?.channels ?? []}
                plan={audience.plannedAt === null ? null : { toSend: audience.toSend, byChannel: audience.byChannel }}
                rows={audience.groups.reduce((n, g) => n + g.rows, 0)}
                result={statusResult}
              />
              <PlanStatus planRequestedAt={campaign.planRequestedAt} planRequestedLabel={campaign.planRequestedLabel} planError={campaign.planError} />
              {campaign.status === "paused" && campaign.pausedReason ? <Banner tone="warning">{campaign.pausedReason}</Banner> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <TitledSection title="Progress">
          <CampaignProgress progress={progress} />
        </TitledSection>
        <TitledSection title="Audience preview">
          <AudiencePreview audience={audience} />
        </TitledSection>
        <TitledSection title="Messages">
          {preview ? <MessagePreview preview={preview} editable={campaign.status === "draft"} /> : <Text as="p">The campaign's definition is not valid.</Text>}
        </TitledSection>
        <TitledSection title="Campaign">
          {campaign.definitionIssues.map((i) => (
            <Text as="p" tone="critical" key={`${i.path}-${i.message}`}>
              {i.path}: {i.message}
            </Text>
          ))}
          {campaign.rules.map((line) => (
            <Text as="p" tone="subdued" key={line}>
              {line}
            </Text>
          ))}
          {campaign.rules.length > 0 ? (
            <Text as="p" tone="subdued">
              The shop's rules: <RemixLink to="/app/settings">Settings → Campaigns</RemixLink>.
            </Text>
          ) : null}
          {campaign.draft ? (
            <CampaignEditor
              key={`${campaign.id}-${campaign.status}`}
              draft={campaign.draft}
              errors={saveResult && !saveResult.ok ? saveResult.fieldErrors : {}}
              editable={campaign.status === "draft"}
              savedMessage={saveResult?.ok ? saveResult.message : null}
            />
          ) : null}
        </TitledSection>
        <TitledSection title="Message log">
          <MessageLog log={log} />
          <TimesNote note={timesNote} />
        </TitledSection>
      </Layout>
    </Page>
  );
}
