import { useState } from "react";
import { BlockStack, Button, Text } from "@shopify/polaris";

// Embedded in the admin, the app is authenticated by App Bridge's session token, which it adds
// to fetch() but not to a plain navigation (a link would open the login, not the file); so the
// file is fetched, then handed to the browser under the name the server gave it.

const fileNameOf = (disposition: string | null) => /filename="([^"]+)"/.exec(disposition ?? "")?.[1];

export function DownloadButton({
  href,
  fileName,
  label,
  accessibilityLabel,
  failure,
  variant,
}: {
  href: string;
  /** used when the answer names no file */
  fileName: string;
  label: string;
  /** must start with the visible label (label in name) */
  accessibilityLabel?: string;
  failure: string;
  variant?: "plain";
}) {
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const download = async () => {
    setState("loading");
    try {
      const response = await fetch(href);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = fileNameOf(response.headers.get("Content-Disposition")) ?? fileName;
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
        accessibilityLabel={accessibilityLabel}
        variant={variant}
      >
        {label}
      </Button>
      {state === "failed" ? (
        <Text as="p" tone="critical" variant="bodySm">
          {failure}
        </Text>
      ) : null}
    </BlockStack>
  );
}
