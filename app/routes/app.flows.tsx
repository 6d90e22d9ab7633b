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

// A refusal (a field out of bounds, a template that does not render) is the page's ordinary answer,
// shown next to the field: it comes back as data, not as an HTTP error (the JSON twin has the status).
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return flowsPageAction(session.shop, await request.formData());
};

export default function Flows() {
  const { flows, preview, customerQuery, timeline, timelineError, readiness, timesNote } =
    useLoaderData<typeof loader>();
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
          <CustomerTimeline
            key={customerQuery}
            timeline={timeline}
            query={customerQuery}
            error={timelineError}
          />
          <TimesNote note={timesNote} />
        </TitledSection>
      </Layout>
    </Page>
  );
}
