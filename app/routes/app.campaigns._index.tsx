import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, Box, Button, Card, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { loadCampaignsPage, planPlaybookFromForm } from "../ui/campaigns/campaigns-page.server";
import { campaignDeps } from "../campaigns/deps.server";
import { playbookBackground } from "../ui/campaigns/page-env.server";
import { EmptyCard } from "../ui/empty-card";
import { CampaignList } from "../ui/campaigns/campaign-list";
import { usePollWhile } from "../ui/campaigns/use-poll-while";
import { PlaybookWizard } from "../ui/campaigns/playbook-wizard";
import { SeasonCalendar } from "../ui/campaigns/season-calendar";
import { TitledSection } from "../ui/titled-section";
import { titleMeta } from "../ui/page-title";

export const meta: MetaFunction = () => titleMeta("Campaigns");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadCampaignsPage(prisma, session.shop, new URL(request.url).searchParams);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "plan-playbook")
    return Response.json({ ok: false, message: "Unknown action", fieldErrors: {} }, { status: 400 });
  const result = await planPlaybookFromForm(campaignDeps(), session.shop, form, playbookBackground(session.shop));
  return result.ok ? result : Response.json(result, { status: result.status });
};

export default function Campaigns() {
  const { deleted, year, country, events, notes, calendarError, campaigns, playbooks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [yearText, setYearText] = useState(String(year));
  const [countryText, setCountryText] = useState(country);
  usePollWhile(campaigns.some((c) => c.planning));
  return (
    <Page fullWidth>
      <TitleBar title="Campaigns" />
      <Layout>
        <Layout.Section>
          {deleted ? (
            <Box paddingBlockEnd="400">
              <Banner tone="success">Deleted the campaign {deleted} and its messages that never went out.</Banner>
            </Box>
          ) : null}
          {campaigns.length === 0 ? (
            <EmptyCard heading="No campaigns planned yet">
              <p>
                Pick a season — Black Friday / Cyber Week or Christmas — and a plan appears here: one campaign per
                segment, sent by the channel each customer consented to, at their local time, with a holdout group
                to measure the lift.
              </p>
            </EmptyCard>
          ) : (
            <Card padding="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  Campaigns
                </Text>
              </div>
              <CampaignList campaigns={campaigns} />
            </Card>
          )}
        </Layout.Section>
        <TitledSection title="Plan a playbook">
          <PlaybookWizard playbooks={playbooks} country={country} result={result} />
        </TitledSection>
        <TitledSection title={`Season calendar ${year} (${country})`}>
          <Form method="get">
            <InlineStack gap="200" blockAlign="end">
              <TextField label="Year" name="year" value={yearText} onChange={setYearText} autoComplete="off" />
              <TextField
                label="Country"
                name="country"
                value={countryText}
                onChange={setCountryText}
                autoComplete="off"
              />
              <Button submit>Show</Button>
            </InlineStack>
          </Form>
          {calendarError ? (
            <Text as="p" tone="critical">
              {calendarError}
            </Text>
          ) : null}
          <SeasonCalendar events={events} notes={notes} />
        </TitledSection>
      </Layout>
    </Page>
  );
}
