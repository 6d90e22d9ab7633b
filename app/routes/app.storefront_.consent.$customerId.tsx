import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { prisma } from "../db.server";
import { authenticate } from "../shopify.server";
import { titleMeta } from "../ui/page-title";
import { ConsentEvidenceList } from "../ui/storefront/consent-evidence";
import { loadConsentEvidence } from "../ui/storefront/storefront-page.server";

export const meta: MetaFunction = () => titleMeta("Consent evidence");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const evidence = await loadConsentEvidence(prisma, session.shop, params.customerId ?? "");
  if (!evidence) throw new Response("Not found", { status: 404 });
  return evidence;
};

export default function ConsentEvidence() {
  const { customerId, rows, zone } = useLoaderData<typeof loader>();
  return (
    <Page backAction={{ content: "Storefront", url: "/app/storefront" }} title={`Consent evidence · customer ${customerId}`}>
      <TitleBar title="Consent evidence" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="p" tone="subdued">
                Every consent change the storefront made for this customer, oldest first, with the exact text they were
                shown, where, from which address and browser. Times in {zone}. Kept until Shopify asks to redact the
                customer, and included in their data requests.
              </Text>
              <ConsentEvidenceList rows={rows} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
