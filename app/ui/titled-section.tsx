import type { ReactNode } from "react";
import { BlockStack, Card, Layout, Text } from "@shopify/polaris";

/** A page section: a card with a heading, as every card of the Campaigns pages has. */
export function TitledSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Layout.Section>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {children}
        </BlockStack>
      </Card>
    </Layout.Section>
  );
}
