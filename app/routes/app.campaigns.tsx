import type { LoaderFunctionArgs } from "@remix-run/node";
import { Layout, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { EmptyCard } from "../ui/empty-card";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Campaigns() {
  return (
    <Page>
      <TitleBar title="Campaigns" />
      <Layout>
        <Layout.Section>
          <EmptyCard heading="No campaigns planned yet">
            <p>
              Pick a season — Black Friday / Cyber Week or Christmas — and a plan appears here: one campaign
              per segment, sent by the channel each customer consented to, at their local time, with a holdout
              group to measure the lift.
            </p>
          </EmptyCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
