import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { apiVersion, authenticate } from "../shopify.server";
import { getEnv } from "../env.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const env = getEnv();
  return {
    apiVersion,
    scopes: (session.scope ?? "").split(",").filter(Boolean),
    database: env.DATABASE_URL ? "PostgreSQL" : "Embedded database (PGlite)",
  };
};

export default function Settings() {
  const { apiVersion, scopes, database } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Settings" />
      <Layout>
        <Layout.AnnotatedSection
          title="Connection"
          description="How the app reads your store. Segment thresholds, channels, quiet hours and frequency caps will be configured here."
        >
          <Card>
            <BlockStack gap="200">
              <Text as="p">Admin API version: {apiVersion}</Text>
              <Text as="p">Access granted: {scopes.length > 0 ? scopes.join(", ") : "none yet"}</Text>
              <Text as="p">Storage: {database}</Text>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
