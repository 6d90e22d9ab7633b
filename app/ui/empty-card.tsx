import type { ReactNode } from "react";
import { BlockStack, Card, Text } from "@shopify/polaris";

/** What a page will show once there is data, said plainly where the data will appear. */
export function EmptyCard({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300" inlineAlign="start">
        <Text as="h2" variant="headingMd">
          {heading}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}
