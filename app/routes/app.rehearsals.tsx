import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { rehearsalsPage } from "../ui/rehearsals/rehearsals-page.server";
import { RehearsalReport } from "../ui/rehearsals/rehearsal-report";
import { RehearsalRuns } from "../ui/rehearsals/rehearsal-runs";
import { EmptyCard } from "../ui/empty-card";
import { titleMeta } from "../ui/page-title";

export const meta: MetaFunction = () => titleMeta("Rehearsals");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  return rehearsalsPage(new URL(request.url).searchParams);
};

export default function Rehearsals() {
  const { runs, shown } = useLoaderData<typeof loader>();
  return (
    <Page fullWidth>
      <TitleBar title="Rehearsals" />
      <Layout>
        {shown ? (
          <RehearsalReport shown={shown} />
        ) : (
          <Layout.Section>
            <EmptyCard heading="No rehearsal yet">
              <Text as="p">
                A Cyber Week rehearsal replays a peak of orders, checkouts and stock changes against this app,
                with a worker killed, database connections dropped and a provider refusing for a minute, and
                measures how late flow messages go out. Run{" "}
                <code>npm run rehearse -- --scale 500 --minutes 3</code> on the machine that runs the app; its
                report appears here.
              </Text>
            </EmptyCard>
          </Layout.Section>
        )}
        {runs.length > 0 ? <RehearsalRuns runs={runs} shownFile={shown?.file ?? null} /> : null}
      </Layout>
    </Page>
  );
}
