import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { prisma } from "../db.server";
import { authenticate } from "../shopify.server";
import { titleMeta } from "../ui/page-title";
import { BannerCard, InstallCard, RecentConsentCard, SignupSettingsCard } from "../ui/storefront/storefront-cards";
import { loadStorefrontPage, saveStorefrontSettings } from "../ui/storefront/storefront-page.server";

export const meta: MetaFunction = () => titleMeta("Storefront");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadStorefrontPage(prisma, session.shop, new Date());
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "storefront-settings") return Response.json({ ok: false, error: "Unknown action" }, { status: 400 });
  return saveStorefrontSettings(prisma, session.shop, form);
};

export default function Storefront() {
  const page = useLoaderData<typeof loader>();
  const saved = useActionData<typeof action>();
  return (
    <Page title="Storefront">
      <TitleBar title="Storefront" />
      <Layout>
        <Layout.Section>
          <InstallCard blocks={page.blocks} preview={page.preview} />
        </Layout.Section>
        <Layout.Section>
          <BannerCard deadlines={page.deadlines} showFrom={page.showFrom} occasion={page.occasion} zone={page.zone} />
        </Layout.Section>
        <Layout.Section>
          <SignupSettingsCard doubleOptInEmail={page.settings.doubleOptInEmail} saved={Boolean(saved && "ok" in saved && saved.ok)} />
        </Layout.Section>
        <Layout.Section>
          <RecentConsentCard rows={page.recent} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
