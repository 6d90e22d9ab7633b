import { useState } from "react";
import { BlockStack, Button, Text } from "@shopify/polaris";
import { SEGMENT_TREATMENT, SEGMENTS } from "../segments/rules";

// Embedded in the admin, the app is authenticated by App Bridge's session token, which it adds
// to fetch() but not to a plain navigation; so the file is fetched, then handed to the browser.

export const EXPORT_PATH = "/app/segments/export.csv";

export function SegmentExportButton({ segment }: { segment: string | null }) {
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const known = SEGMENTS.find((s) => s === segment);
  const href = segment ? `${EXPORT_PATH}?segment=${encodeURIComponent(segment)}` : EXPORT_PATH;
  const download = async () => {
    setState("loading");
    try {
      const response = await fetch(href);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = `segments${segment ? `-${segment}` : ""}-${new Date().toISOString().slice(0, 10)}.csv`;
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <BlockStack gap="100" inlineAlign="end">
      <Button
        onClick={() => void download()}
        loading={state === "loading"}
        // starts with the visible words, so speech users can say what they see (label in name)
        accessibilityLabel={`Export CSV of ${known ? SEGMENT_TREATMENT[known].label : "all"} customers`}
      >
        Export CSV
      </Button>
      {state === "failed" ? (
        <Text as="p" tone="critical" variant="bodySm">
          The export could not be downloaded. Try again.
        </Text>
      ) : null}
    </BlockStack>
  );
}
