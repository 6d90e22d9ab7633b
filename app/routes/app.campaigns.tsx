import type { LoaderFunctionArgs } from "@remix-run/node";
import { Card, EmptyState, Layout, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return null;
};

export default function Campaigns() {
  return (
    <Page title="Campaigns">
      <TitleBar title="Campaigns" />
      <Layout>
        <Layout.Section>
          <Card>
            <EmptyState heading="No campaigns planned yet" image="">
              <p>
                Pick a season — Black Friday / Cyber Week or Christmas — and a plan appears here: one campaign
                per segment, sent by the channel each customer consented to, at their local time, with a
                holdout group to measure the lift.
              </p>
            </EmptyState>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
