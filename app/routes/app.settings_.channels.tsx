import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Layout, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { loadChannels, postChannels } from "../ui/channels/channels-page.server";
import { ChannelsSection } from "../ui/channels/channels-section";
import { titleMeta } from "../ui/page-title";

// Settings → Channels on a page of its own; the Settings page shows the same section, which loads
// and posts here with fetchers. Scripts use the JSON twin, /app/settings/channels.json.

export const meta: MetaFunction = () => titleMeta("Channels", "Settings");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadChannels(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return postChannels(session.shop, await request.formData());
};

export default function Channels() {
  return (
    <Page backAction={{ content: "Settings", url: "/app/settings" }} title="Channels">
      <TitleBar title="Channels" />
      <Layout>
        <ChannelsSection title="Email, SMS and webhook" />
      </Layout>
    </Page>
  );
}
