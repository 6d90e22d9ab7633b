import { Text } from "@shopify/polaris";

/** The page's one line on which clock its times are on (timesNote in format-time). */
export function TimesNote({ note }: { note: string }) {
  return (
    <Text as="p" tone="subdued">
      {note}
    </Text>
  );
}
