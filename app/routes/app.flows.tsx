import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { flowsPage, flowsPageAction } from "../ui/flows/flows-env.server";
import { FlowCard } from "../ui/flows/flow-card";
import { FlowSettingsForm } from "../ui/flows/flow-settings-form";
import { FlowTemplates } from "../ui/flows/flow-templates";
import { FlowTestForm } from "../ui/flows/flow-test-form";
import { CustomerTimeline } from "../ui/flows/customer-timeline";
import { TitledSection } from "../ui/titled-section";
import { TimesNote } from "../ui/times-note";
import { titleMeta } from "../ui/page-title";

export const meta: MetaFunction = () => titleMeta("Flows");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return flowsPage(session.shop, new URL(request.url).searchParams);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await flowsPageAction(session.shop, await request.formData());
  return result.ok ? result : Response.json(result, { status: result.status });
};

export default function Flows() {
  const { flows, preview, customerQuery, timeline, timelineError, readiness, timesNote } = useLoaderData<typeof loader>();
  return (
    <Page fullWidth>
      <TitleBar title="Flows" />
      <Layout>
        {flows.map((flow) => (
          <FlowCard key={flow.key} flow={flow}>
            <FlowSettingsForm flow={flow} />
            <FlowTemplates flow={flow} preview={preview} />
            <FlowTestForm flow={flow} readiness={readiness} />
          </FlowCard>
        ))}
        <TitledSection title="Customer timeline">
          <CustomerTimeline key={customerQuery} timeline={timeline} query={customerQuery} error={timelineError} />
          <TimesNote note={timesNote} />
        </TitledSection>
      </Layout>
    </Page>
  );
}
